"""OS-level confinement of the process that runs analysts' queries on the embedded engine.

The parse layer (cypher/policy.py) decides what a statement may do; this layer makes sure that
whatever the engine does anyway stays inside the process: after the store is open, the child
restricts itself with Linux Landlock (through `landlockpy`) to reading the installed software and
the store, with no right to write, execute, bind or connect over TCP, nor reach abstract UNIX
sockets or signal other processes; and with rlimits on memory, CPU time, file size and processes.
Both stay for the life of the process and cannot be lifted by it.
"""
from __future__ import annotations

import math
import os
import resource
import sys
import sysconfig
from pathlib import Path

MIN_ABI = 4  # TCP bind/connect rules arrived with ABI 4 (Linux 6.7)


def landlock_status() -> tuple[int, str | None]:
    """(ABI version, None) when Landlock can confine this process; (0, why not) otherwise."""
    try:
        import landlockpy
    except ImportError:  # pragma: no cover - a dependency
        return 0, "the landlockpy package is not installed"
    try:
        abi = landlockpy.abi_version() if landlockpy.supported() else 0
    except OSError as exc:
        return 0, f"Landlock is not available ({exc.strerror})"
    if abi < MIN_ABI:
        return abi, (f"this kernel offers Landlock ABI {abi}, and network rules need {MIN_ABI}"
                     if abi else "this kernel does not offer Landlock")
    return abi, None


def readable_roots(store_dir: Path | None) -> list[Path]:
    """What the child may read: the interpreter, its libraries, the system's shared libraries, the store."""
    roots = {Path(sys.prefix), Path(sys.base_prefix), Path(sys.exec_prefix)}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        roots.add(Path(sysconfig.get_path(key)))
    for name in ("/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/local/lib"):
        roots.add(Path(name))
    roots.update(Path(p) for p in sys.path if p and Path(p).is_dir())
    roots.update(_package_folders())
    roots.add(Path(f"/proc/{os.getpid()}"))  # its own status (the memory bound starts from it), nobody else's
    if store_dir is not None:
        roots.add(store_dir.resolve())
    return sorted(r for r in roots if r.exists())


# coopgraph's subpackages (setup.py's ROOTS): an editable install maps each to its own checkout folder
SUBPACKAGES = ("coopgraph", "coopgraph.graph", "coopgraph.analysis", "coopgraph.loaders", "coopgraph.api", "coopgraph.viz",
               "coopgraph.cypher", "coopgraph.data")


def _package_folders() -> set[Path]:
    """Where coopgraph's code lies: inside site-packages for a wheel, the checkout's folders when editable."""
    import importlib.util

    folders = set()
    for name in SUBPACKAGES:
        spec = importlib.util.find_spec(name)
        folders.update(Path(p) for p in (spec.submodule_search_locations or []) if spec)
    return folders


def apply_landlock(store_dir: Path | None) -> int:
    """Restrict this process for good: read-only on `readable_roots`, no TCP, scoped IPC. Returns the ABI."""
    from landlockpy import AccessFS, AccessNet, Ruleset, Scope, abi_version
    from landlockpy.flags import fs_for_abi, net_for_abi, scope_for_abi

    abi = abi_version()
    read = (AccessFS.READ_FILE | AccessFS.READ_DIR) & fs_for_abi(abi)
    with Ruleset(handled_fs=fs_for_abi(abi), handled_net=net_for_abi(abi), scoped=scope_for_abi(abi)) as ruleset:
        for root in readable_roots(store_dir):
            ruleset.allow_path(str(root), read if root.is_dir() else AccessFS.READ_FILE)
        ruleset.restrict()
    return abi


def apply_rlimits(memory_mb: int, cpu_s: float) -> None:
    """Bound what is left of this process: address space beyond what it holds now, CPU (`cpu_s` for its
    whole life; `bound_cpu` narrows it per query), files, processes."""
    held = _virtual_memory_bytes()
    _limit(resource.RLIMIT_AS, held + memory_mb * 1024 * 1024)
    _limit(resource.RLIMIT_CPU, math.ceil(cpu_s))
    _limit(resource.RLIMIT_FSIZE, 0)  # no file may grow (the answer goes to a pipe, which this does not bound)
    _limit(resource.RLIMIT_NPROC, 0)  # no new process (root is exempt; Landlock's lack of EXECUTE stops exec anyway)
    _limit(resource.RLIMIT_CORE, 0)


def bound_cpu(seconds: float) -> None:
    """Let this process use `seconds` more CPU, within its lifetime bound: past it, SIGXCPU ends it."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = math.ceil(used.ru_utime + used.ru_stime + seconds)
    resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


def _limit(kind: int, value: int) -> None:
    soft, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    resource.setrlimit(kind, (value, value))


def _virtual_memory_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0
