"""The shape of a hand-written demo post and its comments.

Who wrote something is a role, not a name, because the demo members are generated:
  ""        someone suitable, picked with a fixed seed (a member of the section for its posts;
            anyone who can read the post for comments)
  "staff"   the demo staff account; "leader" and "member" the demo logins of those names
  "runner"  the section's 課長
  "new1"…   the most recently approved members, newest first (self-introductions)
  "op"      (comments) the post's author; "c2" the author of the post's comment number 2

Texts may hold placeholders, filled for whoever wrote them: {org} their organisation, {dept}
their department, {duty} their main duty, {org_full} the organisation with its
prefecture; {op_org}, {op_dept} and {op_duty} the same for the post's author. Mentions such as
{@op}, {@c0}, {@staff}, {@leader}, {@member} and {@runner} are written out in the mention
syntax of cityhall.core.mentions.
"""

from dataclasses import dataclass

DISCUSSION = "discussion"
QUESTION = "question"
CASE_STUDY = "case_study"
ANNOUNCEMENT = "announcement"
LOBBY = ""


@dataclass(frozen=True)
class C:
    """A comment. `reply_to` is the number of a top-level comment of the same post; `ago`
    pins it that many hours before now (otherwise it follows the post by hours or days)."""

    body: str
    by: str = ""
    reply_to: int | None = None
    ago: float | None = None


@dataclass(frozen=True)
class Case:
    period: str
    what: str
    cost: str
    outcome: str
    contact: str


@dataclass(frozen=True)
class P:
    """A post, `days` before now, in a section (by slug) or the lobby. `solved` is the number
    of the comment the author accepted as the answer."""

    place: str
    kind: str
    title: str
    body: tuple[str, ...]
    days: float
    by: str = ""
    comments: tuple[C, ...] = ()
    solved: int | None = None
    pinned: bool = False
    case: Case | None = None
    fans: int | None = None  # reactions on the post; None: as many as it deserves
