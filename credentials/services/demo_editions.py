"""The demo's language editions: the co-creation badge in French and German, so a reader of
either sees the credential, its PDF and the verifier in their language (``seed_demo``)."""

from __future__ import annotations

from credentials.models import BadgeClass
from credentials.services.editions import save_edition

EDITIONS: dict[tuple[str, str], dict[str, dict[str, str]]] = {
    ("northbridge", "co-creation-practitioner"): {
        "fr": {
            "name": "Praticien·ne de la co-création université–industrie",
            "description": "A mené un projet de co-création avec un partenaire industriel, de la "
            "première réunion à un résultat détenu en commun : des objectifs partagés, une équipe "
            "d'étudiants et d'ingénieurs, et un plan pour transformer le résultat en valeur.",
            "criteria_narrative": "Suivre le module de projet de co-création avec un partenaire "
            "industriel, remettre le portfolio du projet et réussir l'épreuve orale devant deux "
            "évaluateurs, l'un de l'université et l'autre du partenaire.",
            "learning_outcomes": "Convenir avec un partenaire industriel d'objectifs, de rôles "
            "et de règles de propriété intellectuelle partagés\n"
            "Conduire une équipe mixte d'étudiants et d'ingénieurs sur un cycle de projet\n"
            "Présenter un résultat détenu en commun et un plan pour sa valorisation",
            "assessment_type": "Portfolio de projet et examen oral devant deux évaluateurs",
            "quality_assurance": "Assurance qualité interne de la Northbridge University of "
            "Technology ; programme accrédité par la NVAO",
            "prerequisites": "Un cours de niveau licence en travail de projet, ou une "
            "expérience équivalente",
            "supervision_and_identity": "Surveillé sur place ; identité vérifiée à l'oral",
            "grade_scheme": "Réussi / non réussi",
            "integration": "Compte pour la mineure Entrepreneuriat de Northbridge (15 ECTS)",
            "further_information": "https://northbridge.example/co-creation",
        },
        "de": {
            "name": "Co-Creation-Praktiker:in Hochschule–Industrie",
            "description": "Hat ein Co-Creation-Projekt mit einem Industriepartner vom ersten "
            "Treffen bis zu einem gemeinsamen Ergebnis geführt: gemeinsame Ziele, ein Team aus "
            "Studierenden und Ingenieur:innen und ein Plan, aus dem Ergebnis Wert zu schaffen.",
            "criteria_narrative": "Das Modul Co-Creation-Projekt mit einem Industriepartner "
            "abschließen, das Projektportfolio einreichen und die mündliche Prüfung bei zwei "
            "Prüfenden bestehen, einer von der Hochschule und einer vom Partner.",
            "learning_outcomes": "Gemeinsame Ziele, Rollen und IP-Regeln mit einem "
            "Industriepartner vereinbaren\n"
            "Ein gemischtes Team aus Studierenden und Ingenieur:innen durch einen Projektzyklus "
            "führen\n"
            "Ein gemeinsames Ergebnis und einen Plan zu seiner Verwertung präsentieren",
            "assessment_type": "Projektportfolio und mündliche Prüfung bei zwei Prüfenden",
            "quality_assurance": "Interne Qualitätssicherung der Northbridge University of "
            "Technology; Studiengang von der NVAO akkreditiert",
            "prerequisites": "Eine Lehrveranstaltung in Projektarbeit auf Bachelorniveau oder "
            "gleichwertige Erfahrung",
            "supervision_and_identity": "Vor Ort beaufsichtigt; Identität bei der mündlichen "
            "Prüfung geprüft",
            "grade_scheme": "Bestanden / nicht bestanden",
            "integration": "Wird auf das Northbridge-Nebenfach Entrepreneurship (15 ECTS) "
            "angerechnet",
            "further_information": "https://northbridge.example/co-creation",
        },
    },
}


def seed_editions(badges: dict[tuple[str, str], BadgeClass]) -> None:
    """Write the demo editions (before the awards, so the demo credentials link them), as the
    badge's institution's first member of staff; none without staff. Idempotent."""
    for key, by_language in EDITIONS.items():
        badge = badges.get(key)
        by = badge.issuer.staff.order_by("pk").first() if badge else None
        if by is None:
            continue
        for language, words in by_language.items():
            save_edition(badge, language, words, by)
