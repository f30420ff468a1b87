"""@module sandbox/kernel/execution.py: running one cell against the session's persistent globals.

The code is parsed; a final bare expression is evaluated separately and returned like a notebook
cell. A soft timeout (SIGALRM) interrupts the code while keeping state. stdout/stderr are captured
with caps at the Python and the fd level; figures and out-dir files are collected afterwards.
"""

import ast
import builtins
import io
import linecache
import os
import signal
import sys
import time

from .capture import CappedWriter, FdCapture
from .config import STDERR_CAP, STDOUT_CAP
from .figures import FigureCollector, is_figure
from .files import collect_out_files, snapshot_out, write_input_files
from .tracebacks import error_info, format_tb, safe_repr


class SandboxTimeout(BaseException):
    """Raised inside user code when the soft timeout fires (BaseException: `except Exception` won't swallow it)."""


def empty_response(req_id):
    """A response with no output, the base every answer is built on."""
    return {
        "id": req_id,
        "stdout": "",
        "stderr": "",
        "result": None,
        "error": None,
        "figures": [],
        "files_out": [],
        "elapsed_ms": 0,
        "stdout_truncated": False,
        "stderr_truncated": False,
        "figures_dropped": 0,
        "timed_out": False,
        "notes": [],
    }


class Executor:
    """Executes requests against one persistent globals dict (sets up fd capture and SIGALRM)."""

    def __init__(self):
        self.globals = {"__name__": "__main__", "__builtins__": builtins}
        self.cell = 0
        self.in_user_code = False
        self.stdout = CappedWriter(STDOUT_CAP, "<stdout>")
        self.stderr = CappedWriter(STDERR_CAP, "<stderr>")
        self.figures = FigureCollector()
        tmp = os.environ.get("TMPDIR", "/tmp")
        self.fd_out = FdCapture(1, os.path.join(tmp, ".kernel-fd1-%d" % os.getpid()))
        self.fd_err = FdCapture(2, os.path.join(tmp, ".kernel-fd2-%d" % os.getpid()))
        signal.signal(signal.SIGALRM, self._on_alarm)

    def _on_alarm(self, _signum, _frame):
        if self.in_user_code:
            raise SandboxTimeout()

    def execute(self, req):
        """Run one request (`code`, optional `timeout_s` and `files`); returns its response."""
        resp = empty_response(req.get("id"))
        notes = resp["notes"]
        self.cell += 1
        filename = "<cell-%d>" % self.cell
        self.stdout.reset()
        self.stderr.reset()
        self.fd_out.collect(0)
        self.fd_err.collect(0)
        try:
            write_input_files(req.get("files") or [])
        except (OSError, ValueError) as exc:
            notes.append("input files not written: %s" % exc)
        out_before = snapshot_out()
        started = time.monotonic()
        has_result, result_value = self._run_cell(req["code"], filename, req.get("timeout_s"), resp)
        elapsed_ms = int((time.monotonic() - started) * 1000)
        if has_result and result_value is not None:
            self.globals["_"] = result_value
            if not is_figure(result_value):
                resp["result"] = safe_repr(result_value, notes)
        try:
            resp["figures"], resp["figures_dropped"] = self.figures.collect(result_value, notes)
        except Exception as exc:
            notes.append("figure capture failed: %s: %s" % (type(exc).__name__, exc))
        try:
            resp["files_out"] = collect_out_files(out_before, notes)
        except OSError as exc:
            notes.append("output file capture failed: %s" % exc)
        self._finish_output(resp)
        resp["elapsed_ms"] = elapsed_ms
        return resp

    def _run_cell(self, code, filename, timeout, resp):
        """Execute `code` with output captured; returns (has_result, value); sets resp["error"]."""
        result_value = None
        has_result = False
        saved = (sys.stdout, sys.stderr, sys.stdin)
        sys.stdout, sys.stderr = self.stdout, self.stderr
        sys.stdin = io.StringIO("")
        try:
            linecache.cache[filename] = (len(code), None, code.splitlines(True), filename)
            try:
                tree = ast.parse(code, filename=filename, mode="exec")
                last_expr = None
                if tree.body and isinstance(tree.body[-1], ast.Expr):
                    last_expr = ast.Expression(tree.body.pop().value)
                body = compile(tree, filename, "exec")
                tail = compile(last_expr, filename, "eval") if last_expr is not None else None
                if isinstance(timeout, (int, float)) and timeout > 0:
                    signal.setitimer(signal.ITIMER_REAL, float(timeout))
                self.in_user_code = True
                try:
                    exec(body, self.globals)
                    if tail is not None:
                        result_value = eval(tail, self.globals)
                        has_result = True
                finally:
                    self.in_user_code = False
                    signal.setitimer(signal.ITIMER_REAL, 0)
            except SandboxTimeout:
                resp["timed_out"] = True
                resp["error"] = {
                    "type": "TimeoutError",
                    "message": "execution exceeded the %.3g s time limit and was interrupted" % timeout,
                    "traceback": format_tb(sys.exc_info()[2], "TimeoutError: interrupted"),
                }
            except BaseException as exc:  # user errors, SystemExit, KeyboardInterrupt
                resp["error"] = error_info(exc)
        finally:
            self.in_user_code = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            for stream in (self.stdout, self.stderr):
                try:
                    stream.flush()
                except Exception:
                    pass
            sys.stdout, sys.stderr, sys.stdin = saved
        return has_result, result_value

    def _finish_output(self, resp):
        """Add native (fd-level) output from C extensions and subprocesses; fill the stream fields."""
        data, total = self.fd_out.collect(max(STDOUT_CAP - self.stdout.kept, 0))
        self.stdout.add_bytes(data, total)
        data, total = self.fd_err.collect(max(STDERR_CAP - self.stderr.kept, 0))
        self.stderr.add_bytes(data, total)
        resp["stdout"] = self.stdout.getvalue()
        resp["stderr"] = self.stderr.getvalue()
        resp["stdout_truncated"] = self.stdout.dropped > 0
        resp["stderr_truncated"] = self.stderr.dropped > 0
        self.stdout.reset()
        self.stderr.reset()
