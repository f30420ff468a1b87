"""@module sandbox/kernel/limits.py: per-process rlimits from the environment: KERNEL_MEMORY_MB
(RLIMIT_AS, unset = none), KERNEL_FSIZE_MB (RLIMIT_FSIZE, 256), KERNEL_NPROC (RLIMIT_NPROC, unset =
none). A limit never rises above the hard limit already in place.
"""

import sys

from .config import env_int


def set_limits():
    """Apply the configured rlimits to this process (and so to every process it forks)."""
    try:
        import resource
    except ImportError:  # pragma: no cover - non-POSIX
        return
    limits = []
    mem = env_int("KERNEL_MEMORY_MB", 0)
    if mem > 0:
        limits.append((resource.RLIMIT_AS, mem * 1024 * 1024))
    fsize = env_int("KERNEL_FSIZE_MB", 256)
    if fsize > 0:
        limits.append((resource.RLIMIT_FSIZE, fsize * 1024 * 1024))
    nproc = env_int("KERNEL_NPROC", 0)
    if nproc > 0:
        limits.append((resource.RLIMIT_NPROC, nproc))
    for kind, value in limits:
        try:
            _soft, hard = resource.getrlimit(kind)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(kind, (value, value))
        except (ValueError, OSError) as exc:
            sys.__stderr__.write("kernel: cannot set rlimit %s: %s\n" % (kind, exc))
