"""The demo county end to end: generate, register libraries and sources, harvest, index, users.

Every step is idempotent: files are regenerated only when records/seed/generator differ,
libraries and branches are updated by code, sources found by path, users by name. So running
``demo_county`` twice leaves exactly what one run left.
"""

import json
import os
import secrets
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from catalog.models import Branch, Library, StaffMember
from harvest.models import HarvestRun, Source
from harvest.services import harvest_sources
from sample.county import GENERATOR_VERSION, LIBRARIES_FILE, generate_county, read_manifest

CREDENTIALS_FILE = "credentials.txt"
REGIONAL_USER = "region"
# (username, library code): one librarian at each end of a fjärrlån.
LIBRARIANS = (("bibliotekarie.nacka", "Nk"), ("bibliotekarie.huddinge", "Hdg"))


@dataclass
class HarvestTotals:
    sources: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    failed: int = 0
    incomplete: list[str] = field(default_factory=list)

    def count(self, run: HarvestRun) -> None:
        self.sources += 1
        self.added += run.added
        self.updated += run.updated
        self.unchanged += run.unchanged
        self.deleted += run.deleted
        self.failed += run.failed
        if run.status != HarvestRun.Status.COMPLETE:
            self.incomplete.append(f"{run.source}: {run.status}")


def demo_dir() -> Path:
    return Path(settings.DATA_DIR) / "demo"


def ensure_generated(out_dir: Path, records: int, seed: int, as_of: date) -> bool:
    """Generate the county unless out_dir already holds the same records/seed; True if generated."""
    manifest = read_manifest(out_dir)
    wanted = {"records": records, "seed": seed, "generator_version": GENERATOR_VERSION}
    if manifest and all(manifest.get(key) == value for key, value in wanted.items()):
        return False
    generate_county(out_dir, records, seed, as_of, workers=2 if (os.cpu_count() or 1) > 1 else 1)
    return True


def load_libraries(out_dir: Path) -> list[dict[str, Any]]:
    entries = json.loads((out_dir / LIBRARIES_FILE).read_text(encoding="utf-8"))
    assert isinstance(entries, list)
    return entries


@transaction.atomic
def register_library(entry: dict[str, Any], out_dir: Path, regenerated: bool) -> Source:
    """Create or update the library and its branches; find or add its marc-file source."""
    library, _ = Library.objects.update_or_create(
        code=entry["code"],
        defaults={
            "name": entry["name"],
            "municipality": entry["municipality"],
            "email": entry["email"],
            "address": entry["address"],
            "homepage": entry["homepage"],
            "latitude": entry["latitude"],
            "longitude": entry["longitude"],
            "card_number_pattern": entry["card_number_pattern"],
        },
    )
    for branch in entry["branches"]:
        Branch.objects.update_or_create(
            library=library, code=branch["code"], defaults={"name": branch["name"]}
        )
    source, _ = Source.objects.get_or_create(
        library=library,
        protocol="marc-file",
        url=str(out_dir / entry["file"]),
        defaults={
            "name": f"{entry['name']} (sample county)",
            "holdings_profile": entry["holdings_profile"],
            "schedule_minutes": 0,
        },
    )
    if regenerated:
        # A regenerated county may legitimately drop records: let this run's deletions through.
        source.mass_deletion_confirmed = True
        source.save(update_fields=["mass_deletion_confirmed"])
    return source


def harvest_all(sources: list[Source]) -> HarvestTotals:
    """Every source, then one clustering run over all they wrote (``harvest_sources``); a source
    that fails does not stop the demo of the others."""
    totals = HarvestTotals()
    names = {source.pk: source for source in sources}
    for source_id, run in harvest_sources(list(names)).items():
        if isinstance(run, Exception):
            totals.incomplete.append(f"{names[source_id]}: {type(run).__name__}: {run}")
        else:
            totals.count(run)
    return totals


def _read_credentials(path: Path) -> dict[str, str]:
    found: dict[str, str] = {}
    if path.exists():
        for line in path.read_text(encoding="utf-8").splitlines():
            name, _, password = line.partition(" ")
            if name and password and not name.startswith("#"):
                found[name] = password.strip()
    return found


@transaction.atomic
def ensure_demo_users(out_dir: Path) -> Path:
    """A regional staff user and two librarians; passwords (kept across runs) in credentials.txt."""
    path = out_dir / CREDENTIALS_FILE
    known = _read_credentials(path)
    users = get_user_model()
    lines = ["# Samsök demo staff accounts (username password). Log in at /staff/login/."]
    wanted: list[tuple[str, list[str], bool]] = [(REGIONAL_USER, [], True)]
    wanted += [(name, [code], False) for name, code in LIBRARIANS]
    for username, codes, regional in wanted:
        password = known.get(username) or secrets.token_urlsafe(12)
        user, _ = users.objects.get_or_create(username=username)
        user.set_password(password)
        user.is_staff = regional  # regional staff register libraries and sources in the admin
        user.is_superuser = regional
        user.save()
        member, _ = StaffMember.objects.update_or_create(user=user, defaults={"regional": regional})
        member.libraries.set(Library.objects.filter(code__in=codes))
        lines.append(f"{username} {password}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path
