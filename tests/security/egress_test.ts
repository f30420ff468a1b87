/**
 * Finding 7 (low): containers reached host services on non-loopback interfaces. Each server now
 * has an egress policy, `network: none | egress | host-services` (default `egress`). Through a
 * real router, three servers on real containers probe TCP listeners this test opens on the
 * host's loopback (reached from a container as slirp4netns' 10.0.2.2) and on the host's
 * non-loopback address, and report what answered (a tiny stdio MCP server in bash whose tool
 * description carries the results):
 *
 * - `none` reaches nothing;
 * - `egress` reaches neither listener (host loopback closed by slirp4netns, the host's other
 *   addresses by the egress OCI hook) — where health says the hook is not installed, the test
 *   asserts that health says so instead;
 * - `host-services` reaches the listener on the host's non-loopback address (today's behaviour).
 *
 * Bad policies get a 400. Skipped without a Podman socket.
 */
import assert from "node:assert/strict";
import { createKey } from "./cli.ts";
import { startRouter } from "../router_process.ts";
import { withTmpDir } from "../helpers.ts";
import {
  BASE_IMAGE,
  LIVE_NOTE,
  LIVE_OPTS,
  LIVE_SOCKET,
  NO_PODMAN,
} from "../runtime/podman/live.ts";

/** slirp4netns' address of the host (its loopback when host loopback is allowed). */
const SLIRP_HOST = "10.0.2.2";

/** The host's first non-loopback IPv4 address. */
function hostAddress(): string | null {
  const found = Deno.networkInterfaces().find((i) =>
    i.family === "IPv4" && !i.address.startsWith("127.")
  );
  return found?.address ?? null;
}

/** A TCP listener answering `hello` on `hostname` (any free port). */
function listen(hostname: string): { port: number; close(): void } {
  const listener = Deno.listen({ hostname, port: 0 });
  (async () => {
    for await (const conn of listener) {
      conn.write(new TextEncoder().encode("hello\n")).catch(() => {}).finally(() => {
        try {
          conn.close();
        } catch {
          // closed already
        }
      });
    }
  })().catch(() => {});
  return { port: (listener.addr as Deno.NetAddr).port, close: () => listener.close() };
}

/** An internet host the probe connects to, when the test machine reaches it itself. */
const INTERNET = "deb.debian.org:80";

/** Whether this machine reaches `target` (`host:port`) within 5 s. */
async function reachable(target: string): Promise<boolean> {
  const [hostname, port] = target.split(":");
  const conn = await Promise.race([
    Deno.connect({ hostname, port: Number(port) }).catch(() => null),
    new Promise<null>((r) => setTimeout(() => r(null), 5_000)),
  ]);
  conn?.close();
  return conn !== null;
}

/**
 * A stdio MCP server in bash: probe each `host:port` target first (OPEN when it answers `hello`;
 * for {@linkcode INTERNET}, when it accepts), then answer `initialize` and `tools/list` with one
 * tool whose description lists the results.
 */
function probeServer(targets: string[]): string {
  return `
results=""
for t in ${targets.join(" ")}; do
  h="\${t%:*}"; p="\${t##*:}"
  if [ "$t" = ${INTERNET} ]; then
    if timeout 5 bash -c "exec 3<>/dev/tcp/$h/$p" 2>/dev/null; then
      results="$results $t=OPEN"
    else
      results="$results $t=closed"
    fi
  elif out="$(timeout 4 bash -c "exec 3<>/dev/tcp/$h/$p && head -c 5 <&3" 2>/dev/null)" && [ "$out" = hello ]; then
    results="$results $t=OPEN"
  else
    results="$results $t=closed"
  fi
done
while IFS= read -r line; do
  id="$(printf '%s' "$line" | sed -n 's/.*"id":\\([0-9][0-9]*\\).*/\\1/p')"
  method="$(printf '%s' "$line" | sed -n 's/.*"method":"\\([^"]*\\)".*/\\1/p')"
  [ -n "$id" ] || continue
  case "$method" in
    initialize) printf '{"jsonrpc":"2.0","id":%s,"result":{"protocolVersion":"2025-06-18","capabilities":{"tools":{}},"serverInfo":{"name":"probe","version":"1"}}}\\n' "$id" ;;
    tools/list) printf '{"jsonrpc":"2.0","id":%s,"result":{"tools":[{"name":"probe","description":"%s","inputSchema":{"type":"object"}}]}}\\n' "$id" "$results" ;;
    *) printf '{"jsonrpc":"2.0","id":%s,"error":{"code":-32601,"message":"no"}}\\n' "$id" ;;
  esac
done
`;
}

