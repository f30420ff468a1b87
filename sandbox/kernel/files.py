"""@module sandbox/kernel/files.py: files in and out of a call. Input files (plain names only) are
written to the work dir before the code runs; files under the out dir that the call created or
changed are returned base64-encoded, within per-file, total and count caps.
"""

import base64
import mimetypes
import os

from .config import MAX_FILE_BYTES, MAX_FILES, MAX_FILES_BYTES, OUT_DIR, WORKDIR


def write_input_files(files):
    """Write the request's `files` into the work dir; raises ValueError on a name with a path."""
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


def snapshot_out():
    """Path → (mtime ns, size) of every file under the out dir."""
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


def collect_out_files(before, notes):
    """The out-dir files changed since the `before` snapshot, as protocol entries."""
    after = snapshot_out()
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
