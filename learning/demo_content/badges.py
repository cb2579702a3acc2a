"""The badge classes the demo courses award, one per course."""

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
