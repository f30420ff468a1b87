/**
 * @module Profiling aid for the warm call path: runs the router child (`router_child.ts`, API key
 * required) under `deno run --cpu-prof --cpu-prof-dir=tests/.artifacts/prof`, drives a warm
 * `tools/call echo` loop against server-everything through `/mcp` (2025-11-25 sessions, lean wire
 * client), stops the router (which writes the profile), and prints the self time per function
 * (top 40, `url:line`) and per module group for the loop window only (samples between the loop's
 * start and end, read on CLOCK_MONOTONIC via `/proc/uptime`; the whole profile when the clocks
 * do not line up). Needs `MCP_ROUTER_PODMAN_SOCKET`.
 *
 * Usage: `deno run -A tests/bench/profile_warm_call.ts [--seconds 20] [--sessions 1]`
 * Writes `tests/.artifacts/prof/summary.txt` and `summary.json` next to the `.cpuprofile`.
 */
import { parseArgs } from "node:util";
import { setLogSink } from "../../runtime/foundation/log.ts";
import { spawnRouter } from "./router_child.ts";
import { openWireSession, type WireSession } from "./mcp_wire.ts";
import { CpuProfileSchema, renderProfile, summarizeProfile } from "./cpu_profile.ts";
import { probeSocket } from "./setup.ts";

const PROF_DIR = new URL("../.artifacts/prof/", import.meta.url).pathname;
const ROOT = new URL("../../", import.meta.url).href;

/** CLOCK_MONOTONIC-ish now in µs (`/proc/uptime`, 10 ms resolution). */
function uptimeUs(): number {
  return Number(Deno.readTextFileSync("/proc/uptime").split(" ")[0]) * 1e6;
}

async function profiles(): Promise<Set<string>> {
  const out = new Set<string>();
  for await (const e of Deno.readDir(PROF_DIR)) {
    if (e.name.endsWith(".cpuprofile")) out.add(e.name);
  }
  return out;
}

async function loop(sessions: WireSession[], ms: number): Promise<number> {
  const deadline = performance.now() + ms;
  let calls = 0;
  await Promise.all(sessions.map(async (s, w) => {
    while (performance.now() < deadline) await s.echo(`p${w}-${calls++}`);
  }));
  return calls;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: Deno.args,
    options: { seconds: { type: "string", default: "20" }, sessions: { type: "string" } },
  });
  const seconds = Number(values.seconds);
  const sessionCount = Number(values.sessions ?? "1");
  const { socket, reason } = probeSocket();
  if (!socket) {
    console.error(`profile_warm_call: ${reason}`);
    return 1;
  }
  if (!Deno.env.get("LOG")) setLogSink(() => {});
  await Deno.mkdir(PROF_DIR, { recursive: true });
  const before = await profiles();
  const router = await spawnRouter({ socket, cpuProfDir: PROF_DIR, maxContainers: 24 });
  const sessions: WireSession[] = [];
  let calls = 0;
  let window = { fromUs: 0, toUs: 0 };
  try {
    const target = { baseUrl: router.baseUrl, key: router.key, expose: "servers" as const };
    for (let i = 0; i < sessionCount; i++) sessions.push(await openWireSession(target));
    for (const s of sessions) await s.echo("start"); // containers start here
    await loop(sessions, 2_000); // warm-up (JIT, caches)
    console.error(`[profile] warm loop: ${sessionCount} session(s) for ${seconds} s`);
    const fromUs = uptimeUs();
    calls = await loop(sessions, seconds * 1000);
    window = { fromUs, toUs: uptimeUs() };
  } finally {
    for (const s of sessions) await s.close();
    await router.stop();
  }
  const fresh = [...await profiles()].filter((f) => !before.has(f));
  if (fresh.length !== 1) {
    console.error(`[profile] expected one new .cpuprofile in ${PROF_DIR}, found ${fresh.length}`);
    return 1;
  }
  const file = `${PROF_DIR}${fresh[0]}`;
  const profile = CpuProfileSchema.parse(JSON.parse(await Deno.readTextFile(file)));
  const aligned = window.fromUs >= profile.startTime && window.toUs <= profile.endTime;
  const summary = summarizeProfile(profile, {
    root: ROOT,
    limit: 40,
    window: aligned ? window : undefined,
  });
  const text = [
    `profile ${file}`,
    `${calls} warm calls in ${seconds} s (${(calls / seconds).toFixed(0)} calls/s), ` +
    `${sessionCount} session(s), servers mode, API key, 2025-11-25 over /mcp; ` +
    (aligned ? "loop window only" : "WHOLE profile (clock windows did not line up)"),
    "",
    renderProfile(summary, calls),
  ].join("\n");
  console.log(text);
  await Deno.writeTextFile(`${PROF_DIR}summary.txt`, text + "\n");
  await Deno.writeTextFile(
    `${PROF_DIR}summary.json`,
    JSON.stringify({ file, calls, seconds, sessions: sessionCount, aligned, summary }, null, 2),
  );
  return 0;
}

if (import.meta.main) Deno.exit(await main());
