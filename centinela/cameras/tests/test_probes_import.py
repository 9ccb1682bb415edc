"""The probes and the simulator are plain asyncio: they import without Django or its settings (the monitor and
the benchmark can use them in any process)."""

import subprocess
import sys


def test_probes_and_simulator_import_without_django():
    code = (
        "import sys; import centinela.cameras.probes, centinela.cameras.simulator; "
        "assert 'django' not in sys.modules, sorted(m for m in sys.modules if m.startswith('django'))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin"}
    )
    assert done.returncode == 0, done.stderr
