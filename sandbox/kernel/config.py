"""@module sandbox/kernel/config.py: the kernel's caps and paths, read once from the environment.

KERNEL_WORKDIR (/work), KERNEL_OUT_DIR (<workdir>/out), KERNEL_STDOUT_CAP / KERNEL_STDERR_CAP
(bytes, 100000), KERNEL_MAX_FIGURES (8), KERNEL_MAX_FIGURE_BYTES (total PNG bytes, 6000000),
KERNEL_MAX_FIGURE_PIXELS (16000000), KERNEL_MAX_FILE_BYTES (1000000 each), KERNEL_MAX_FILES_BYTES
(4000000 total), KERNEL_MAX_FILES (10), KERNEL_RESULT_CAP (20000 chars); the rlimits
KERNEL_MEMORY_MB, KERNEL_FSIZE_MB and KERNEL_NPROC are read by `limits`.
"""

import os


def env_int(name, default):
    """The integer value of environment variable `name`, or `default` when unset or not a number."""
    try:
        return int(os.environ.get(name, "") or default)
    except ValueError:
        return default


WORKDIR = os.environ.get("KERNEL_WORKDIR", "/work")
OUT_DIR = os.environ.get("KERNEL_OUT_DIR", os.path.join(WORKDIR, "out"))
STDOUT_CAP = env_int("KERNEL_STDOUT_CAP", 100_000)
STDERR_CAP = env_int("KERNEL_STDERR_CAP", 100_000)
MAX_FIGURES = env_int("KERNEL_MAX_FIGURES", 8)
MAX_FIGURE_BYTES = env_int("KERNEL_MAX_FIGURE_BYTES", 6_000_000)
MAX_FILE_BYTES = env_int("KERNEL_MAX_FILE_BYTES", 1_000_000)
MAX_FILES_BYTES = env_int("KERNEL_MAX_FILES_BYTES", 4_000_000)
MAX_FILES = env_int("KERNEL_MAX_FILES", 10)
RESULT_CAP = env_int("KERNEL_RESULT_CAP", 20_000)
MAX_FIGURE_PIXELS = env_int("KERNEL_MAX_FIGURE_PIXELS", 16_000_000)
TRACEBACK_CAP = 8_000
