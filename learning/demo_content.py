"""The text of the demo courses (used by ``learning.demo``): real lessons, quizzes and prompts."""


def q(text, choices, kind="single", explanation=""):
    """A quiz question: ``choices`` are (text, correct, feedback) triples."""
    return {
        "text": text,
        "kind": kind,
        "choices": [
            {"text": choice, "correct": correct, "feedback": feedback}
            for choice, correct, feedback in choices
        ],
        "explanation": explanation,
    }


def quiz(title, questions, pass_mark=70, max_attempts=3, intro="", graded=True):
    return (
        "quiz",
        {
            "title": title,
            "intro": intro,
            "pass_mark": pass_mark,
            "max_attempts": max_attempts,
            "graded": graded,
            "questions": questions,
        },
    )


def callout(kind, title, text):
    return ("callout", {"kind": kind, "title": title, "text": text})


def reflection(prompt, guidance="", required=False):
    return ("reflection", {"prompt": prompt, "guidance": guidance, "required": required})


BADGES = [
    {
        "issuer": "northbridge",
        "slug": "opportunity-spotter",
        "name": "Opportunity Spotter",
        "description": "Can find, frame and test opportunities to create value together with an "
        "industry partner, from a first conversation to an evidence-backed problem statement.",
        "criteria_narrative": "Complete every lesson of “Spotting opportunities with industry "
        "partners” and pass its graded quiz with at least 70%.",
        "alignments": [("entrecomp", "1.1"), ("entrecomp", "1.2"), ("entrecomp", "1.4")],
        "learning_outcomes": "Map an industry partner's value chain to locate unmet needs\n"
        "Turn observations into a testable problem statement\n"
        "Prioritise opportunities by value, feasibility and fit",
        "workload_hours": 12,
        "eqf_level": 6,
        "participation_form": "online",
        "assessment_type": "Online quiz graded automatically, with reflective writing",
    },
    {
        "issuer": "helix-robotics",
        "slug": "ip-valorisation-basics",
        "name": "IP and Valorisation Basics",
        "description": "Understands how intellectual property is created, protected and shared "
        "in industry–academia projects, and the main routes from research result to value.",
        "criteria_narrative": "Complete every lesson of “Co-creating with industry: IP and "
        "valorisation basics” and pass its graded quiz with at least 70%.",
        "alignments": [("entrecomp", "1.4"), ("entrecomp", "1.5"), ("entrecomp", "2.4")],
        "learning_outcomes": "Distinguish background and foreground IP in a collaboration\n"
        "Choose between publishing, patenting and keeping know-how confidential\n"
        "Describe licensing, spin-offs and open approaches to valorisation",
        "workload_hours": 10,
        "eqf_level": 6,
        "participation_form": "blended",
        "assessment_type": "Online quiz graded automatically",
    },
    {
        "issuer": "northbridge",
        "slug": "mixed-team-collaborator",
        "name": "Mixed-Team Collaborator",
        "description": "Communicates and collaborates effectively in teams that mix students, "
        "researchers and company staff, across disciplines, cultures and time zones.",
        "criteria_narrative": "Complete every lesson of “Communication and collaboration in "
        "mixed teams” and pass its graded quiz with at least 70%.",
        "alignments": [("lifecomp", "S2"), ("lifecomp", "S3"), ("entrecomp", "3.4")],
        "learning_outcomes": "Agree working norms with a mixed academic–industry team\n"
        "Give and receive feedback that improves the work\n"
        "Resolve conflicts about priorities, pace and ownership",
        "workload_hours": 8,
        "eqf_level": 5,
        "participation_form": "online",
        "assessment_type": "Online quiz graded automatically, with reflective writing",
    },
]