Deno.test({
  name: `Security - a server's egress policy decides what its container reaches${LIVE_NOTE}`,
  ignore: NO_PODMAN,
  ...LIVE_OPTS,
  async fn() {
    const host = hostAddress();
    assert.ok(host, "the host has a non-loopback IPv4 address");
    const loopback = listen("127.0.0.1");
    const external = listen(host);
    await using tmp = await withTmpDir();
    const key = await createKey(tmp.path, "ops", "admin");
    const auth = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const router = await startRouter(tmp.path, LIVE_SOCKET);
    const hostLoopback = `${SLIRP_HOST}:${loopback.port}`;
    const hostExternal = `${host}:${external.port}`;
    const internet = await reachable(INTERNET);
    const targets = [hostLoopback, hostExternal, ...(internet ? [INTERNET] : [])];
    try {
      const health = await (await router.request("/api/health", { headers: auth })).json() as {
        limits_in_force: string[];
      };
      const egressLine = health.limits_in_force.find((l) => l.startsWith("egress servers"));
      console.log(`health: ${egressLine}`);
      assert.ok(egressLine, "health states the egress policy");
      const hookInstalled = egressLine.includes("host addresses refused");

      // Bad input: an unknown policy, and `none` for a server reached over a published port.
      for (
        const bad of [{ network: "internet" }, { network: "none", transport: "sse", port: 3000 }]
      ) {
        const res = await router.request("/api/servers", {
          method: "POST",
          headers: auth,
          body: JSON.stringify({ name: "bad", runtime: "image", image: BASE_IMAGE, ...bad }),
        });
        assert.equal(res.status, 400, `${JSON.stringify(bad)} → ${res.status}`);
        await res.body?.cancel();
      }

      const seen: Record<string, Record<string, string>> = {};
      for (const network of ["none", "egress", "host-services"]) {
        const created = await router.request("/api/servers", {
          method: "POST",
          headers: auth,
          body: JSON.stringify({
            name: `probe-${network}`,
            runtime: "image",
            image: BASE_IMAGE,
            command: "bash",
            args: ["-c", probeServer(targets)],
            network,
          }),
        });
        const server = await created.json() as { id: string; network: string };
        assert.equal(created.status, 201, JSON.stringify(server));
        assert.equal(server.network, network, "the policy is stored and returned");
        const res = await router.request(`/api/servers/${server.id}/test`, {
          method: "POST",
          headers: auth,
        });
        const report = await res.json() as {
          ok: boolean;
          tools: { name: string; description?: string }[];
          error: string | null;
          logs: string[];
        };
        assert.ok(report.ok, `${network}: ${report.error} ${report.logs?.join("\n")}`);
        const results = Object.fromEntries(
          (report.tools[0].description ?? "").trim().split(/\s+/).map((r) => r.split("=")),
        );
        seen[network] = results;
        console.log(`${network}: ${JSON.stringify(results)}`);
      }

      // none: nothing at all.
      assert.equal(seen.none[hostLoopback], "closed");
      assert.equal(seen.none[hostExternal], "closed");
      if (internet) {
        assert.equal(seen.none[INTERNET], "closed", "no internet without a network");
        assert.equal(seen.egress[INTERNET], "OPEN", "egress reaches the internet");
      } else console.log(`${INTERNET} unreachable from this machine: internet egress not checked`);
      // egress: the host's loopback never; its other addresses not when the hook is in force.
      assert.equal(seen.egress[hostLoopback], "closed", "host loopback from an egress container");
      if (hookInstalled) {
        assert.equal(seen.egress[hostExternal], "closed", "host address from an egress container");
      } else {
        assert.match(egressLine, /reachable/, "health says the host's addresses stay reachable");
      }
      // host-services: today's behaviour, the host's services on its non-loopback address.
      assert.equal(seen["host-services"][hostExternal], "OPEN");
    } finally {
      await router.stop();
      loopback.close();
      external.close();
    }
  },
});
