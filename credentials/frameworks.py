"""Load the EntreComp, LifeComp and DigComp frameworks shipped in data/frameworks.json."""

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "frameworks.json"


def load_frameworks(framework_model, competency_model) -> int:
    """Create or update every framework and competence from the shipped file. Idempotent.

    Takes the model classes so that a data migration can pass its historical models.
    Returns the number of competences in the file.
    """
    data = json.loads(DATA.read_text(encoding="utf-8"))
    count = 0
    for fw in data["frameworks"]:
        framework, _ = framework_model.objects.update_or_create(
            code=fw["code"],
            defaults={
                "name": fw["name"],
                "title": fw["title"],
                "version": fw.get("version", ""),
                "publisher": fw.get("publisher", ""),
                "url": fw.get("url", ""),
                "uri": fw["uri"],
            },
        )
        for area in fw["areas"]:
            for comp in area["competences"]:
                competency_model.objects.update_or_create(
                    framework=framework,
                    code=comp["code"],
                    defaults={
                        "area_code": area["code"],
                        "area_name": area["name"],
                        "name": comp["name"],
                        "description": comp.get("description", ""),
                        "uri": comp["uri"],
                    },
                )
                count += 1
    return count
