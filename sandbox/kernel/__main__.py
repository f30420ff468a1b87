"""@module sandbox/kernel/__main__.py: the kernel's entry (`python3 -u /opt/sandbox/kernel` or
`python3 -u -m kernel`). Makes the protocol channel private — duplicates of the original
stdin/stdout; user code gets /dev/null on fd 0 and capture files on fds 1/2 — then applies the
limits, prepares the work dir and matplotlib, and serves requests until stdin closes.
"""

import os
import sys

sys.dont_write_bytecode = True  # never leave __pycache__ next to the kernel (read-only in the image)

if not __package__:
    # Run as a folder: its parent goes on the path so the package imports as `kernel`.
    sys.path[0] = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

import io  # noqa: E402

from kernel.config import OUT_DIR, WORKDIR  # noqa: E402
from kernel.figures import prepare_matplotlib  # noqa: E402
from kernel.limits import set_limits  # noqa: E402
from kernel.protocol import Kernel  # noqa: E402


def main():
    """Start the kernel on this process's stdin/stdout."""
    # Private protocol channel: duplicate the original stdin/stdout, then give user code
    # /dev/null on fd 0 and capture files on fds 1/2 (set up by the executor).
    proto_in = os.fdopen(os.dup(0), "rb", buffering=0)
    proto_out = os.fdopen(os.dup(1), "wb")
    diag = os.fdopen(os.dup(2), "w", buffering=1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    # Outside requests, stray writes (kernel diagnostics, leftover user threads) reach the
    # container's stderr, never the protocol channel.
    sys.__stderr__ = sys.__stdout__ = sys.stderr = sys.stdout = diag
    prepare_matplotlib()
    set_limits()
    for path in (WORKDIR, OUT_DIR):
        try:
            os.makedirs(path, exist_ok=True)
        except OSError as exc:
            diag.write("kernel: cannot create %s: %s\n" % (path, exc))
    try:
        os.chdir(WORKDIR)
    except OSError as exc:
        diag.write("kernel: cannot chdir to %s: %s\n" % (WORKDIR, exc))
    if WORKDIR not in sys.path:
        sys.path.insert(0, WORKDIR)
    kernel = Kernel(io.BufferedReader(proto_in), proto_out, diag)
    kernel.serve()


if __name__ == "__main__":
    main()
