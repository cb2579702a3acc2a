"""The demo course “Co-creating with industry: IP and valorisation basics”."""

from learning.demo_content.blocks import callout, q, quiz, reflection

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
