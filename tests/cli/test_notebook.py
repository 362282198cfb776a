"""docs/analyst.ipynb runs top to bottom on the compilation's store (nbclient), so it never rots."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = ROOT / "docs" / "analyst.ipynb"

pytestmark = pytest.mark.slow


def test_the_notebook_runs_top_to_bottom(built_store: tuple[Path, str, str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    # the kernel inherits the environment: this checkout's code and the session's store
    monkeypatch.setenv("POLICYKG_STORE", str(built_store[0]))
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()
    outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    # values the text holds: the busiest agency (66 tasks since issue 12's body leads: line
    # 8011 国家发展改革委、国家能源局负责牵头…) and the "1"'s implementers
    assert "133 documents" in text
    assert " 66 tasks ( 9 as lead)  国家发展和改革委员会" in text
    assert "p2-1.4 central_policy 2030年前碳达峰行动方案" in text
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) == 2, "the tasks-per-agency bars and the ego network are drawn"
