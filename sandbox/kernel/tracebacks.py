"""@module sandbox/kernel/tracebacks.py: what the user sees of errors and results: exceptions as
{type, message, traceback} with the kernel's own frames removed, and capped `repr()`s.
"""

import os
import traceback

from .config import RESULT_CAP, TRACEBACK_CAP

PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def trim(text):
    """Cut the middle of a text longer than the traceback cap."""
    if len(text) > TRACEBACK_CAP:
        half = TRACEBACK_CAP // 2
        text = text[:half] + "\n[... traceback trimmed ...]\n" + text[-half:]
    return text


def format_tb(tb, tail_line):
    """A traceback of the user's frames only (from the first `<cell-N>` frame), then `tail_line`."""
    frames = [
        f for f in traceback.extract_tb(tb)
        if os.path.dirname(os.path.abspath(f.filename)) != PACKAGE_DIR
    ]
    # Drop the kernel's own frames: start at the first frame of the user's cell.
    for i, frame in enumerate(frames):
        if frame.filename.startswith("<cell-"):
            frames = frames[i:]
            break
    text = "Traceback (most recent call last):\n" + "".join(traceback.format_list(frames)) + tail_line
    return trim(text)


def error_info(exc):
    """The protocol's `error` object for an exception raised by user code."""
    if isinstance(exc, SyntaxError):
        text = "".join(traceback.format_exception_only(type(exc), exc))
        return {"type": type(exc).__name__, "message": str(exc.msg), "traceback": trim(text)}
    tail = "".join(traceback.format_exception_only(type(exc), exc))
    message = str(exc)
    if isinstance(exc, SystemExit):
        message = "SystemExit(%r): the interpreter keeps running" % (exc.code,)
    return {
        "type": type(exc).__name__,
        "message": message[:TRACEBACK_CAP],
        "traceback": format_tb(exc.__traceback__, tail),
    }


def safe_repr(value, notes):
    """`repr(value)`, capped (with a note), or a placeholder when repr itself fails."""
    try:
        text = repr(value)
    except Exception as exc:
        return "<repr failed: %s: %s>" % (type(exc).__name__, exc)
    if len(text) > RESULT_CAP:
        notes.append("result repr truncated from %d characters" % len(text))
        text = text[:RESULT_CAP] + "\n[... result truncated ...]"
    return text
