"""The message catalogues: complete, placeholders intact, plural forms right, for every language in
settings.LANGUAGES (issue 16).

Swedish and English are checked against the source (makemessages run on a copy of the code, so
the committed catalogues are never rewritten); every other language against the strings of the
Swedish and English catalogues. English may leave a msgstr empty: Django then shows the msgid,
which is English. Plural rules are checked against CLDR (through Babel) on the integers 0 to 1000.
"""

import gettext
import os
import re
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path

import polib
import pytest
from babel import Locale, UnknownLocaleError
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

LOCALE = Path(settings.BASE_DIR) / "locale"
CODES = [code for code, _ in settings.LANGUAGES]
SOURCE_LANGUAGES = ("sv", "en")
NOT_SOURCE = {".venv", "node_modules", "var", "locale", "tests", "static", "scripts", "staticfiles"}
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[sdifr]")

Key = tuple[str | None, str]


def key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt, entry.msgid)


def catalogue(code: str, folder: Path = LOCALE) -> polib.POFile:
    path = folder / code / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{code}: no message file at {path}"
    return polib.pofile(str(path), wrapwidth=0)


def is_translated(entry: polib.POEntry, empty_allowed: bool = False) -> bool:
    if entry.obsolete or entry.fuzzy:
        return False
    forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
    return empty_allowed or all(forms)


def missing(po: polib.POFile, wanted: Iterable[Key], empty_allowed: bool = False) -> list[Key]:
    have = {key(entry) for entry in po if is_translated(entry, empty_allowed)}
    return sorted((k for k in wanted if k not in have), key=lambda k: (k[0] or "", k[1]))


def reference() -> set[Key]:
    """Every string the Swedish and English catalogues hold: what every language must translate."""
    return {key(e) for code in SOURCE_LANGUAGES for e in catalogue(code) if not e.obsolete}


def describe(code: str, absent: list[Key], total: int) -> str:
    examples = "; ".join(repr(msgid) for _, msgid in absent[:5])
    return f"{code}: {len(absent)} of {total} strings missing, empty or fuzzy, e.g. {examples}"


def placeholder_problems(po: polib.POFile) -> list[str]:
    """Translations whose python-format placeholders differ from their msgid's."""
    problems = []
    for entry in po.translated_entries():
        if "python-format" not in entry.flags and not PLACEHOLDER.search(entry.msgid):
            continue
        if entry.msgid_plural:
            allowed = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural))
            for n, form in sorted(entry.msgstr_plural.items()):
                if not set(PLACEHOLDER.findall(form)) <= allowed:
                    problems.append(f"{entry.msgid!r} form {n}: {form!r}")
        elif entry.msgstr and set(PLACEHOLDER.findall(entry.msgstr)) != set(PLACEHOLDER.findall(entry.msgid)):
            problems.append(f"{entry.msgid!r}: {entry.msgstr!r}")
    return problems


def plural_problems(code: str, po: polib.POFile) -> list[str]:
    """A Plural-Forms header that disagrees with CLDR's integer categories for the language, or
    entries whose number of forms is not nplurals."""
    header = po.metadata.get("Plural-Forms", "")
    match = re.fullmatch(r"\s*nplurals=(\d+);\s*plural=(.+?);?\s*", header)
    if not match:
        return [f"{code}: no valid Plural-Forms header ({header!r})"]
    nplurals, choose = int(match[1]), gettext.c2py(match[2])
    problems = []
    try:
        rule = Locale.parse(code).plural_form
    except (UnknownLocaleError, ValueError):
        rule = None  # not in CLDR (Meänkieli): the header must at least use each of its forms
    if rule is None:
        used = {choose(n) for n in range(1001)}
        if used != set(range(nplurals)):
            problems.append(f"{code}: plural={match[2]} gives forms {sorted(used)}, nplurals={nplurals}")
    else:
        pairs = {(rule(n), choose(n)) for n in range(1001)}
        categories = {category for category, _ in pairs}
        if (
            len(categories) != nplurals
            or len(pairs) != nplurals
            or {i for _, i in pairs} != set(range(nplurals))
        ):
            problems.append(
                f"{code}: nplurals={nplurals}; plural={match[2]} does not map CLDR's categories "
                f"{sorted(categories)} one to one onto its forms: {sorted(pairs)}"
            )
    for entry in po:
        if entry.msgid_plural and not entry.obsolete and len(entry.msgstr_plural) != nplurals:
            problems.append(f"{code}: {entry.msgid!r} has {len(entry.msgstr_plural)} forms, not {nplurals}")
    return problems


