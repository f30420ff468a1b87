"""@module sandbox/kernel: the python_sandbox interpreter (one per client session), as a package.

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

Run it as `python3 -u /opt/sandbox/kernel` (the folder) or `python3 -u -m kernel`. Modules:
`__main__` (entry: the private channel and start-up), `protocol` (the request loop), `execution`
(running one cell), `capture` (capped stdout/stderr, fd-level capture), `tracebacks` (errors and
results as text), `figures`, `files` (input files and /work/out), `limits` (rlimits), `config`.
Configuration (environment) is listed in `config`.
"""
