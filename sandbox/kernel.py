"""@module sandbox/kernel.py: the python_sandbox interpreter (one per client session).

A long-lived, notebook-like Python interpreter speaking line-delimited JSON:

* stdin  (one request per line):  {"id": str, "code": str, "timeout_s"?: float,
                                   "files"?: [{"name": str, "content": str, "encoding"?: "utf-8"|"base64"}]}
* stdout (one response per line): {"id", "stdout", "stderr", "result", "error", "figures",
                                   "files_out", "elapsed_ms", "stdout_truncated", "stderr_truncated",
                                   "figures_dropped", "timed_out", "notes"}
  The first line written is {"ready": true, "python": "3.x.y", "pid": n}.

Globals persist across requests. stdout/stderr are captured with a byte cap (output past the cap is
counted and dropped, so an endless print loop cannot grow memory). Every matplotlib figure created
or modified by a request is rendered to PNG (capped in count and bytes) and then closed. Files
written to /work/out are returned base64-encoded (capped). The protocol channel is a private
duplicate of the original stdin/stdout: user code sees /dev/null on fd 0 and per-request capture
files on fds 1 and 2, so neither input() nor a subprocess can corrupt the protocol.

Configuration (environment): KERNEL_WORKDIR (/work), KERNEL_OUT_DIR (<workdir>/out),
KERNEL_STDOUT_CAP / KERNEL_STDERR_CAP (bytes, 100000), KERNEL_MAX_FIGURES (8),
KERNEL_MAX_FIGURE_BYTES (total PNG bytes, 6000000), KERNEL_MAX_FILE_BYTES (1000000 each),
KERNEL_MAX_FILES_BYTES (4000000 total), KERNEL_MAX_FILES (10), KERNEL_RESULT_CAP (20000 chars),
KERNEL_MEMORY_MB (RLIMIT_AS, unset = none), KERNEL_FSIZE_MB (RLIMIT_FSIZE, 256),
KERNEL_NPROC (RLIMIT_NPROC, unset = none).
"""

import ast
import base64
import io
import json
import linecache
import mimetypes
import os
import signal
import sys
import time
import traceback
import warnings
import weakref


def _env_int(name, default):
    try:
        return int(os.environ.get(name, "") or default)
    except ValueError:
        return default


WORKDIR = os.environ.get("KERNEL_WORKDIR", "/work")
OUT_DIR = os.environ.get("KERNEL_OUT_DIR", os.path.join(WORKDIR, "out"))
STDOUT_CAP = _env_int("KERNEL_STDOUT_CAP", 100_000)
STDERR_CAP = _env_int("KERNEL_STDERR_CAP", 100_000)
MAX_FIGURES = _env_int("KERNEL_MAX_FIGURES", 8)
MAX_FIGURE_BYTES = _env_int("KERNEL_MAX_FIGURE_BYTES", 6_000_000)
MAX_FILE_BYTES = _env_int("KERNEL_MAX_FILE_BYTES", 1_000_000)
MAX_FILES_BYTES = _env_int("KERNEL_MAX_FILES_BYTES", 4_000_000)
MAX_FILES = _env_int("KERNEL_MAX_FILES", 10)
RESULT_CAP = _env_int("KERNEL_RESULT_CAP", 20_000)
MAX_FIGURE_PIXELS = _env_int("KERNEL_MAX_FIGURE_PIXELS", 16_000_000)
TRACEBACK_CAP = 8_000


class SandboxTimeout(BaseException):
    """Raised inside user code when the soft timeout fires (BaseException: `except Exception` won't swallow it)."""


class CappedWriter(io.TextIOBase):
    """A text stream keeping at most `cap` bytes (UTF-8) and counting the rest."""

    def __init__(self, cap, name):
        super().__init__()
        self.cap = cap
        self._name = name
        self.reset()

    def reset(self):
        self.parts = []
        self.kept = 0
        self.dropped = 0

    @property
    def name(self):
        return self._name

    @property
    def encoding(self):
        return "utf-8"

    @property
    def errors(self):
        return "replace"

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, s):
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not " + type(s).__name__)
        room = self.cap - self.kept
        if room <= 0:
            self.dropped += len(s)
            return len(s)
        data = s.encode("utf-8", "replace")
        if len(data) <= room:
            self.parts.append(s)
            self.kept += len(data)
        else:
            head = data[:room].decode("utf-8", "ignore")
            self.parts.append(head)
            self.kept = self.cap
            self.dropped += len(data) - room
        return len(s)

    def add_bytes(self, data, total):
        """Append raw fd-level output (already capped by the reader); `total` is its full size."""
        if total <= 0:
            return
        room = self.cap - self.kept
        take = data[: max(room, 0)]
        if take:
            self.parts.append(take.decode("utf-8", "replace"))
            self.kept += len(take)
        self.dropped += total - len(take)

    def flush(self):
        pass

    def getvalue(self):
        text = "".join(self.parts)
        if self.dropped:
            text += "\n[... output truncated: %d more bytes dropped (cap %d bytes) ...]\n" % (
                self.dropped,
                self.cap,
            )
        return text


