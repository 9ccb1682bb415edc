"""No module uses another module's private names (issue 11): a helper that other modules need is public, under a
name that says what it is; a leading underscore means "only this module uses it". This reads the source of
`analysis/` and `centinela/` (tests and migrations aside: tests may poke at a module's internals on purpose) and
fails on `from module import _name` and on `module._name` through an imported module, relative imports and
function-level imports included. Dunder names (`__version__`) are not private."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("analysis", "centinela")

# Deliberate exceptions, as "importer -> module._name", each with the reason it stays. Keep it empty when you can.
ALLOWED: dict[str, str] = {}


def is_private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_test_or_migration(path: Path, root: Path = ROOT) -> bool:
    parts = path.relative_to(root).parts
    return "tests" in parts or "migrations" in parts or parts[-1].startswith("test_") or parts[-1] == "conftest.py"


def private_uses(source: str, module: str, modules: set[str], package: bool = False) -> list[str]:
    """The uses, in `source` (the module `module`, a package's `__init__` when `package`), of a private name of
    another module among `modules`, as "line: importer -> module._name"."""
    own_package = module if package else module.rpartition(".")[0]
    tree = ast.parse(source)
    found: set[tuple[int, str]] = set()
    bound: dict[str, str] = {}  # local name -> the project module it stands for
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = own_package.split(".")[: len(own_package.split(".")) - node.level + 1]
                source_module = ".".join(base + ([node.module] if node.module else []))
            else:
                source_module = node.module or ""
            for alias in node.names:
                if f"{source_module}.{alias.name}" in modules:
                    bound[alias.asname or alias.name] = f"{source_module}.{alias.name}"
                if is_private(alias.name) and source_module in modules and source_module != module:
                    found.add((node.lineno, f"{module} -> {source_module}.{alias.name}"))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    bound[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    bound[top] = top
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and is_private(node.attr):
            chain, value = [], node.value
            while isinstance(value, ast.Attribute):
                chain.append(value.attr)
                value = value.value
            if isinstance(value, ast.Name) and value.id in bound:
                owner = ".".join([bound[value.id], *reversed(chain)])
                if owner in modules and owner != module:
                    found.add((node.lineno, f"{module} -> {owner}.{node.attr}"))
    return [f"{line}: {use}" for line, use in sorted(found)]


def project_private_uses(root: Path = ROOT) -> list[str]:
    """Every use of another module's private name in the code (tests and migrations aside), as
    "path:line: importer -> module._name"."""
    files = [path for top in SCANNED for path in sorted((root / top).rglob("*.py"))]
    modules = {module_name(path, root) for path in files}
    found = []
    for path in files:
        if is_test_or_migration(path, root):
            continue
        uses = private_uses(path.read_text(encoding="utf-8"), module_name(path, root), modules, path.stem == "__init__")
        found += [f"{path.relative_to(root)}:{use}" for use in uses]
    return found


def test_no_module_uses_another_modules_private_names():
    found = [use for use in project_private_uses() if use.split(": ", 1)[1] not in ALLOWED]
    assert found == [], "make these helpers public under a name that says what they are:\n" + "\n".join(found)


def test_every_allowed_exception_is_still_there():
    """An exception that no longer happens leaves the list (so the list only ever shrinks to empty)."""
    seen = {use.split(": ", 1)[1] for use in project_private_uses()}
    assert set(ALLOWED) - seen == set()


MODULES = {"pkg", "pkg.grid", "pkg.weights", "pkg.sub", "pkg.sub.inner"}


def test_the_finder_sees_a_private_name_imported_from_another_module():
    source = "from pkg.grid import Grid, _xy\nfrom .grid import _positive as positive\n"
    assert private_uses(source, "pkg.weights", MODULES) == [
        "1: pkg.weights -> pkg.grid._xy",
        "2: pkg.weights -> pkg.grid._positive",
    ]


def test_the_finder_resolves_relative_imports_and_imports_inside_a_function():
    source = "def f():\n    from ..grid import _xy\n    from . import _helper\n"
    assert private_uses(source, "pkg.sub.inner", MODULES) == [
        "2: pkg.sub.inner -> pkg.grid._xy",
        "3: pkg.sub.inner -> pkg.sub._helper",
    ]
    assert private_uses("from ..grid import _xy\n", "pkg.sub", MODULES, package=True) == ["1: pkg.sub -> pkg.grid._xy"]


def test_the_finder_sees_a_private_attribute_of_an_imported_module():
    source = (
        "import pkg.grid\n"
        "import pkg.weights as w\n"
        "from pkg import sub\n"
        "a = pkg.grid._xy(1, 2)\n"
        "b = w._check_csr\n"
        "c = sub.inner._offsets\n"
    )
    assert private_uses(source, "pkg.other", MODULES) == [
        "4: pkg.other -> pkg.grid._xy",
        "5: pkg.other -> pkg.weights._check_csr",
        "6: pkg.other -> pkg.sub.inner._offsets",
    ]


def test_the_finder_leaves_own_names_dunders_objects_and_other_libraries_alone():
    source = (
        "import numpy as np\n"
        "from pkg.grid import Grid, __version__\n"
        "from pkg.weights import _own\n"
        "from collections import _private_thing\n"
        "x = np._NoValue\n"
        "y = Grid()._cache\n"
        "z = self._state\n"
    )
    assert private_uses(source, "pkg.weights", MODULES) == []