OPPORTUNITIES = {
    "slug": "spotting-opportunities",
    "title": "Spotting opportunities with industry partners",
    "summary": "Learn to find problems worth solving together with a company: how to read a "
    "partner's value chain, listen for unmet needs, and turn what you hear into an "
    "opportunity you can test in a week.",
    "outcomes": [
        "Map an industry partner's value chain and locate where value leaks",
        "Run a discovery interview that uncovers needs rather than wishes",
        "Write a problem statement that a partner recognises and can act on",
        "Prioritise opportunities by value, feasibility and strategic fit",
    ],
    "competences": [("entrecomp", "1.1"), ("entrecomp", "1.2"), ("entrecomp", "1.4")],
    "eqf_level": 6,
    "workload_hours": 12,
    "ects_credits": "0.5",
    "language": "en",
    "course_format": "online",
    "institutions": ["northbridge", "helix-robotics"],
    "badge": ("northbridge", "opportunity-spotter"),
    "cover": ((29, 78, 216), (245, 158, 11)),
    "lessons": [
        {
            "slug": "where-value-hides",
            "title": "Where value hides in a company",
            "module": "Seeing the landscape",
            "duration_minutes": 25,
            "summary": "Opportunities rarely announce themselves. They sit in the gaps between "
            "what a company does, what its customers need and what it could do next.",
            "body": [
                (
                    "text",
                    "<p>When a university team meets a company for the first time, the "
                    "conversation usually starts with technology: <i>what can your lab do?</i> "
                    "The better question is <b>where does this company lose value today?</b> "
                    "Value leaks wherever work is repeated, waiting, scrapped or done by hand "
                    "because no better way exists yet.</p>"
                    "<h3>Reading a value chain</h3>"
                    "<p>Sketch the partner's value chain in five boxes: <i>sourcing</i>, "
                    "<i>making</i>, <i>delivering</i>, <i>selling</i> and <i>supporting</i>. "
                    "For each box, ask three questions:</p>"
                    "<ol><li>What takes longer than anyone would like?</li>"
                    "<li>What goes wrong often enough that people have a workaround?</li>"
                    "<li>What would customers pay more for, if only it existed?</li></ol>"
                    "<p>The answers are raw material, not opportunities yet. Write each one on "
                    "a separate card so you can sort them later.</p>",
                ),
                callout(
                    "example",
                    "Helix Robotics: the calibration queue",
                    "<p>Every robot arm Helix ships needs a two-hour calibration by a senior "
                    "engineer. Sales could sell more arms than the engineers can calibrate. "
                    "Nobody called this an opportunity until a student team timed the queue "
                    "and showed it capped revenue.</p>",
                ),
                (
                    "text",
                    "<h3>Signals worth noting</h3>"
                    "<ul><li><b>Workarounds</b>: spreadsheets, sticky notes and “ask Maria” "
                    "mean a process is missing.</li>"
                    "<li><b>Complaints that repeat</b> across departments point to a shared "
                    "root cause.</li>"
                    "<li><b>Regulation on the horizon</b> turns a nice-to-have into a "
                    "must-have with a deadline.</li></ul>",
                ),
                reflection(
                    "Think of an organisation you know well. Where does it lose value today?",
                    "Name one concrete moment: who is waiting, for what, and how often.",
                ),
            ],
        },
        {
            "slug": "discovery-interviews",
            "title": "Discovery interviews that uncover needs",
            "module": "Seeing the landscape",
            "duration_minutes": 30,
            "summary": "People describe solutions they have imagined. Your job is to hear the "
            "need underneath.",
            "body": [
                (
                    "text",
                    "<p>A discovery interview is not a sales pitch and not a survey. It is a "
                    "structured conversation about <b>what people actually did</b> the last "
                    "time they met the problem. Past behaviour is evidence; opinions about the "
                    "future are not.</p>"
                    "<h3>Five rules for the conversation</h3>"
                    "<ol><li>Ask about the last time, not about “usually”.</li>"
                    "<li>Never describe your idea before the interviewee has described their "
                    "problem.</li>"
                    "<li>Follow the emotion: frustration and relief mark what matters.</li>"
                    "<li>Ask what they already tried, and what it cost.</li>"
                    "<li>Close by asking who else you should talk to.</li></ol>",
                ),
                callout(
                    "tip",
                    "Interview in pairs",
                    "<p>One person asks, the other writes down exact quotes. Exact words are "
                    "worth more than your summary when you present back to the partner.</p>",
                ),
                (
                    "text",
                    "<h3>From quotes to needs</h3>"
                    "<p>After five to eight interviews, cluster quotes that describe the same "
                    "struggle. A need is a cluster that appears with several people, costs "
                    "them time or money, and that they have tried to solve themselves.</p>",
                ),
                callout(
                    "warning",
                    "Leading questions",
                    "<p>“Would a faster calibration tool help you?” invites a polite yes. Ask "
                    "instead: “Walk me through the last calibration you did.”</p>",
                ),
            ],
        },
        {
            "slug": "problem-statements",
            "title": "From observation to problem statement",
            "module": "Framing the opportunity",
            "duration_minutes": 25,
            "summary": "A good problem statement makes a partner say “yes, exactly that” and "
            "tells the team what to test first.",
            "body": [
                (
                    "text",
                    "<p>Write the problem statement in one sentence with four parts: "
                    "<b>who</b> struggles, <b>with what</b>, <b>when</b>, and <b>what it "
                    "costs</b>. For example:</p>"
                    "<blockquote>Service engineers at Helix lose two hours per shipped robot "
                    "arm on manual calibration, which delays deliveries by up to three weeks "
                    "in busy months.</blockquote>"
                    "<p>Notice what is missing: the solution. A statement that already "
                    "contains the answer (“Helix needs an AI calibration tool”) closes the "
                    "door on better ideas.</p>"
                    "<h3>Test it with the partner</h3>"
                    "<p>Read the statement to two people at the company. If they correct a "
                    "number or a word, you have learned something cheaply. If they shrug, "
                    "the problem is not painful enough.</p>",
                ),
                reflection(
                    "Write a problem statement for the value leak you noted in lesson 1.",
                    "Who struggles, with what, when, and what does it cost?",
                    required=True,
                ),
            ],
        },
        {
            "slug": "prioritising-opportunities",
            "title": "Prioritising and testing opportunities",
            "module": "Framing the opportunity",
            "duration_minutes": 30,
            "summary": "Most teams have too many ideas. Choose the one you can test next week.",
            "body": [
                (
                    "text",
                    "<p>Score each opportunity from 1 to 5 on three axes and multiply:</p>"
                    "<ul><li><b>Value</b>: how much does solving it matter to the partner and "
                    "their customers?</li>"
                    "<li><b>Feasibility</b>: can the joint team make real progress with the "
                    "skills and data it has?</li>"
                    "<li><b>Fit</b>: does it match the partner's strategy and the university's "
                    "research strengths?</li></ul>"
                    "<p>Then design the cheapest test that could prove you wrong: a mock-up "
                    "shown to five users, a manual version of the service run for a week, or "
                    "a measurement nobody has taken before.</p>",
                ),
                quiz(
                    "Check your understanding",
                    [
                        q(
                            "Which of these is the strongest evidence of a real need?",
                            [
                                (
                                    "Engineers built a spreadsheet workaround they use daily",
                                    True,
                                    "Yes: a workaround shows the problem costs them enough to act.",
                                ),
                                (
                                    "A manager says a new tool would be nice to have",
                                    False,
                                    "Opinions about the future are weak evidence.",
                                ),
                                (
                                    "A competitor announced a similar product",
                                    False,
                                    "That is a market signal, not evidence of this partner's need.",
                                ),
                            ],
                            explanation="Behaviour beats opinion: people who already spend "
                            "effort on a workaround have a need worth solving.",
                        ),
                        q(
                            "What belongs in a good problem statement? Choose all that apply.",
                            [
                                ("Who struggles", True, "Right: name the people."),
                                ("What it costs them", True, "Right: the cost makes it urgent."),
                                (
                                    "The solution you plan to build",
                                    False,
                                    "Leave the solution out; it closes the door on better ideas.",
                                ),
                                ("When it happens", True, "Right: the situation matters."),
                            ],
                            kind="multiple",
                            explanation="Who, with what, when and at what cost; never the "
                            "solution.",
                        ),
                        q(
                            "In a discovery interview you should first…",
                            [
                                (
                                    "Ask about the last time they met the problem",
                                    True,
                                    "Yes: past behaviour is evidence.",
                                ),
                                (
                                    "Present your idea to get quick feedback",
                                    False,
                                    "Presenting first biases every answer that follows.",
                                ),
                                (
                                    "Ask how often they usually have the problem",
                                    False,
                                    "“Usually” invites guesses; ask about the last time.",
                                ),
                            ],
                        ),
                        q(
                            "You scored an opportunity Value 5, Feasibility 1, Fit 4. What "
                            "does the low feasibility suggest?",
                            [
                                (
                                    "Drop it forever",
                                    False,
                                    "Not necessarily: feasibility can change with a new "
                                    "partner or data.",
                                ),
                                (
                                    "Park it and look for a partner or data that makes it feasible",
                                    True,
                                    "Yes: high value is worth revisiting when conditions change.",
                                ),
                                (
                                    "Start building immediately because value is high",
                                    False,
                                    "Without feasibility, the team cannot make progress.",
                                ),
                            ],
                        ),
                    ],
                    intro="Four questions on the whole course. You need 70% to pass.",
                ),
            ],
        },
    ],
}


