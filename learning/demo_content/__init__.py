"""The text of the demo courses (used by ``learning.demo``): real lessons, quizzes and prompts.

One module per course, the badges they award in ``badges``, and the short ways to write a
lesson's blocks in ``blocks``.
"""

from learning.demo_content.badges import BADGES
from learning.demo_content.ip_basics import IP_BASICS
from learning.demo_content.mixed_teams import MIXED_TEAMS
from learning.demo_content.opportunities import OPPORTUNITIES

COURSES = [OPPORTUNITIES, IP_BASICS, MIXED_TEAMS]

__all__ = ["BADGES", "COURSES", "IP_BASICS", "MIXED_TEAMS", "OPPORTUNITIES"]
