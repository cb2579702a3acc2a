"""The demo course “Spotting opportunities with industry partners”."""

from learning.demo_content.blocks import (
    callout,
    download,
    figure,
    q,
    quiz,
    reflection,
    video_file,
)

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
            "slug": "scoring-in-practice",
            "title": "In practice: scoring an opportunity with a partner",
            "module": "Framing the opportunity",
            "duration_minutes": 15,
            "summary": "A short video, the canvas one team used, and a worksheet to take into "
            "your next meeting.",
            "body": [
                (
                    "text",
                    "<p>The Helix Robotics team and their student partners had a dozen ideas "
                    "after the discovery interviews. They scored each on value, feasibility and "
                    "fit, kept two, and built a paper prototype of the better one in a day: a "
                    "spare-parts forecast their service engineers could try on real orders. "
                    "Watch the four steps, then use the worksheet with your own partner.</p>",
                ),
                video_file(
                    "scoring-video",
                    "Scoring an opportunity in four steps (4 seconds, no sound)",
                    transcript="Value: how much does solving it matter to the partner? "
                    "Feasibility: can the joint team make real progress with the skills and "
                    "data it has? Fit: does it match the partner's strategy and the "
                    "university's research? Then test it: design the cheapest test that could "
                    "prove you wrong.",
                    captions="scoring-captions",
                ),
                figure(
                    "canvas-image",
                    "A problem statement canvas with four boxes: who struggles, with what, "
                    "what it costs them, and the evidence you saw.",
                    caption="The canvas the team filled in for the spare-parts problem.",
                ),
                download(
                    "canvas-worksheet",
                    "Problem statement canvas (worksheet)",
                    "One page to fill in with your partner: who, what, cost, evidence.",
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