IP_BASICS = {
    "slug": "ip-and-valorisation-basics",
    "title": "Co-creating with industry: IP and valorisation basics",
    "summary": "Who owns what when a university and a company create something together? "
    "A practical introduction to intellectual property, confidentiality and the routes "
    "from a research result to real-world value.",
    "outcomes": [
        "Distinguish background and foreground intellectual property",
        "Decide when to publish, patent or keep know-how confidential",
        "Read the key clauses of a collaboration agreement",
        "Compare licensing, spin-offs and open approaches to valorisation",
    ],
    "competences": [("entrecomp", "1.4"), ("entrecomp", "1.5"), ("entrecomp", "2.4")],
    "eqf_level": 6,
    "workload_hours": 10,
    "ects_credits": "0.4",
    "language": "en",
    "course_format": "blended",
    "institutions": ["helix-robotics", "northbridge"],
    "badge": ("helix-robotics", "ip-valorisation-basics"),
    "cover": ((22, 101, 52), (14, 116, 144)),
    "lessons": [
        {
            "slug": "what-ip-is",
            "title": "What intellectual property is, and why it matters",
            "module": "Foundations",
            "duration_minutes": 20,
            "summary": "Patents, copyright, designs, trade secrets: the rights that turn ideas "
            "into assets.",
            "body": [
                (
                    "text",
                    "<p>Intellectual property (IP) is a set of rights over creations of the "
                    "mind. In industry–academia projects four kinds matter most:</p>"
                    "<ul><li><b>Patents</b> protect technical inventions for up to 20 years, "
                    "in exchange for publishing how they work.</li>"
                    "<li><b>Copyright</b> protects software code, texts and images "
                    "automatically, from the moment they are created.</li>"
                    "<li><b>Designs</b> protect the appearance of a product.</li>"
                    "<li><b>Trade secrets and know-how</b> are protected only as long as they "
                    "stay confidential.</li></ul>"
                    "<p>Why does it matter to you? Because publishing a thesis chapter, "
                    "presenting at a conference or pushing code to a public repository can "
                    "decide, irreversibly, which of these routes stay open.</p>",
                ),
                callout(
                    "warning",
                    "Novelty is lost on publication",
                    "<p>In Europe an invention that has been disclosed publicly before the "
                    "patent application is filed can no longer be patented, even if you "
                    "disclosed it yourself. Talk to your technology transfer office before "
                    "you publish.</p>",
                ),
            ],
        },
        {
            "slug": "background-and-foreground",
            "title": "Background and foreground IP in collaborations",
            "module": "Foundations",
            "duration_minutes": 25,
            "summary": "What each partner brings, what the project creates, and who may use "
            "what afterwards.",
            "body": [
                (
                    "text",
                    "<p><b>Background IP</b> is what each partner owns before the project "
                    "starts: Helix's control software, the university's measurement method. "
                    "<b>Foreground IP</b> (also called results) is what the project creates."
                    "</p><p>A good collaboration agreement answers four questions:</p>"
                    "<ol><li>Which background does each partner make available, and only for "
                    "the project or also afterwards?</li>"
                    "<li>Who owns foreground created by one partner, and by both jointly?</li>"
                    "<li>Who may use the results for research, and who commercially?</li>"
                    "<li>How long must confidential information stay confidential?</li></ol>",
                ),
                callout(
                    "example",
                    "A joint invention at Northbridge",
                    "<p>A student and a Helix engineer together designed a gripper that "
                    "adapts to fragile parts. The agreement gave Helix an exclusive licence "
                    "for robotics and left the university free to use the design in research "
                    "and teaching, with the student named as co-inventor.</p>",
                ),
                reflection(
                    "In a project you know, what background did each side bring?",
                    "List at least one item per partner and say whether it was shared only "
                    "for the project.",
                ),
            ],
        },
        {
            "slug": "routes-to-value",
            "title": "Routes to value: licences, spin-offs and open science",
            "module": "Valorisation",
            "duration_minutes": 25,
            "summary": "Protection is a means. Here is how results reach people who use them.",
            "body": [
                (
                    "text",
                    "<p>The European Commission calls the whole journey from research result "
                    "to societal or economic value <i>knowledge valorisation</i>. The main "
                    "routes are:</p>"
                    "<ul><li><b>Licensing</b>: a company pays for the right to use protected "
                    "results. Fast to market, little risk for the university.</li>"
                    "<li><b>Spin-offs</b>: researchers found a company around the result. "
                    "Slower and riskier, with the highest potential upside.</li>"
                    "<li><b>Open approaches</b>: open-source software, open data and open "
                    "standards create value by letting many people build on the result.</li>"
                    "<li><b>Co-creation</b>: the partner and the university keep developing "
                    "the result together in a follow-up project.</li></ul>"
                    "<p>The right route depends on who can best take the result further, not "
                    "only on who could earn the most from it.</p>",
                ),
                quiz(
                    "Check your understanding",
                    [
                        q(
                            "A student wants to present a new sensor design at a conference "
                            "next month. What should happen first?",
                            [
                                (
                                    "Talk to the technology transfer office about filing first",
                                    True,
                                    "Yes: publishing first would destroy novelty.",
                                ),
                                (
                                    "Present it; a patent can be filed afterwards",
                                    False,
                                    "In Europe, prior disclosure by the inventor destroys novelty.",
                                ),
                                (
                                    "Nothing: academic work is always free to publish",
                                    False,
                                    "Academic freedom matters, but the timing of "
                                    "disclosure decides what protection stays possible.",
                                ),
                            ],
                        ),
                        q(
                            "Which of these are background IP in a new project? Choose all "
                            "that apply.",
                            [
                                (
                                    "The company's existing control software",
                                    True,
                                    "Right: it existed before the project.",
                                ),
                                (
                                    "The university's established measurement method",
                                    True,
                                    "Right: it existed before the project.",
                                ),
                                (
                                    "The prototype the joint team builds in month six",
                                    False,
                                    "That is foreground: the project created it.",
                                ),
                            ],
                            kind="multiple",
                        ),
                        q(
                            "Which protection lasts only as long as the information stays "
                            "confidential?",
                            [
                                ("Patent", False, "Patents are public by design."),
                                ("Copyright", False, "Copyright does not need secrecy."),
                                (
                                    "Trade secret",
                                    True,
                                    "Yes: once disclosed, a trade secret is gone.",
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
                    "<p>In a mixed team the same word can mean different things. For a "
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

COURSES = [OPPORTUNITIES, IP_BASICS, MIXED_TEAMS]
