"""Dependencies point one way through the house (README, "Layout"); this test keeps them so.

Every import between the project's packages, at module level or inside a function, must go from
a higher layer to a lower one. Apps of one layer do not import each other, and no function-level
import crosses packages: an import that had to hide in a function to dodge a cycle fails here.
"""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The project package's URL maps, health check and server entry points see every app; the rest of
# portal/ (settings, env, celery, jobs, lockout …) is what every app may use, and imports none.
PORTAL_TOP = {
    "portal.urls",
    "portal.staff_urls",
    "portal.health",
    "portal.views",
    "portal.wsgi",
    "portal.asgi",
}
LAYERS = {"portal": 0, "catalog": 1, "harvest": 2, "ill": 2, "api": 3, "oai": 3, "opac": 3, "sample": 4}
TOP = 5


def layer(module: str) -> int:
    return TOP if module in PORTAL_TOP else LAYERS[module.split(".")[0]]


def project_modules() -> dict[str, Path]:
    modules = {}
    for package in LAYERS:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                parts = path.relative_to(ROOT).with_suffix("").parts
                modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def imports(path: Path) -> list[tuple[str, int, bool]]:
    """(imported first-party module, line, inside a function) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_function = {
        id(node)
        for func in ast.walk(tree)
        if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef)
        for node in ast.walk(func)
    }
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found += [
            (name, node.lineno, id(node) in in_function) for name in names if name.split(".")[0] in LAYERS
        ]
    return found


def violations() -> list[str]:
    problems = []
    for module, path in sorted(project_modules().items()):
        package, rank = module.split(".")[0], layer(module)
        for target, line, in_function in imports(path):
            if target.split(".")[0] == package and not (package == "portal" and layer(target) > rank):
                continue  # inside one app (portal's core never reaches up to its URL maps)
            where = f"{path.relative_to(ROOT)}:{line} imports {target}"
            if layer(target) >= rank:
                problems.append(f"{where}: layer {layer(target)} from layer {rank}")
            elif in_function:
                problems.append(f"{where} inside a function: import it at the top of the module")
    return problems


@pytest.mark.sqlite
def test_imports_point_one_way() -> None:
    assert violations() == []


@pytest.mark.sqlite
def test_the_check_finds_an_upward_and_a_hidden_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = tmp_path / "catalog"
    catalog.mkdir()
    (catalog / "bad.py").write_text(
        "from ill.models import Request\n\n\ndef f():\n    from harvest import tasks\n"
    )
    ill = tmp_path / "ill"
    ill.mkdir()
    (ill / "sneaky.py").write_text("def g():\n    from catalog import models\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    assert violations() == [
        "catalog/bad.py:1 imports ill.models: layer 2 from layer 1",
        "catalog/bad.py:5 imports harvest: layer 2 from layer 1",
        "ill/sneaky.py:2 imports catalog inside a function: import it at the top of the module",
    ]


@pytest.mark.sqlite
def test_the_readme_layout_names_every_package() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout") :].split("\n## ", 1)[0]
    for package in LAYERS:
        assert f"`{package}/`" in layout, package
