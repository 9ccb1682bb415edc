"""The analysis engine must run without Django: importing every module of it loads no django module (nor
PySAL, which is only the reference the tests and benchmarks compare with)."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import analysis

ROOT = Path(analysis.__file__).parent


def test_analysis_never_imports_django():
    modules = [
        f"analysis.{m.name}"
        for m in pkgutil.iter_modules([str(ROOT)])
        if not m.name.startswith("test_") and m.name != "__main__"
    ]
    assert "analysis.spatial" in modules
    banned = ("django", "libpysal", "esda", "pointpats", "spopt")  # PySAL is a test/benchmark reference only
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + f"print(sorted(m for m in sys.modules if m.split('.')[0] in {banned!r}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT.parent)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_no_source_file_mentions_a_django_import():
    for path in ROOT.rglob("*.py"):
        if path.name.startswith("test_"):
            continue
        text = path.read_text()
        assert "import django" not in text and "from django" not in text, path
