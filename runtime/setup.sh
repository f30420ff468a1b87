#!/usr/bin/env bash
# @module runtime/setup.sh: prepare rootless Podman for MCP Router on Debian bookworm or trixie
# (run as root). The runtime images are Debian trixie either way (`deno task images`).
#
# Idempotent. Installs podman and friends, creates the unprivileged user `mcprouter` with
# subordinate id ranges, configures native overlay storage, and starts
# `podman system service` on /run/user/UID/podman/podman.sock as that user.
# The last line printed is `MCP_ROUTER_PODMAN_SOCKET=<path>` so callers can `eval` it:
#
#   eval "$(bash runtime/setup.sh | tail -n1)"
#
# Environment: MCP_ROUTER_USER (default mcprouter), MCP_ROUTER_SKIP_APT=1 to skip apt-get.
set -euo pipefail

USER_NAME="${MCP_ROUTER_USER:-mcprouter}"
USER_HOME="/var/lib/${USER_NAME}"

log() { echo "[setup] $*" >&2; }

if [ "$(id -u)" -ne 0 ]; then
  echo "runtime/setup.sh must run as root" >&2
  exit 1
fi

# 1. Packages --------------------------------------------------------------------------------
PKGS=(podman uidmap slirp4netns debootstrap fuse-overlayfs curl ca-certificates runc)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ] && [ "${MCP_ROUTER_SKIP_APT:-0}" != "1" ]; then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq "${missing[@]}" >&2
fi

# 2. User and subordinate ids ----------------------------------------------------------------
if ! id -u "$USER_NAME" >/dev/null 2>&1; then
  log "creating user $USER_NAME"
  useradd --create-home --home-dir "$USER_HOME" --shell /usr/sbin/nologin "$USER_NAME"
fi
USER_HOME="$(getent passwd "$USER_NAME" | cut -d: -f6)"
USER_UID="$(id -u "$USER_NAME")"
USER_GID="$(id -g "$USER_NAME")"
mkdir -p "$USER_HOME"
chown "$USER_UID:$USER_GID" "$USER_HOME"

# Every router container gets a private range of 2048 ids (userns=auto, runtime/userns.ts), so
# the user needs room for many: 2^20 ids = 512 containers. An existing smaller range (useradd's
# 100000:65536, or 200000:65536 from an earlier setup) is kept as is, since the images already
# stored are owned by ids in it, and a second range is added after every range in the file.
SUBID_TARGET="${MCP_ROUTER_SUBIDS:-1048576}"
touch /etc/subuid /etc/subgid
subids_changed=0
ensure_subids() { # ensure_subids FILE FLAG (--add-subuids | --add-subgids)
  local file="$1" flag="$2" have start
  have="$(awk -F: -v u="$USER_NAME" -v id="$USER_UID" \
    '($1 == u || $1 == id) { s += $3 } END { print s + 0 }' "$file")"
  if [ "$have" -ge "$SUBID_TARGET" ]; then return; fi
  start="$(awk -F: 'BEGIN { m = 200000 } { e = $2 + $3; if (e > m) m = e } END { print m }' "$file")"
  log "adding $((SUBID_TARGET - have)) ids to $file for $USER_NAME (had $have) from $start"
  usermod "$flag" "${start}-$((start + SUBID_TARGET - have - 1))" "$USER_NAME"
  subids_changed=1
}
ensure_subids /etc/subuid --add-subuids
ensure_subids /etc/subgid --add-subgids

# 3. /dev/net/tun for slirp4netns/pasta ------------------------------------------------------
if [ ! -c /dev/net/tun ]; then
  mkdir -p /dev/net
  mknod /dev/net/tun c 10 200
fi
chmod 666 /dev/net/tun

# 3b. Egress hook: keeps `egress` containers off the host's addresses (runtime/egress.ts) ----
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HOOK_BIN=/usr/local/libexec/mcp-router/egress-hook
HOOK_CONF=/usr/share/containers/oci/hooks.d/mcp-router-egress.json
install -D -m 0755 "$SCRIPT_DIR/egress-hook.sh" "$HOOK_BIN"
mkdir -p "$(dirname "$HOOK_CONF")"
cat >"$HOOK_CONF.tmp" <<JSON
{
  "version": "1.0.0",
  "hook": { "path": "$HOOK_BIN", "timeout": 10 },
  "when": { "annotations": { "^io\\\\.mcp-router\\\\.egress\$": "^no-host\$" } },
  "stages": ["createRuntime"]
}
JSON
chmod 0644 "$HOOK_CONF.tmp"
mv "$HOOK_CONF.tmp" "$HOOK_CONF"

# 4. Storage and engine configuration --------------------------------------------------------
# crun refuses hybrid cgroup hosts (v1 + a v2 "unified" mount with controllers); runc copes.
OCI_RUNTIME="crun"
if [ -f /sys/fs/cgroup/unified/cgroup.controllers ] &&
  [ -n "$(tr -d '[:space:]' </sys/fs/cgroup/unified/cgroup.controllers)" ]; then
  OCI_RUNTIME="runc"