class FdCapture:
    """Points fd 1 or 2 at a scratch file so C-level/subprocess output is captured, not lost."""

    def __init__(self, fd, path):
        self.fd = fd
        self.path = path
        self.file_fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
        os.dup2(self.file_fd, fd)

    def collect(self, cap):
        """Return (first `cap` bytes, total size) written since the last collect, then truncate."""
        try:
            total = os.fstat(self.file_fd).st_size
            if total == 0:
                return b"", 0
            os.lseek(self.file_fd, 0, os.SEEK_SET)
            data = os.read(self.file_fd, max(cap, 0)) if cap > 0 else b""
            os.ftruncate(self.file_fd, 0)
            return data, total
        except OSError:
            return b"", 0


def _set_limits():
    try:
        import resource
    except ImportError:  # pragma: no cover - non-POSIX
        return
    limits = []
    mem = _env_int("KERNEL_MEMORY_MB", 0)
    if mem > 0:
        limits.append((resource.RLIMIT_AS, mem * 1024 * 1024))
    fsize = _env_int("KERNEL_FSIZE_MB", 256)
    if fsize > 0:
        limits.append((resource.RLIMIT_FSIZE, fsize * 1024 * 1024))
    nproc = _env_int("KERNEL_NPROC", 0)
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


def _prepare_matplotlib():
    os.environ.setdefault("MPLBACKEND", "Agg")
    if "MPLCONFIGDIR" not in os.environ:
        target = os.path.join(os.environ.get("TMPDIR", "/tmp"), "matplotlib")
        os.environ["MPLCONFIGDIR"] = target
        seed = os.environ.get("KERNEL_MPL_CACHE", "/opt/sandbox/mplcache")
        try:
            os.makedirs(target, exist_ok=True)
            if os.path.isdir(seed):
                for name in os.listdir(seed):
                    src = os.path.join(seed, name)
                    dst = os.path.join(target, name)
                    if os.path.isfile(src) and not os.path.exists(dst):
                        with open(src, "rb") as fin, open(dst, "wb") as fout:
                            fout.write(fin.read())
        except OSError:
            pass
    warnings.filterwarnings("ignore", message=".*non-interactive.*")
    warnings.filterwarnings("ignore", message=".*Matplotlib is currently using agg.*")


