"""Start-up of a CLI run: what can overlap the reading of its input. Kept apart from `analysis.warmup`, which
imports every method to compile them, so that a method's CLI can use it without an import loop."""

from __future__ import annotations


def prepare_in_background():
    """Start a thread that readies numba's machinery for loading cached kernels while the caller reads its input.

    The first cached kernel a process loads makes numba import its whole implementation registry (numba.np.arraymath
    and the rest, and through them scipy.linalg, for BLAS): about half a second of imports, most of a CLI run's
    start-up. Done here, under numba's compiler lock, it overlaps pyarrow's CSV read and pyproj's projection, which
    release the GIL; the first kernel call then finds the registry ready (or waits on the lock for it). Nothing is
    compiled and no kernel is loaded: each method still loads only the kernels it runs. Returns the thread (a
    daemon: a run that fails before using it does not wait for it)."""
    import threading

    def ready() -> None:
        try:
            from numba.core.compiler_lock import global_compiler_lock
            from numba.core.registry import cpu_target

            with global_compiler_lock:
                cpu_target.target_context.refresh()
                cpu_target.typing_context.refresh()
        except Exception:  # noqa: BLE001, S110 - an optimisation only: the first kernel call does the same
            pass

    thread = threading.Thread(target=ready, name="numba-registry", daemon=True)
    thread.start()
    return thread
