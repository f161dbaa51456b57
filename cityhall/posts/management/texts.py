"""Titles, bodies and comments for generated posts, built from the phrase pools."""

import random
from typing import Any

from cityhall.posts.management import phrases as ph

# How many paragraphs a post has (1–5), by share.
PARAGRAPHS = [1, 2, 2, 2, 3, 3, 3, 4, 4, 5]
MIDDLE = {
    "question": ph.CONTEXT + ph.ASKS,
    "discussion": ph.CONTEXT + ph.THOUGHTS,
    "case_study": ph.CASE + ph.CONTEXT,
    "announcement": ph.NOTICES,
}
DEPARTMENT = "企画政策課"


class Texts:
    def __init__(self, rng: random.Random, profiles: dict[int, tuple[int, str, str]]) -> None:
        self.rng = rng
        self.profiles = profiles  # user id → (organisation id, organisation name, department)

    def slots(self, user_id: int, topics: list[str]) -> dict[str, Any]:
        rng = self.rng
        _org_id, org, dept = self.profiles.get(user_id, (0, "ある自治体", DEPARTMENT))
        aspects = rng.sample(ph.ASPECTS, 3)
        return {
            "topic": rng.choice(topics), "topic2": rng.choice(topics),
            "aspect": aspects[0], "aspect2": aspects[1], "aspect3": aspects[2],
            "problem": rng.choice(ph.PROBLEMS), "initiative": rng.choice(ph.INITIATIVES),
            "doc": rng.choice(ph.DOCS), "org": org, "unit": "当" + (org[-1:] or "市"),
            "dept": dept or DEPARTMENT, "year": rng.choice(ph.YEARS), "years": rng.randint(2, 9),
            "pct": rng.randint(5, 60), "cost": rng.randint(3, 400), "months": rng.randint(2, 9),
            "month": rng.choice(ph.MONTHS),
        }  # fmt: skip

    def _sentences(self, pool: list[str], count: int, slots: dict[str, Any]) -> str:
        return "".join(s.format(**slots) for s in self.rng.sample(pool, min(count, len(pool))))

    def fill_post(self, post: Any, topics: list[str], *, social: bool = False) -> None:
        """Title and 1–5 paragraphs of body; the case fields for a case study."""
        rng, kind = self.rng, post.kind
        slots = self.slots(post.author_id, topics)
        titles = ph.SOCIAL_TITLES if social else ph.TITLES[kind]
        post.title = rng.choice(titles).format(**slots)[:120]
        if social:
            first = ""
            middle = ph.SOCIAL_SENTENCES
        elif kind == "announcement":
            first, middle = "", ph.NOTICES
        else:
            first = rng.choice(ph.OPENINGS).format(**slots)
            middle = MIDDLE[kind]
        # Sentences drawn once for the whole body, so no paragraph repeats another.
        sizes = [rng.randint(1, 3) for _ in range(rng.choice(PARAGRAPHS))]
        drawn = rng.sample(middle, min(sum(sizes), len(middle)))
        paragraphs, at = [], 0
        for size in sizes:
            if at < len(drawn):
                paragraphs.append("".join(s.format(**slots) for s in drawn[at : at + size]))
            at += size
        paragraphs[0] = first + paragraphs[0]
        if kind == "question" and not social and rng.random() < 0.25:
            points = "\n".join(f"- {slots[k]}" for k in ("aspect", "aspect2", "aspect3"))
            paragraphs.append(f"{ph.LIST_INTRO}\n\n{points}")
            paragraphs.append("")
        if not social:
            paragraphs[-1] += rng.choice(ph.CLOSINGS)
        post.body = "\n\n".join(paragraphs)
        if kind == "case_study":
            post.case_organization_id = self.profiles.get(post.author_id, (None,))[0]
            post.case_period = rng.choice(ph.CASE_PERIODS).format(**slots)
            post.case_what = ph.CASE[0].format(**slots) + ph.CASE[3].format(**slots)
            post.case_cost = f"約{slots['cost']}万円"
            post.case_outcome = ph.CASE[1].format(**slots) + ph.CASE[4].format(**slots)
            post.case_contact = rng.choice(ph.CASE_CONTACTS).format(**slots)

    def comment(self, user_id: int, topics: list[str], social: bool, *, reply: bool) -> str:
        """One to three sentences; the post's author replying thanks the person who answered."""
        slots = self.slots(user_id, topics)
        if reply:
            return self.rng.choice(ph.REPLIES).format(**slots)
        pool = ph.SOCIAL_COMMENTS if social else ph.COMMENTS
        return self._sentences(pool, self.rng.choice([1, 1, 2, 2, 3]), slots)
