"""No if/elif over analysis method names (issue 11): a method is chosen by its entry in a table (the command line's
`analysis.cli.METHODS`, the observatory's `centinela.observatory.methods.METHODS`, the accuracy page's
`PREDICTORS`), never by comparing a string with its name. This reads the source of `analysis/` and
`centinela/observatory/` (tests aside: they run each method by name on purpose) and fails on any `==`, `!=`, `in`,
`not in` or `match` against a registered name, and on a template comparing with one."""

import ast
import re
from pathlib import Path

from analysis.accuracy import SCORERS
from analysis.cli import METHODS as CLI_METHODS
from centinela.observatory.methods import METHODS
from centinela.observatory.methods.accuracy import PREDICTORS

ROOT = Path(__file__).resolve().parent.parent
SCANNED = (ROOT / "analysis", ROOT / "centinela" / "observatory")
NAMES = frozenset(CLI_METHODS) | {m.name for m in METHODS} | frozenset(PREDICTORS) | frozenset(SCORERS)


def _strings(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        for element in node.elts:
            yield from _strings(element)


def comparisons_with_names(source: str, names=NAMES) -> list[str]:
    """The comparisons (and match cases) of `source` with one of `names`, as "line: code"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            sides = [node.left] + [
                right
                for op, right in zip(node.ops, node.comparators)
                if isinstance(op, (ast.Eq, ast.NotEq, ast.In, ast.NotIn))
            ]
            if len(sides) > 1 and any(s in names for side in sides for s in _strings(side)):
                found.append(f"{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.MatchValue) and any(s in names for s in _strings(node.value)):
            found.append(f"{node.lineno}: case {ast.unparse(node.value)}")
    return sorted(found, key=lambda hit: int(hit.split(":")[0]))


def _is_test(path: Path) -> bool:
    return path.name.startswith("test_") or path.name == "conftest.py" or "tests" in path.parts


def test_the_scan_finds_each_kind_of_comparison():
    code = (
        "if name == 'kde':\n    pass\n"
        "elif params.get('predictor') in ('gistar', 'x'):\n    pass\n"
        "ok = 'coverage' != chosen\n"
        "match name:\n    case 'knox':\n        pass\n"
        "fine = name == chosen or entry['kind'] == 'other'\n"
    )
    assert [line.split(":")[0] for line in comparisons_with_names(code)] == ["1", "3", "5", "7"]


def test_no_code_compares_with_a_method_name():
    assert {"kde", "gistar", "knox", "near_repeat", "coverage", "mclp", "placement", "impact", "accuracy"} <= NAMES
    found = [
        f"{path.relative_to(ROOT)}:{hit}"
        for folder in SCANNED
        for path in sorted(folder.rglob("*.py"))
        if not _is_test(path)
        for hit in comparisons_with_names(path.read_text(encoding="utf-8"))
    ]
    assert found == []


def _template_comparisons(text: str) -> list[str]:
    names = "|".join(sorted(map(re.escape, NAMES)))
    pattern = re.compile(rf"""\{{%[^%]*(==|!=|\bin)\s*["']({names})["'][^%]*%\}}""")
    return [match.group(0) for match in pattern.finditer(text)]


def test_the_template_scan_finds_a_comparison():
    text = '{% if method.name == "kde" %}a{% elif method.name in "gistar" %}b{% endif %}{% if knox %}{% endif %}'
    assert _template_comparisons(text) == ['{% if method.name == "kde" %}', '{% elif method.name in "gistar" %}']


def test_no_template_compares_with_a_method_name():
    found = [
        f"{path.relative_to(ROOT)}: {hit}"
        for folder in SCANNED
        for path in sorted(folder.rglob("*.html"))
        for hit in _template_comparisons(path.read_text(encoding="utf-8"))
    ]
    assert found == []
