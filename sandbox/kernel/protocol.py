"""@module sandbox/kernel/protocol.py: the request loop on the private protocol channel: a ready
line, then one JSON request per line in and one JSON response per line out. A malformed line gets
a `protocol_error` answer; a bug in the kernel becomes a `KernelError` answer, never an exit.
"""

import json
import os
import sys
import traceback

from .config import TRACEBACK_CAP
from .execution import Executor, empty_response


class Kernel:
    """Serves requests from `proto_in` with one `Executor`, answering on `proto_out`."""

    def __init__(self, proto_in, proto_out, diag):
        self.proto_in = proto_in
        self.proto_out = proto_out
        self.diag = diag
        self.executor = Executor()

    def send(self, obj):
        """Write one protocol line (ASCII JSON) and flush it."""
        line = json.dumps(obj, ensure_ascii=True, separators=(",", ":")) + "\n"
        self.proto_out.write(line.encode("ascii"))
        self.proto_out.flush()

    def serve(self):
        """Say ready, then answer requests until the input closes."""
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
                resp = self.executor.execute(req)
            except BaseException as exc:  # never let the loop die on our own bug
                resp = empty_response(req.get("id"))
                resp["error"] = {
                    "type": "KernelError",
                    "message": "%s: %s" % (type(exc).__name__, exc),
                    "traceback": traceback.format_exc()[-TRACEBACK_CAP:],
                }
            self.send(resp)

