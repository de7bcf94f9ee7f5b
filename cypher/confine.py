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
    roots.update(_package_folders())  # never sys.path: nothing derived from where the caller started
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


def seccomp_status() -> str | None:
    """None when a seccomp filter can be loaded here; why not otherwise. Imports the binding, which
    looks libseccomp up with ldconfig: call it before Landlock takes exec away."""
    try:
        import pyseccomp  # noqa: F401
    except (ImportError, RuntimeError, OSError) as exc:
        return f"seccomp is not available ({exc}; install libseccomp2)"
    return None


# What Landlock cannot express, refused with EPERM (the engine sees an ordinary error and answers):
# every socket (UDP sendto and pathname UNIX sockets among them), metadata changes (chmod, chown,
# extended attributes, times), new processes and programs, and the kernel's other ways around a
# filter (io_uring, ptrace, namespaces, bpf).
SECCOMP_REFUSED = (
    "socket", "socketpair", "connect", "bind", "listen", "accept", "accept4", "sendto", "sendmsg", "sendmmsg",
    "chmod", "fchmod", "fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat",
    "setxattr", "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr",
    "utime", "utimes", "utimensat", "futimesat",
    "fork", "vfork", "execve", "execveat",
    "ptrace", "process_vm_readv", "process_vm_writev", "io_uring_setup", "io_uring_enter", "io_uring_register",
    "mount", "umount2", "unshare", "setns", "pivot_root", "chroot", "bpf", "perf_event_open",
    "keyctl", "add_key", "request_key", "userfaultfd",
)
CLONE_THREAD = 0x00010000


def apply_seccomp() -> None:
    """Load the filter on every thread of this process, for good. `clone` stays allowed for threads
    only (CLONE_THREAD set): the engine runs its queries on threads; `clone3` answers ENOSYS, so the C
    library falls back to `clone`, whose flags the filter can read."""
    import errno

    import pyseccomp as sc

    flt = sc.SyscallFilter(sc.ALLOW)
    flt.set_attr(sc.Attr.CTL_TSYNC, 1)  # the engine's threads, started before, get it too
    refuse = sc.ERRNO(errno.EPERM)
    for name in SECCOMP_REFUSED:
        try:
            flt.add_rule(refuse, name)
        except (ValueError, OSError):  # a call this libseccomp does not know (fchmodat2 before 2.5.5)
            continue
    flt.add_rule(refuse, "clone", sc.Arg(0, sc.MASKED_EQ, CLONE_THREAD, 0))
    flt.add_rule(sc.ERRNO(errno.ENOSYS), "clone3")
    flt.load()


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
