"""The demo course “Communication and collaboration in mixed teams”."""

from learning.demo_content.blocks import callout, q, quiz, reflection

MIXED_TEAMS = {
    "slug": "mixed-team-collaboration",
    "title": "Communication and collaboration in mixed teams",
    "summary": "Students, researchers and company staff work at different paces, with "
    "different words for the same things. Learn to agree norms, give useful feedback and "
    "turn friction into better work.",
    "outcomes": [
        "Agree working norms with a mixed academic–industry team",
        "Give and receive feedback that improves the work",
        "Run meetings that work across time zones and cultures",
        "Resolve conflicts about priorities, pace and ownership",
    ],
    "competences": [("lifecomp", "S2"), ("lifecomp", "S3"), ("entrecomp", "3.4")],
    "eqf_level": 5,
    "workload_hours": 8,
    "ects_credits": None,
    "language": "en",
    "course_format": "online",
    "institutions": ["northbridge", "helix-robotics"],
    "badge": ("northbridge", "mixed-team-collaborator"),
    "cover": ((124, 58, 237), (236, 72, 153)),
    "lessons": [
        {
            "slug": "two-cultures",
            "title": "Two cultures, one team",
            "module": "Working together",
            "duration_minutes": 20,
            "summary": "Academia rewards depth and publication; industry rewards speed and "
            "delivery. Both are right.",
            "body": [
                (
                    "text",
                    "<p>Good teamwork across a university and a company starts with "
                    "language. In a mixed team the same word can mean different things. For a "
                    "researcher a <i>result</i> is a validated finding; for a product "
                    "manager it is something a customer can use. A <i>deadline</i> can be "
                    "a conference date that will not move, or a sprint goal that can.</p>"
                    "<p>Name these differences early. In the first meeting, ask everyone to "
                    "say what success looks like for them in six months. Write the answers "
                    "down: they will guide every later decision about scope.</p>",
                ),
                callout(
                    "tip",
                    "Write a team charter",
                    "<p>One page: the goal, who decides what, how fast you answer messages, "
                    "where documents live, and how you will handle disagreement. Revisit it "
                    "after a month.</p>",
                ),
            ],
        },
        {
            "slug": "feedback-that-helps",
            "title": "Feedback that helps",
            "module": "Working together",
            "duration_minutes": 25,
            "summary": "Specific, timely, about the work: feedback that people can act on.",
            "body": [
                (
                    "text",
                    "<p>Useful feedback describes a <b>situation</b>, the <b>behaviour</b> "
                    "you observed and its <b>impact</b>, then invites a conversation. "
                    "“In yesterday's demo (situation), the slides showed raw sensor data "
                    "without units (behaviour), so the Helix team could not judge the "
                    "accuracy (impact). How could we show it next time?”</p>"
                    "<p>Receiving feedback is a skill too: listen to the end, ask for an "
                    "example, thank the person, and decide later what to change.</p>",
                ),
                reflection(
                    "Describe a piece of feedback that changed how you work.",
                    "What made it useful: its timing, its precision, or who gave it?",
                ),
            ],
        },
        {
            "slug": "meetings-and-conflict",
            "title": "Meetings across time zones, and conflict that helps",
            "module": "Keeping it working",
            "duration_minutes": 30,
            "summary": "Shorter meetings, written decisions, and disagreements about the work "
            "rather than the people.",
            "body": [
                (
                    "text",
                    "<p>Mixed teams often span campuses, factories and time zones. Keep "
                    "meetings short and purposeful: share an agenda a day ahead, rotate the "
                    "meeting time so the same people are not always up early, and write "
                    "decisions down where everyone can find them.</p>"
                    "<p>Conflict is normal when people care about the outcome. Keep it about "
                    "the work: separate <i>positions</i> (“we must publish in June”) from "
                    "<i>interests</i> (“my PhD needs a paper this year”). Interests can "
                    "often all be met; positions rarely can.</p>",
                ),
                quiz(
                    "Check your understanding",
                    [
                        q(
                            "Which feedback follows situation–behaviour–impact?",
                            [
                                (
                                    "“In Monday's stand-up you skipped the risks, so we "
                                    "missed the supplier delay.”",
                                    True,
                                    "Yes: situation, behaviour and impact are all there.",
                                ),
                                (
                                    "“You are not a team player.”",
                                    False,
                                    "This judges the person, not the work.",
                                ),
                                (
                                    "“Great job, keep it up!”",
                                    False,
                                    "Kind, but it does not say what to keep doing.",
                                ),
                            ],
                        ),
                        q(
                            "What helps meetings across time zones? Choose all that apply.",
                            [
                                ("Sharing the agenda in advance", True, "Right."),
                                ("Rotating the meeting time", True, "Right: share the burden."),
                                (
                                    "Deciding things verbally without notes",
                                    False,
                                    "Unwritten decisions get lost across time zones.",
                                ),
                            ],
                            kind="multiple",
                        ),
                        q(
                            "Two partners disagree about a publication date. What helps most?",
                            [
                                (
                                    "Find the interests behind each position",
                                    True,
                                    "Yes: interests can often all be met.",
                                ),
                                (
                                    "Let the more senior partner decide",
                                    False,
                                    "That settles it for now but loses trust.",
                                ),
                                (
                                    "Avoid the topic until the deadline",
                                    False,
                                    "Avoidance makes the conflict worse.",
                                ),
                            ],
                        ),
                    ],
                    intro="Three questions. You need 70% to pass.",
                ),
            ],
        },
    ],
}
