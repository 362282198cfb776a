"""Screenshots of the first paint of each page of a site, at 1400×900, into ``docs/img``.

``python -m bench.screenshots SITE_DIR [OUT_DIR]``: the document list, one document page, one
agency page and every graph view, each captured once it reports ready (``data-ready`` on the
body), as a user sees it first (no zoom, no click).
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.browser import Browser

#: (file in docs/img, page in the site) — a page that exists in every site of the compilation
PAGES = (
    ("site-index.png", "index.html"),
    ("site-document.png", "docs/p2-1.4.html"),
    ("site-agency.png", "agencies/ndrc.html"),
    ("tree.png", "tree.html"),
    ("coresponsibility.png", "coresponsibility.html"),
    ("responsibility.png", "responsibility.html"),
    ("citations.png", "citations.html"),
)


def main(argv: list[str]) -> int:
    site = Path(argv[0])
    out = Path(argv[1]) if len(argv) > 1 else Path("docs/img")
    out.mkdir(parents=True, exist_ok=True)
    with Browser() as browser:
        for name, rel in PAGES:
            page = site / rel
            if not page.exists():
                print(f"skipped {rel}: not in the site", file=sys.stderr)
                continue
            tab = browser.open(page.resolve().as_uri())
            tab.wait("document.body.getAttribute('data-ready') === '1'")
            tmp = out / (name + ".tmp")
            tmp.write_bytes(tab.screenshot())
            tmp.replace(out / name)
            print(f"wrote {out / name}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
