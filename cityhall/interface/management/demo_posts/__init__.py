"""Hand-written posts for the demo community: the lobby, then work, skills and social sections.

Written in the voice of the real community (spec.py says how authors and placeholders work).
The people are invented, and nothing here is about real residents.
"""

from cityhall.interface.management.demo_posts import lobby, skills, social, work

POSTS = [*lobby.POSTS, *work.POSTS, *skills.POSTS, *social.POSTS]