class Kernel:
    """Executes requests against one persistent globals dict."""

    def __init__(self, proto_in, proto_out, diag):
        self.proto_in = proto_in
        self.proto_out = proto_out
        self.diag = diag
        self.globals = {"__name__": "__main__", "__builtins__": __builtins__}
        self.cell = 0
        self.in_user_code = False
        self.stdout = CappedWriter(STDOUT_CAP, "<stdout>")
        self.stderr = CappedWriter(STDERR_CAP, "<stderr>")
        self.seen_figures = weakref.WeakSet()
        tmp = os.environ.get("TMPDIR", "/tmp")
        self.fd_out = FdCapture(1, os.path.join(tmp, ".kernel-fd1-%d" % os.getpid()))
        self.fd_err = FdCapture(2, os.path.join(tmp, ".kernel-fd2-%d" % os.getpid()))
        signal.signal(signal.SIGALRM, self._on_alarm)

    # -- protocol ---------------------------------------------------------------------------------

    def send(self, obj):
        line = json.dumps(obj, ensure_ascii=True, separators=(",", ":")) + "\n"
        self.proto_out.write(line.encode("ascii"))
        self.proto_out.flush()

    def serve(self):
        self.send({"ready": True, "python": sys.version.split()[0], "pid": os.getpid()})
        while True:
            line = self.proto_in.readline()
            if not line:
                return
            line = line.strip()
            if not line:
                continue
            try:
                req = json.loads(line)
                if not isinstance(req, dict) or not isinstance(req.get("code"), str):
                    raise ValueError("request must be an object with a string 'code'")
            except ValueError as exc:
                self.send({"id": None, "protocol_error": str(exc)})
                continue
            try:
                resp = self.execute(req)
            except BaseException as exc:  # never let the loop die on our own bug
                resp = self._empty_response(req.get("id"))
                resp["error"] = {
                    "type": "KernelError",
                    "message": "%s: %s" % (type(exc).__name__, exc),
                    "traceback": traceback.format_exc()[-TRACEBACK_CAP:],
                }
            self.send(resp)

    # -- execution --------------------------------------------------------------------------------

    def _on_alarm(self, _signum, _frame):
        if self.in_user_code:
            raise SandboxTimeout()

    def _empty_response(self, req_id):
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

    def execute(self, req):
        resp = self._empty_response(req.get("id"))
        notes = resp["notes"]
        self.cell += 1
        filename = "<cell-%d>" % self.cell
        code = req["code"]
        self.stdout.reset()
        self.stderr.reset()
        self.fd_out.collect(0)
        self.fd_err.collect(0)
        try:
            self._write_input_files(req.get("files") or [])
        except (OSError, ValueError) as exc:
            notes.append("input files not written: %s" % exc)
        out_before = self._snapshot_out()
        timeout = req.get("timeout_s")
        started = time.monotonic()
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
                    "traceback": self._format_tb(sys.exc_info()[2], filename, "TimeoutError: interrupted"),
                }
            except BaseException as exc:  # user errors, SystemExit, KeyboardInterrupt
                resp["error"] = self._error(exc, filename)
        finally:
            self.in_user_code = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            for stream in (self.stdout, self.stderr):
                try:
                    stream.flush()
                except Exception:
                    pass
            sys.stdout, sys.stderr, sys.stdin = saved
        elapsed_ms = int((time.monotonic() - started) * 1000)
        if has_result and result_value is not None:
            self.globals["_"] = result_value
            if not self._is_figure(result_value):
                resp["result"] = self._safe_repr(result_value, notes)
        try:
            resp["figures"], resp["figures_dropped"] = self._collect_figures(result_value, notes)
        except Exception as exc:
            notes.append("figure capture failed: %s: %s" % (type(exc).__name__, exc))
        try:
            resp["files_out"] = self._collect_out_files(out_before, notes)
        except OSError as exc:
            notes.append("output file capture failed: %s" % exc)
        # Native (fd-level) output from C extensions and subprocesses.
        data, total = self.fd_out.collect(max(STDOUT_CAP - self.stdout.kept, 0))
        self.stdout.add_bytes(data, total)
        data, total = self.fd_err.collect(max(STDERR_CAP - self.stderr.kept, 0))
        self.stderr.add_bytes(data, total)
        resp["stdout"] = self.stdout.getvalue()
        resp["stderr"] = self.stderr.getvalue()
        resp["stdout_truncated"] = self.stdout.dropped > 0
        resp["stderr_truncated"] = self.stderr.dropped > 0
        resp["elapsed_ms"] = elapsed_ms
        self.stdout.reset()
        self.stderr.reset()
        return resp

    def _safe_repr(self, value, notes):
        try:
            text = repr(value)
        except Exception as exc:
            return "<repr failed: %s: %s>" % (type(exc).__name__, exc)
        if len(text) > RESULT_CAP:
            notes.append("result repr truncated from %d characters" % len(text))
            text = text[:RESULT_CAP] + "\n[... result truncated ...]"
        return text

    def _format_tb(self, tb, filename, tail_line):
        here = os.path.abspath(__file__)
        frames = [f for f in traceback.extract_tb(tb) if os.path.abspath(f.filename) != here]
        # Drop the kernel's own frames: start at the first frame of the user's cell.
        for i, frame in enumerate(frames):
            if frame.filename.startswith("<cell-"):
                frames = frames[i:]
                break
        text = "Traceback (most recent call last):\n" + "".join(traceback.format_list(frames)) + tail_line
        return self._trim(text)

    def _trim(self, text):
        if len(text) > TRACEBACK_CAP:
            half = TRACEBACK_CAP // 2
            text = text[:half] + "\n[... traceback trimmed ...]\n" + text[-half:]
        return text

    def _error(self, exc, filename):
        if isinstance(exc, SyntaxError):
            text = "".join(traceback.format_exception_only(type(exc), exc))
            return {"type": type(exc).__name__, "message": str(exc.msg), "traceback": self._trim(text)}
        tail = "".join(traceback.format_exception_only(type(exc), exc))
        message = str(exc)
        if isinstance(exc, SystemExit):
            message = "SystemExit(%r): the interpreter keeps running" % (exc.code,)
        return {
            "type": type(exc).__name__,
            "message": message[:TRACEBACK_CAP],
            "traceback": self._format_tb(exc.__traceback__, filename, tail),
        }

    # -- figures ----------------------------------------------------------------------------------

    def _is_figure(self, value):
        mpl_figure = sys.modules.get("matplotlib.figure")
        return mpl_figure is not None and isinstance(value, mpl_figure.Figure)

    def _collect_figures(self, result_value, notes):
        plt = sys.modules.get("matplotlib.pyplot")
        if plt is None and "matplotlib.figure" not in sys.modules:
            return [], 0
        figures = []
        ids = set()

        def add(fig):
            if id(fig) not in ids:
                ids.add(id(fig))
                figures.append(fig)

        if plt is not None:
            for num in plt.get_fignums():
                add(plt.figure(num))
        # Figures from earlier calls (closed, but still referenced) that this call modified.
        for fig in list(self.seen_figures):
            if getattr(fig, "stale", False):
                add(fig)
        if self._is_figure(result_value):
            add(result_value)
        images = []
        used = 0
        dropped = 0
        for fig in figures:
            if len(images) >= MAX_FIGURES:
                dropped += 1
                continue
            buf = io.BytesIO()
            try:
                width, height = fig.get_size_inches()
                dpi = 100.0
                if width * height * dpi * dpi > MAX_FIGURE_PIXELS:
                    dpi = max(10.0, (0.9 * MAX_FIGURE_PIXELS / max(width * height, 1e-6)) ** 0.5)
                    notes.append("a large figure was rendered at %d dpi" % dpi)
                fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
            except Exception as exc:
                notes.append("figure could not be rendered: %s: %s" % (type(exc).__name__, exc))
                continue
            png = buf.getvalue()
            if used + len(png) > MAX_FIGURE_BYTES:
                dropped += 1
                continue
            used += len(png)
            images.append(base64.b64encode(png).decode("ascii"))
        for fig in figures:
            try:
                fig.stale = False
            except Exception:
                pass
            self.seen_figures.add(fig)
        if plt is not None:
            plt.close("all")
        if dropped:
            notes.append(
                "%d figure(s) not returned (limit %d figures, %d PNG bytes)"
                % (dropped, MAX_FIGURES, MAX_FIGURE_BYTES)
            )
        return images, dropped

    # -- files ------------------------------------------------------------------------------------

    def _write_input_files(self, files):
        for item in files:
            name = item.get("name")
            if not isinstance(name, str) or not name or "/" in name or "\\" in name or name in (".", ".."):
                raise ValueError("invalid file name %r" % (name,))
            content = item.get("content", "")
            if item.get("encoding") == "base64":
                data = base64.b64decode(content)
            else:
                data = str(content).encode("utf-8")
            with open(os.path.join(WORKDIR, name), "wb") as fh:
                fh.write(data)

    def _snapshot_out(self):
        snap = {}
        if not os.path.isdir(OUT_DIR):
            return snap
        for root, _dirs, names in os.walk(OUT_DIR):
            for name in names:
                path = os.path.join(root, name)
                try:
                    st = os.stat(path)
                except OSError:
                    continue
                snap[path] = (st.st_mtime_ns, st.st_size)
        return snap

    def _collect_out_files(self, before, notes):
        after = self._snapshot_out()
        changed = sorted(p for p, sig in after.items() if before.get(p) != sig)
        out = []
        total = 0
        for path in changed:
            rel = os.path.relpath(path, OUT_DIR)
            size = after[path][1]
            mime = mimetypes.guess_type(rel)[0] or "application/octet-stream"
            entry = {"name": rel, "path": path, "size": size, "mime_type": mime, "data": None}
            if len(out) >= MAX_FILES:
                notes.append("output file %s not returned (limit %d files)" % (rel, MAX_FILES))
                continue
            if size > MAX_FILE_BYTES or total + size > MAX_FILES_BYTES:
                entry["skipped"] = "too large (%d bytes; limit %d each, %d total)" % (
                    size,
                    MAX_FILE_BYTES,
                    MAX_FILES_BYTES,
                )
            else:
                with open(path, "rb") as fh:
                    data = fh.read(MAX_FILE_BYTES + 1)
                total += len(data)
                entry["data"] = base64.b64encode(data).decode("ascii")
            out.append(entry)
        return out


def main():
    # Private protocol channel: duplicate the original stdin/stdout, then give user code
    # /dev/null on fd 0 and capture files on fds 1/2 (set up by Kernel).
    proto_in = os.fdopen(os.dup(0), "rb", buffering=0)
    proto_out = os.fdopen(os.dup(1), "wb")
    diag = os.fdopen(os.dup(2), "w", buffering=1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    # Outside requests, stray writes (kernel diagnostics, leftover user threads) reach the
    # container's stderr, never the protocol channel.
    sys.__stderr__ = sys.__stdout__ = sys.stderr = sys.stdout = diag
    _prepare_matplotlib()
    _set_limits()
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
