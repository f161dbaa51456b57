"""What other apps add to a section's page.

The section page belongs to sections, but its latest posts and its study sessions belong to
the apps above. Each registers a panel at start-up (its AppConfig.ready): a function of the
viewer, the section and whether the viewer may read its posts, returning the template
context it fills.
"""

from collections.abc import Callable
from typing import Any

from cityhall.accounts.models import User
from cityhall.sections.models import Section

Panel = Callable[[User, Section, bool], dict[str, Any]]
_panels: dict[str, Panel] = {}


def register_panel(name: str, panel: Panel) -> None:
    _panels[name] = panel


def panels_context(viewer: User, section: Section, reads_posts: bool) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for panel in _panels.values():
        context.update(panel(viewer, section, reads_posts))
    return context
