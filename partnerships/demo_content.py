"""The words of the demo partnership (``partnerships.demo``): Northbridge University of
Technology and Helix Robotics, their joint framework in two versions, and a case study.

Demo data, like the other apps' demo content: written once in English, not interface strings.
"""

from __future__ import annotations

NORTHBRIDGE, HELIX = "northbridge", "helix-robotics"

PARTNERSHIP = {
    "slug": "northbridge-helix",
    "name": "Northbridge–Helix co-creation partnership",
    "summary": (
        "Northbridge University of Technology and Helix Robotics teach product discovery and "
        "intellectual property together, and their engineers and researchers mentor student "
        "teams on real challenges from Helix's service floor."
    ),
    "is_public": True,
    "publish_figures": True,
    "publish_framework": True,
}

# Co-created courses (one badge from each side) and the mentoring programme, by slug.
COURSES = ("spotting-opportunities", "ip-and-valorisation-basics")
PROGRAMME = "industry-co-creation-mentoring"
# Badges linked besides the courses' and the programme's: the one Helix endorses.
ENDORSED_BADGES = ((NORTHBRIDGE, "co-creation-practitioner"),)

FRAMEWORK_V1 = {
    "vision": (
        "Graduates of Northbridge who can turn an industrial problem into a tested product idea "
        "with the people who will use it, and a Helix Robotics that recruits them and learns "
        "from the university's research in service robotics."
    ),
    "goals": (
        "1. Co-create two short courses by the end of the first semester, taught by Northbridge "
        "lecturers and Helix engineers together.\n"
        "2. Run one mentoring programme in which every student team meets an industry and an "
        "academic mentor at least three times.\n"
        "3. Take at least two student prototypes to a pilot on a Helix customer site within "
        "eighteen months.\n"
        "4. Award the co-creation practitioner micro-credential to 40 students a year, endorsed "
        "by Helix."
    ),
    "steering_group": (
        "Prof. Sofia Staff, dean of entrepreneurship education (Northbridge, chair)\n"
        "Dr. Anouk de Vries, associate professor of innovation management (Northbridge)\n"
        "Paul Partner, head of robotics engineering (Helix Robotics)\n"
        "A Helix service-operations manager, named each year (Helix Robotics)\n"
        "One student representative, elected each autumn (observer, no vote)"
    ),
    "decision_rules": (
        "Decisions are taken by consensus of the voting members; without consensus, each "
        "member institution has one vote and the chair has no casting vote. Changes to this "
        "framework need the written agreement of every member. A dispute the steering group "
        "cannot settle in two meetings goes to the university's vice-rector for valorisation "
        "and Helix's managing director, then to mediation."
    ),
    "meeting_rhythm": "Every six weeks during the semesters; a yearly review each June",
    "ip_strategy": (
        "Background knowledge stays with the member that brings it and is licensed royalty-free "
        "to the other for the partnership's teaching and projects. Course materials are made "
        "together and published under an open licence. Student results belong to the students "
        "unless a project agreement, signed before the project starts, says otherwise; Helix "
        "has the first option to license a student prototype on fair terms for six months. "
        "Confidential Helix data is shared only inside project teams under a non-disclosure "
        "agreement, and publications are reviewed by Helix within 30 days."
    ),
}

RESULTS_V1 = [
    {
        "title": "Open course materials on product discovery and IP",
        "owner": NORTHBRIDGE,
        "may_use": "anyone",
        "licence": "open",
        "confidentiality": "public",
        "innovation_potential": "medium",
        "description": "The lessons, quizzes and worksheets of the two co-created courses.",
        "terms": "CC BY-SA 4.0; Helix's name and case material only with its consent.",
    },
    {
        "title": "Spare-parts forecasting prototype",
        "owner": HELIX,
        "may_use": "members",
        "licence": "royalty_free",
        "confidentiality": "confidential",
        "innovation_potential": "high",
        "description": (
            "A model that predicts which spare parts a robot cell will need next month, built "
            "by student teams on anonymised Helix service data."
        ),
        "terms": (
            "Northbridge may use it for teaching and research; commercial use only by Helix. "
            "Student authors are named in every publication."
        ),
    },
    {
        "title": "Mixed-team coaching method",
        "owner": NORTHBRIDGE,
        "may_use": "members",
        "licence": "non_exclusive",
        "confidentiality": "members",
        "innovation_potential": "medium",
        "description": "How industry and academic mentors coach a student team together.",
        "terms": "Each member may use and adapt it; publication after joint review.",
    },
]

