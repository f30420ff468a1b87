#!/usr/bin/env bash
# Count the ignored tests of a `deno test` run and say which of them are Podman or Chromium
# integration tests.
#
#   bash .ci/ignored.sh TEST_OUTPUT [TESTS_DIR]
#
# Prints `ignored=N podman=N chromium=N` on its first line, then one `podman: FILE => NAME` or
# `chromium: FILE => NAME` line per skipped integration test. A test is a Chromium test when its
# file is under tests/ui/; a Podman test when its file (outside tests/ui/ and tests/compat/, the
# separate compatibility suite) reads the Podman socket setting. Works on `--parallel` output
# (`./file => name ... ignored (0ms)`) and on serial output (`running N tests from ./file`).
set -uo pipefail
out_file="$1"
tests_dir="${2:-tests}"
podman_files="$(grep -rlE "MCP_ROUTER_PODMAN_SOCKET|LIVE_SOCKET|NO_PODMAN|hasPodman" "$tests_dir" \
  --include='*.ts' 2>/dev/null | sed -E 's|^\./||; s|^|./|' | sort -u)"
summary="$(grep -E '(ok|FAILED) \| [0-9]+ passed' "$out_file" | tail -n1)"
ignored="$(echo "$summary" | grep -oE '[0-9]+ ignored' | grep -oE '[0-9]+')"
awk -v podman_files="$podman_files" -v ignored="${ignored:-0}" '
  BEGIN {
    n = split(podman_files, list, "\n")
    for (i = 1; i <= n; i++) if (list[i] != "") podman[list[i]] = 1
  }
  { gsub(/\x1b\[[0-9;]*m/, "") }
  /^running [0-9]+ tests? from / { file = $NF; next }
  / \.\.\. ignored \([^)]*\)$/ {
    line = $0
    sub(/ \.\.\. ignored \([^)]*\)$/, "", line)
    f = file
    if (index(line, " => ") > 0) { f = substr(line, 1, index(line, " => ") - 1); line = substr(line, index(line, " => ") + 4) }
    if (f ~ /^\.\/tests\/ui\//) { chromium++; names[++k] = "chromium: " f " => " line }
    else if ((f in podman) && f !~ /^\.\/tests\/compat\//) { pod++; names[++k] = "podman: " f " => " line }
  }
  END {
    printf "ignored=%d podman=%d chromium=%d\n", ignored, pod, chromium
    for (i = 1; i <= k; i++) print names[i]
  }
' "$out_file"
