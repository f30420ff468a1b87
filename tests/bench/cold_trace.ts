/**
 * @module Where a cold start's time goes: `deno run -A tests/bench/cold_trace.ts [rounds]` runs
 * the cold-start lanes of `deno task bench` (bare create+attach+start+initialize, the router's
 * first `echo` in `servers` and in `tools` exposure) with every Podman REST call, the attach and
 * every JSON-RPC line written to or read from the container timestamped from the lane's start,
 * and prints one timeline per lane (the median round's) plus per-lane medians. A diagnostic aid,
 * not a test.
 */
import { PodmanHttp } from "../../runtime/podman/http.ts";
import { PodmanClient } from "../../runtime/podman/client.ts";
import type { AttachedStreams } from "../../runtime/backend.ts";
import { setLogSink } from "../../runtime/foundation/log.ts";
import { ensureServerImage } from "../../runtime/install_image.ts";
import { buildLaunchSpec } from "../../runtime/launch_spec.ts";
import { destroyContainer } from "../../runtime/sessions.ts";
import type { RouterServices } from "../../server/composition/wiring.ts";
import type { VersionedServer } from "../../server/schemas/records.ts";
import { initializeRequest } from "../helpers.ts";
import { connectInMemory, everythingPlan, openBenchServices, probeSocket } from "./setup.ts";

/** One timestamped event of a lane. */
interface Mark {
  ms: number;
  what: string;
}

let marks: Mark[] | null = null;
let t0 = 0;

function mark(what: string): void {
  marks?.push({ ms: performance.now() - t0, what });
}

/** Timestamp every REST request and every attach of the Podman client. */
function instrument(): void {
  const request = PodmanHttp.prototype.request;
  PodmanHttp.prototype.request = async function (method, path, options) {
    const short = `${method} ${path.replace(/[0-9a-f]{64}/g, "<id>")}`;
    mark(`> ${short}`);
    try {
      return await request.call(this, method, path, options);
    } finally {
      mark(`< ${short}`);
    }
  };
  const attach = PodmanClient.prototype.attach;
  PodmanClient.prototype.attach = async function (id, options) {
    mark("> attach");
    const streams = await attach.call(this, id, options);
    mark("< attach");
    return watchStreams(streams);
  };
}

function methodOf(bytes: Uint8Array): string {
  const text = new TextDecoder().decode(bytes);
  return text.split("\n").filter((l) => l.trim()).map((l) => {
    try {
      const m = JSON.parse(l) as { method?: string; id?: unknown };
      return m.method ? `${m.method}${m.id !== undefined ? `#${m.id}` : ""}` : `reply#${m.id}`;
    } catch {
      return "noise";
    }
  }).join(",");
}

function watchStreams(streams: AttachedStreams): AttachedStreams {
  const writer = streams.stdin.getWriter();
  const stdin = new WritableStream<Uint8Array>({
    async write(chunk) {
      mark(`stdin ${methodOf(chunk)}`);
      await writer.write(chunk);
    },
    async close() {
      await writer.close();
    },
    abort(reason) {
      return writer.abort(reason);
    },
  });
  const stdout = streams.stdout.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        mark(`stdout ${methodOf(chunk)}`);
        controller.enqueue(chunk);
      },
    }),
  );
  const stderr = streams.stderr.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        mark(`stderr ${new TextDecoder().decode(chunk).trim().slice(0, 40)}`);
        controller.enqueue(chunk);
      },
    }),
  );
  return { ...streams, stdin, stdout, stderr, close: () => streams.close() };
}

async function readReply(stdout: ReadableStream<Uint8Array>): Promise<void> {
  const reader = stdout.getReader();
  let buffered = "";
  const decoder = new TextDecoder();
  try {
    while (!buffered.includes('"id":1')) {
      const { value, done } = await reader.read();
      if (done) throw new Error("stdout ended");
      buffered += decoder.decode(value, { stream: true });
    }
  } finally {
    reader.releaseLock();
  }
}