fi
CONF_DIR="$USER_HOME/.config/containers"
mkdir -p "$CONF_DIR"
config_changed=0
write_conf() { # write_conf FILE (content on stdin); sets config_changed when it differs
  local tmp
  tmp="$(mktemp)"
  cat >"$tmp"
  if ! cmp -s "$tmp" "$1"; then
    mv "$tmp" "$1"
    chmod 0644 "$1"
    config_changed=1
  else
    rm -f "$tmp"
  fi
}
write_conf "$CONF_DIR/storage.conf" <<EOF
[storage]
driver = "overlay"
runroot = "/run/user/${USER_UID}/containers"
graphroot = "${USER_HOME}/.local/share/containers/storage"
EOF
# No systemd session here: use cgroupfs and file-based events.
write_conf "$CONF_DIR/containers.conf" <<EOF
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
runtime = "${OCI_RUNTIME}"

[containers]
log_driver = "k8s-file"
EOF
chown -R "$USER_UID:$USER_GID" "$USER_HOME/.config"
log "OCI runtime: $OCI_RUNTIME"
# New subordinate ids reach Podman only through a new user namespace: restart the service, and
# `podman system migrate` (below, on start) replaces the pause process holding the old one.
if [ "$subids_changed" = 1 ]; then config_changed=1; fi

# 5. Runtime dir and the API service ---------------------------------------------------------
RUNTIME_DIR="/run/user/${USER_UID}"
mkdir -p "$RUNTIME_DIR"
chown "$USER_UID:$USER_GID" "$RUNTIME_DIR"
chmod 0700 "$RUNTIME_DIR"
SOCKET="$RUNTIME_DIR/podman/podman.sock"
LOG_FILE="$USER_HOME/podman-service.log"

as_user() {
  runuser -u "$USER_NAME" -- env -i HOME="$USER_HOME" USER="$USER_NAME" LOGNAME="$USER_NAME" \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    XDG_RUNTIME_DIR="$RUNTIME_DIR" XDG_CONFIG_HOME="$USER_HOME/.config" \
    XDG_DATA_HOME="$USER_HOME/.local/share" "$@"
}

ping_socket() {
  [ -S "$SOCKET" ] && curl -fsS --max-time 3 --unix-socket "$SOCKET" http://d/_ping >/dev/null 2>&1
}

PID_FILE="$RUNTIME_DIR/podman-service.pid"
if ping_socket && [ "$config_changed" = 1 ]; then
  log "configuration changed: restarting podman service"
  pid="$(cat "$PID_FILE" 2>/dev/null || pgrep -u "$USER_NAME" -f "podman system service" | head -n1)"
  if [ -n "$pid" ]; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$SOCKET"
  fi
fi
if ping_socket; then
  log "podman service already answering on $SOCKET"
else
  log "starting podman system service on $SOCKET (log: $LOG_FILE)"
  as_user mkdir -p "$RUNTIME_DIR/podman"
  rm -f "$SOCKET"
  touch "$LOG_FILE"
  chown "$USER_UID:$USER_GID" "$LOG_FILE"
  # Migrate storage on a driver change (harmless when nothing changed).
  (cd "$USER_HOME" && as_user podman system migrate) >>"$LOG_FILE" 2>&1 || true
  # Redirect the whole background subshell, not only the command inside it: a forked shell
  # keeps a saved copy of its original stdout otherwise, and a caller reading this script's
  # output through a pipe (`$(bash setup.sh)`) would wait for it forever.
  (cd "$USER_HOME" && as_user setsid podman system service --time=0 "unix://$SOCKET") \
    >>"$LOG_FILE" 2>&1 </dev/null &
  for _ in $(seq 1 100); do
    ping_socket && break
    sleep 0.2
  done
  pgrep -u "$USER_NAME" -f "podman system service --time=0" | head -n1 >"$PID_FILE" || true
  if ! ping_socket; then
    echo "podman service did not answer on $SOCKET; see $LOG_FILE:" >&2
    tail -n 20 "$LOG_FILE" >&2 || true
    exit 1
  fi
fi
# Root can reach the socket anyway; keep the user's runtime dir private otherwise.
chmod 0700 "$RUNTIME_DIR"
chmod 0700 "$RUNTIME_DIR/podman"
chmod 0660 "$SOCKET"

# 6. Sanity check ----------------------------------------------------------------------------
driver="$(cd "$USER_HOME" && as_user podman info --format '{{.Store.GraphDriverName}}' 2>/dev/null || echo unknown)"
log "storage driver: $driver"
# Time a trivial container when the base image exists (skip with MCP_ROUTER_SETUP_CHECK=0).
if [ "${MCP_ROUTER_SETUP_CHECK:-1}" = "1" ]; then
  image="${MCP_ROUTER_BASE_IMAGE:-localhost/mcp-router-base:trixie}"
  if (cd "$USER_HOME" && as_user podman image exists "$image"); then
    start=$(date +%s%N)
    if (cd "$USER_HOME" && as_user podman run --rm --network none "$image" true) </dev/null >&2; then
      log "podman run --rm $image true: $((($(date +%s%N) - start) / 1000000)) ms"
    else
      echo "podman run --rm $image true failed" >&2
      exit 1
    fi
  else
    log "base image $image not built yet: run \`deno task images\` (as root)"
  fi
fi

echo "MCP_ROUTER_PODMAN_SOCKET=$SOCKET"
