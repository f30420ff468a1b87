#!/bin/sh
# @module runtime/egress-hook.sh: OCI createRuntime hook keeping `egress` containers off the host.
#
# Installed by runtime/setup.sh as /usr/local/libexec/mcp-router/egress-hook and run by the OCI
# runtime for containers annotated io.mcp-router.egress=no-host (see runtime/egress.ts). It reads
# the container state (JSON with "pid") on stdin and, inside the container's network namespace,
# adds `prohibit` routes for every address of the host (loopback excepted: inside the container
# that is the container's own) and for link-local 169.254.0.0/16 (cloud metadata). Connections
# to the host's services through slirp4netns' NAT are then refused; the internet stays reachable.
# Any failure fails the container's creation (fail closed).
set -eu
PATH=/usr/sbin:/usr/bin:/sbin:/bin

state="$(cat)"
pid="$(printf '%s' "$state" | tr -d ' \n\t' | sed -n 's/.*"pid":\([0-9][0-9]*\).*/\1/p')"
if [ -z "$pid" ] || [ ! -e "/proc/$pid/ns/net" ]; then
  echo "mcp-router egress hook: no container pid in the OCI state" >&2
  exit 1
fi
in_ns() { nsenter --net="/proc/$pid/ns/net" "$@"; }

in_ns ip route replace prohibit 169.254.0.0/16
for addr in $(ip -o -4 addr show | awk '{print $4}' | cut -d/ -f1); do
  case "$addr" in 127.*) continue ;; esac
  in_ns ip route replace prohibit "$addr/32"
done
# IPv6 is often absent inside the namespace: best effort.
for addr in $(ip -o -6 addr show scope global | awk '{print $4}' | cut -d/ -f1); do
  in_ns ip -6 route replace prohibit "$addr/128" 2>/dev/null || true
done
exit 0