# Version 2, proposed by Helix: the pilot goal sharpened, and the prototype's terms changed.
V2_CHANGES = {
    "goals": FRAMEWORK_V1["goals"].replace(
        "3. Take at least two student prototypes to a pilot on a Helix customer site within "
        "eighteen months.",
        "3. Take the spare-parts forecasting prototype to a pilot with two Helix customers "
        "by next spring, and one more student prototype within eighteen months.",
    ),
    "meeting_rhythm": "Monthly during the pilot; every six weeks otherwise; a yearly review "
    "each June",
}
V2_NOTE = "Pilot goal made concrete; exclusive licence for Helix on the forecasting prototype"
RESULT_V2_CHANGES = {
    "Spare-parts forecasting prototype": {
        "licence": "exclusive",
        "terms": (
            "Exclusive commercial licence for Helix, with a revenue share for Northbridge's "
            "student innovation fund; Northbridge keeps the right to teach and research with "
            "it. Student authors are named in every publication."
        ),
    },
}

CASE_STUDY = {
    "slug": "spare-parts-in-hours-not-days",
    "title": "Spare parts in hours, not days",
    "summary": (
        "Students of the co-created courses interviewed Helix's service engineers, framed the "
        "spare-parts problem and built a forecasting prototype that Helix now pilots with "
        "customers."
    ),
    "outcome": "A student prototype piloted with two Helix customers",
    "quote": (
        "Our engineers used to wait up to four days for a part. The students asked the "
        "questions we had stopped asking, and their forecast now tells us what to stock "
        "before the robot stops."
    ),
    "quote_by": "Paul Partner, head of robotics engineering, Helix Robotics",
    "body": (
        "<h2>The challenge</h2>"
        "<p>Helix's service engineers ordered spare parts by phone, one at a time; a robot "
        "cell at a customer could stand still for days. Nobody had time to look at why.</p>"
        "<h2>What the partners did</h2>"
        "<ul><li>In <b>Spotting opportunities with industry partners</b>, twelve students "
        "interviewed engineers and customers and scored the opportunities they heard.</li>"
        "<li>In <b>IP and valorisation basics</b>, they agreed with Helix who would own "
        "what, before writing a line of code.</li>"
        "<li>Each team met a Helix engineer and a Northbridge researcher three times in the "
        "mentoring programme.</li></ul>"
        "<h2>What came of it</h2>"
        "<p>A forecasting prototype, trained on a year of anonymised service data, which "
        "Helix now pilots with two customers under the terms of the partners' framework. "
        "Four of the students joined Helix's graduate programme.</p>"
    ),
}

# Demo learners of the partnership's year of history: made-up people at an example domain,
# like learning's cohort; they never log in.
LEARNERS = [
    ("noor.hassan@learners.example", "Noor Hassan"),
    ("felix.wagner@learners.example", "Felix Wagner"),
    ("aoife.byrne@learners.example", "Aoife Byrne"),
    ("daan.visser@learners.example", "Daan Visser"),
    ("lucia.romero@learners.example", "Lucía Romero"),
    ("kwame.mensah@learners.example", "Kwame Mensah"),
    ("hanna.lindqvist@learners.example", "Hanna Lindqvist"),
    ("marek.dvorak@learners.example", "Marek Dvořák"),
    ("sofie.janssens@learners.example", "Sofie Janssens"),
    ("yusuf.demir@learners.example", "Yusuf Demir"),
    ("greta.rossi@learners.example", "Greta Rossi"),
    ("pieter.bakker@learners.example", "Pieter Bakker"),
    ("zofia.kowalska@learners.example", "Zofia Kowalska"),
    ("mateo.garcia@learners.example", "Mateo García"),
    ("emma.schulz@learners.example", "Emma Schulz"),
    ("oskar.nielsen@learners.example", "Oskar Nielsen"),
    ("leila.karimi@learners.example", "Leila Karimi"),
    ("tiago.silva@learners.example", "Tiago Silva"),
    ("anna.horvath@learners.example", "Anna Horváth"),
    ("jan.devries@learners.example", "Jan de Vries"),
    ("maria.papadopoulou@learners.example", "Maria Papadopoulou"),
    ("ruben.peeters@learners.example", "Ruben Peeters"),
    ("ingrid.olsen@learners.example", "Ingrid Olsen"),
    ("samuel.okoro@learners.example", "Samuel Okoro"),
    ("clara.fischer@learners.example", "Clara Fischer"),
    ("victor.lambert@learners.example", "Victor Lambert"),
    ("elif.yilmaz@learners.example", "Elif Yılmaz"),
    ("niamh.kelly@learners.example", "Niamh Kelly"),
]

FEEDBACK = [
    "Clear next steps for our interviews.",
    "Good challenge of our assumptions about the service engineers.",
    "Helped us cut the prototype down to what we can test in two weeks.",
    "Useful pointers to the research on predictive maintenance.",
    "We finally agreed on one problem to pursue.",
    "",
]