async function bare(services: RouterServices, server: VersionedServer, image: string) {
  const backend = services.backend!;
  const spec = buildLaunchSpec(server, {
    env: {},
    settings: services.settings,
    sessionId: `trace-${crypto.randomUUID().slice(0, 8)}`,
    image,
    nameSuffix: crypto.randomUUID().slice(0, 8),
    owner: String(Deno.pid),
  });
  let id = "";
  let streams: AttachedStreams | null = null;
  try {
    id = await backend.create(spec);
    streams = await backend.attach(id);
    void streams.stderr.pipeTo(new WritableStream()).catch(() => {});
    await backend.start(id);
    const w = streams.stdin.getWriter();
    await w.write(new TextEncoder().encode(JSON.stringify(initializeRequest("trace")) + "\n"));
    w.releaseLock();
    await readReply(streams.stdout);
  } finally {
    mark("done");
    const s = streams as AttachedStreams | null;
    s?.close();
    if (id) await destroyContainer(backend, id, { timeoutS: 0 });
  }
}

async function router(services: RouterServices, expose: "servers" | "tools") {
  const c = await connectInMemory(services.hub, { expose });
  try {
    t0 = performance.now();
    marks = [];
    mark("callTool");
    const result = expose === "servers"
      ? await c.client.callTool({
        name: "everything",
        arguments: { tool: "echo", arguments: { message: "cold" } },
      })
      : await c.client.callTool({ name: "everything__echo", arguments: { message: "cold" } });
    mark("done");
    if (result.isError) throw new Error(JSON.stringify(result));
  } finally {
    const kept = marks;
    marks = null;
    await c.close();
    marks = kept;
  }
}

async function lane(run: () => Promise<void>, startMarks: boolean): Promise<Mark[]> {
  if (startMarks) {
    t0 = performance.now();
    marks = [];
  }
  await run();
  const out = marks ?? [];
  marks = null;
  return out;
}

async function main(): Promise<void> {
  const rounds = Number(Deno.args[0] ?? 7);
  const { socket, reason } = probeSocket();
  if (!socket) throw new Error(reason);
  setLogSink(() => {});
  instrument();
  const dir = await Deno.makeTempDir({ prefix: "mcp-router-trace-" });
  const services = await openBenchServices(dir, { socket });
  try {
    const server = await services.store.createServer(everythingPlan());
    const image = await ensureServerImage(server, {
      deps: { settings: services.settings, client: services.backend!.client as PodmanClient },
      onLog: () => {},
    });
    await lane(() => router(services, "servers"), false);
    await lane(() => bare(services, server, image), true);
    const runs: Record<string, Mark[][]> = { bare: [], servers: [], tools: [] };
    for (let i = 0; i < rounds; i++) {
      const steps: [string, () => Promise<Mark[]>][] = [
        ["bare", () => lane(() => bare(services, server, image), true)],
        ["servers", () => lane(() => router(services, "servers"), false)],
        ["tools", () => lane(() => router(services, "tools"), false)],
      ];
      for (let k = 0; k < steps.length; k++) {
        const [name, run] = steps[(i + k) % steps.length];
        runs[name].push(await run());
      }
    }
    const at = (m: Mark[], prefix: string) => m.find((x) => x.what.startsWith(prefix))?.ms ?? NaN;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    for (const name of ["servers", "tools"]) {
      // The router's own time: before its create, and from the initialize reply to the result.
      const before = runs[name].map((m) => at(m, "> POST /containers/create"));
      const after = runs[name].map((m) => at(m, "done") - at(m, "stdout reply#0"));
      console.log(
        `${name}: router before create ${median(before).toFixed(1)} ms, after the initialize ` +
          `reply ${median(after).toFixed(1)} ms (medians of ${before.length})`,
      );
    }
    for (const [name, all] of Object.entries(runs)) {
      const total = (m: Mark[]) => m.find((x) => x.what === "done")?.ms ?? NaN;
      const sorted = [...all].sort((a, b) => total(a) - total(b));
      const median = sorted[Math.floor(sorted.length / 2)];
      console.log(
        `\n== ${name}: median ${total(median).toFixed(1)} ms (all: ${
          all.map((m) => total(m).toFixed(0)).join(" ")
        })`,
      );
      let last = 0;
      for (const m of median) {
        console.log(
          `${m.ms.toFixed(1).padStart(7)}  +${(m.ms - last).toFixed(1).padStart(6)}  ${m.what}`,
        );
        last = m.ms;
      }
    }
  } finally {
    await services.close();
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

if (import.meta.main) await main();
