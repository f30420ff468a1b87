"""@module sandbox/kernel/capture.py: output capture. `CappedWriter` is a text stream keeping at
most a byte cap (the rest is counted and dropped); `FdCapture` points fd 1 or 2 at a scratch file
so output from C extensions and subprocesses is captured too.
"""

import io
import os


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
