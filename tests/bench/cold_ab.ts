/**
 * @module Cold start A/B in one process: `deno run -A tests/bench/cold_ab.ts BASE_DIR [rounds]`
 * loads the router of another checkout (`BASE_DIR`, e.g. `git archive <commit> | tar -x -C DIR`
 * plus this tree's `node_modules`) next to this one, and times in rotated rounds the bare
 * container initialize, and each router's first `echo` in a new session in `servers` and `tools`
 * exposure, in a shuffled order each round — so both routers meet the same machine load. Prints medians, their ratio to the bare
 * lane's, and the median of each round's ratio to that round's bare start ("paired"). A measuring
 * aid for changes to the cold path, not a test.
 */
import { setLogSink } from "../../runtime/foundation/log.ts";
import { ensureServerImage } from "../../runtime/install_image.ts";
import { buildLaunchSpec } from "../../runtime/launch_spec.ts";
import { destroyContainer } from "../../runtime/sessions.ts";
import type { PodmanClient } from "../../runtime/podman/client.ts";
import type { RouterServices } from "../../server/composition/wiring.ts";
import type { VersionedServer } from "../../server/schemas/records.ts";
import { initializeRequest } from "../helpers.ts";
import * as here from "./setup.ts";
import { ratio, summarize, timeIt } from "./stats.ts";

type Setup = typeof here;

async function bare(services: RouterServices, server: VersionedServer, image: string) {
  const backend = services.backend!;
  const spec = buildLaunchSpec(server, {
    env: {},
    settings: services.settings,
    sessionId: `ab-${crypto.randomUUID().slice(0, 8)}`,
    image,
    nameSuffix: crypto.randomUUID().slice(0, 8),
    owner: String(Deno.pid),
  });
  let id = "";
  let close = () => {};
  try {
    return await timeIt(async () => {
      id = await backend.create(spec);
      const streams = await backend.attach(id);
      close = () => streams.close();
      await backend.start(id);
      const w = streams.stdin.getWriter();
      await w.write(new TextEncoder().encode(JSON.stringify(initializeRequest("ab")) + "\n"));
      w.releaseLock();
      const reader = streams.stdout.getReader();
      const decoder = new TextDecoder();
      let text = "";
      while (!text.includes('"id":1')) {
        const { value, done } = await reader.read();
        if (done) throw new Error("stdout ended before the initialize reply");
        text += decoder.decode(value, { stream: true });
      }
      reader.releaseLock();
    });
  } finally {
    close();
    if (id) await destroyContainer(backend, id, { timeoutS: 0 });
  }
}

async function routerEcho(
  setup: Setup,
  services: RouterServices,
  expose: "servers" | "tools",
): Promise<number> {
  const c = await setup.connectInMemory(services.hub, { expose });
  try {
    return await timeIt(async () => {
      const result = expose === "servers"
        ? await c.client.callTool({
          name: "everything",
          arguments: { tool: "echo", arguments: { message: "cold" } },
        })
        : await c.client.callTool({ name: "everything__echo", arguments: { message: "cold" } });
      if (result.isError) throw new Error(JSON.stringify(result).slice(0, 300));
    });
  } finally {
    await c.close();
  }
}

async function main(): Promise<void> {
  const baseDir = Deno.args[0];
  const rounds = Number(Deno.args[1] ?? 20);
  if (!baseDir) throw new Error("usage: cold_ab.ts BASE_DIR [rounds]");
  const { socket, reason } = here.probeSocket();
  if (!socket) throw new Error(reason);
  setLogSink(() => {});
  const base: Setup = await import(`${Deno.realPathSync(baseDir)}/tests/bench/setup.ts`);
  const dirs: string[] = [];
  const open = async (setup: Setup) => {
    const dir = await Deno.makeTempDir({ prefix: "mcp-router-ab-" });
    dirs.push(dir);
    const services = await setup.openBenchServices(dir, { socket });
    const server = await services.store.createServer(setup.everythingPlan());
    return { services, server };
  };
  const mine = await open(here);
  const theirs = await open(base);
  try {
    const image = await ensureServerImage(mine.server, {
      deps: {
        settings: mine.services.settings,
        client: mine.services.backend!.client as PodmanClient,
      },
      onLog: () => {},
    });
    for (const [setup, s] of [[here, mine], [base, theirs]] as const) {
      await routerEcho(setup, s.services, "servers"); // warm-up, fills the capabilities cache
    }
    await bare(mine.services, mine.server, image);
    const lanes: [string, () => Promise<number>][] = [
      ["bare", () => bare(mine.services, mine.server, image)],
      ["this servers", () => routerEcho(here, mine.services, "servers")],
      ["this tools", () => routerEcho(here, mine.services, "tools")],
      ["base servers", () => routerEcho(base, theirs.services, "servers")],
      ["base tools", () => routerEcho(base, theirs.services, "tools")],
    ];
    const samples = new Map<string, number[]>(lanes.map(([name]) => [name, []]));
    let seed = 15;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < rounds; i++) {
      // A fresh order each round: no lane always follows the same one (and its teardown).
      const order = lanes.map((lane) => ({ lane, key: random() })).sort((a, b) => a.key - b.key);
      for (const { lane: [name, run] } of order) samples.get(name)!.push(await run());
      console.error(`[ab] round ${i + 1}/${rounds}`);
    }
    const bareMs = samples.get("bare")!;
    const bareP50 = summarize(bareMs).p50;
    for (const [name, ms] of samples) {
      const s = summarize(ms);
      // Paired: each round's lane over the same round's bare start (drifting load cancels out).
      const paired = summarize(ms.map((x, i) => x / bareMs[i])).p50;
      console.log(
        `${name.padEnd(13)} p50 ${s.p50.toFixed(1).padStart(7)} ms  ratio ${
          ratio(s.p50, bareP50).toFixed(3)
        }  paired ${paired.toFixed(3)}  (min ${s.min.toFixed(0)}, p95 ${s.p95.toFixed(0)})`,
      );
    }
  } finally {
    await mine.services.close();
    await theirs.services.close();
    for (const dir of dirs) await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
