"""Interactive, self-contained HTML views of the policy graph (vis-network through pyvis).

Takes ``nx.Graph`` objects that follow the attribute contract of ARCHITECTURE.md; must not
import ``graph`` or ``loaders``. Importing this package stays light: pyvis loads on render.
"""

from __future__ import annotations

from policykg.viz.pages import write_all, write_view
from policykg.viz.render import VIEWS, render

__all__ = ["VIEWS", "render", "write_all", "write_view"]
