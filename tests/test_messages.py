"""The Spanish catalogue is the one translation source, edited directly (`make messages`): every string the code
marks for translation is in it, and none is hidden from xgettext (which reads no call inside an f-string: such a
string is never extracted, so it shows in English whatever the catalogue holds)."""

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po"
TRANSLATING = {
    "_",
    "gettext",
    "gettext_lazy",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
    "gettext_noop",
}


def _translation_calls_in_fstrings(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id in TRANSLATING:
                    yield f"{path.relative_to(ROOT)}:{inner.lineno}"


def test_no_translated_string_hides_inside_an_fstring():
    found = [
        hit
        for folder in ("centinela", "analysis")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "tests" not in path.parts
        for hit in _translation_calls_in_fstrings(path)
    ]
    assert found == [], "xgettext does not read these (take the call out of the f-string):\n" + "\n".join(found)


def test_the_catalogue_holds_every_string_of_the_code(tmp_path):
    """makemessages over a copy of the code adds nothing to the catalogue: a string added to the code without its
    Spanish fails here (and `make messages` lists it)."""
    if shutil.which("xgettext") is None:
        if "CI" in __import__("os").environ:
            pytest.fail("GNU gettext (xgettext) is missing: .ci/run installs the Debian package gettext")
        pytest.skip("GNU gettext's xgettext is not installed (apt-get install gettext); CI runs this")
    for name in ("centinela", "analysis", "locale"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    env = {**__import__("os").environ, "DEBUG": "1", "PYTHONPATH": str(tmp_path)}
    env.pop("CENTINELA_TESTING", None)
    out = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--ignore=tests", "-v0"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    ours = {(e.msgctxt, e.msgid) for e in polib.pofile(str(CATALOGUE)) if not e.obsolete}
    extracted = polib.pofile(str(tmp_path / "locale" / "es" / "LC_MESSAGES" / "django.po"))
    missing = sorted(e.msgid for e in extracted if not e.obsolete and (e.msgctxt, e.msgid) not in ours)
    assert missing == [], "strings of the code missing from the Spanish catalogue (run `make messages`):\n" + "\n".join(
        missing
    )