def msgfmt_check(path: Path) -> str:
    run = subprocess.run(
        ["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True, timeout=60
    )
    return "" if run.returncode == 0 else run.stderr


# --- the committed catalogues -------------------------------------------------------------


@pytest.fixture(scope="module")
def source_strings(tmp_path_factory: pytest.TempPathFactory) -> set[Key]:
    """The strings the code marks for translation: makemessages over a copy of the code."""
    src = tmp_path_factory.mktemp("source")
    for folder in Path(settings.BASE_DIR).iterdir():
        if folder.is_dir() and not folder.name.startswith(".") and folder.name not in NOT_SOURCE:
            shutil.copytree(folder, src / folder.name, ignore=shutil.ignore_patterns("__pycache__"))
    here = Path.cwd()
    try:
        os.chdir(src)
        with override_settings(LOCALE_PATHS=[src / "locale"]):
            call_command("makemessages", locale=["sv"], keep_pot=True, verbosity=0)
    finally:
        os.chdir(here)
    return {key(entry) for entry in polib.pofile(str(src / "locale" / "django.pot"))}


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="makemessages needs GNU gettext")
@pytest.mark.parametrize("code", SOURCE_LANGUAGES)
def test_swedish_and_english_hold_every_string_of_the_code(code: str, source_strings: set[Key]) -> None:
    absent = missing(catalogue(code), source_strings, empty_allowed=code == "en")
    assert not absent, describe(code, absent, len(source_strings))


@pytest.mark.parametrize("code", CODES)
def test_every_language_translates_every_string(code: str) -> None:
    wanted = reference()
    absent = missing(catalogue(code), wanted, empty_allowed=code == "en")
    assert not absent, describe(code, absent, len(wanted))


@pytest.mark.parametrize("code", CODES)
def test_placeholders_match_the_msgid(code: str) -> None:
    problems = placeholder_problems(catalogue(code))
    assert not problems, f"{code}: {len(problems)} broken placeholders:\n" + "\n".join(problems[:20])


@pytest.mark.parametrize("code", CODES)
def test_plural_forms_follow_the_language(code: str) -> None:
    problems = plural_problems(code, catalogue(code))
    assert not problems, "\n".join(problems[:20])


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="needs GNU gettext's msgfmt")
@pytest.mark.parametrize("code", CODES)
def test_msgfmt_check_is_clean(code: str) -> None:
    path = LOCALE / code / "LC_MESSAGES" / "django.po"
    assert msgfmt_check(path) == ""


# --- the checks themselves catch what they are for ------------------------------------------

HEADER = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: {plural}\\n"\n\n'


def write(folder: Path, code: str, body: str, plural: str = "nplurals=2; plural=(n != 1);") -> Path:
    path = folder / code / "LC_MESSAGES" / "django.po"
    path.parent.mkdir(parents=True)
    path.write_text(HEADER.format(plural=plural) + body, encoding="utf-8")
    return path


GOOD = """#, python-format
msgid "%(count)s title"
msgid_plural "%(count)s titles"
msgstr[0] "%(count)s nimike"
msgstr[1] "%(count)s nimikettä"

#, python-format
msgid "My library: %(name)s"
msgstr "Oma kirjasto: %(name)s"

msgid "Search"
msgstr "Hae"
"""


def test_a_complete_catalogue_passes_every_check(tmp_path: Path) -> None:
    path = write(tmp_path, "fi", GOOD)
    po = catalogue("fi", tmp_path)
    wanted = {(None, "Search"), (None, "My library: %(name)s"), (None, "%(count)s title")}
    assert missing(po, wanted) == []
    assert placeholder_problems(po) == []
    assert plural_problems("fi", po) == []
    assert msgfmt_check(path) == ""


def test_the_checks_find_missing_strings_broken_placeholders_and_bad_plurals(tmp_path: Path) -> None:
    broken = GOOD.replace('"Oma kirjasto: %(name)s"', '"Oma kirjasto: %(nimi)s"').replace(
        'msgstr "Hae"', 'msgstr ""'
    )
    path = write(tmp_path, "ar", broken + '\n#, fuzzy\nmsgid "Sort"\nmsgstr "فرز"\n')
    po = catalogue("ar", tmp_path)
    wanted = {(None, "Search"), (None, "Sort"), (None, "Libraries")}
    assert missing(po, wanted) == [(None, "Libraries"), (None, "Search"), (None, "Sort")]
    assert missing(po, wanted, empty_allowed=True) == [(None, "Libraries"), (None, "Sort")]
    assert describe("ar", missing(po, wanted), 3).startswith("ar: 3 of 3 strings missing")
    assert placeholder_problems(po) == ["'My library: %(name)s': 'Oma kirjasto: %(nimi)s'"]
    problems = plural_problems("ar", po)  # Arabic has six forms, this header two
    assert any("does not map CLDR's categories" in p for p in problems), problems
    assert "a format specification for argument 'name' doesn't exist in 'msgstr'" in msgfmt_check(path)


def test_a_plural_rule_with_the_right_count_but_wrong_categories_fails(tmp_path: Path) -> None:
    # Persian counts 0 and 1 as "one": (n != 1) puts 0 with the others.
    write(tmp_path, "fa", "", plural="nplurals=2; plural=(n != 1);")
    assert plural_problems("fa", catalogue("fa", tmp_path))
    tmp_fa = tmp_path / "ok"
    write(tmp_fa, "fa", "", plural="nplurals=2; plural=(n > 1);")
    assert plural_problems("fa", catalogue("fa", tmp_fa)) == []
