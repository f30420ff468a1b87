/**
 * @module V8 `.cpuprofile` summary (the format `deno run --cpu-prof` writes): self time per
 * function (`url:line`), the top N as text, and self time per module/package, so the hot path's
 * costs (SDK validation, SSE framing, KV, crypto, logging) can be read without DevTools.
 */
import { z } from "zod";

const CallFrameSchema = z.object({
  functionName: z.string(),
  url: z.string(),
  lineNumber: z.number(),
  columnNumber: z.number().optional(),
});

/** The parts of a `.cpuprofile` the summary reads. */
export const CpuProfileSchema = z.object({
  nodes: z.array(z.object({
    id: z.number(),
    callFrame: CallFrameSchema,
    children: z.array(z.number()).optional(),
  })),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
  startTime: z.number(),
  endTime: z.number(),
});

/** A parsed `.cpuprofile`. */
export type CpuProfile = z.infer<typeof CpuProfileSchema>;

/** Self time of one function. */
export interface SelfTime {
  function: string;
  /** Short location `path:line` (1-based line). */
  where: string;
  /** Module group (package name, `ext:` module, or project folder). */
  group: string;
  self_ms: number;
  /** Share of the busy (non-idle) time, in percent. */
  pct: number;
}

/** The summary of one profile. */
export interface ProfileSummary {
  wall_ms: number;
  busy_ms: number;
  idle_ms: number;
  gc_ms: number;
  program_ms: number;
  top: SelfTime[];
  groups: { group: string; self_ms: number; pct: number }[];
  /** For the top self-time functions: the nearest project frames up their stacks, by time. */
  callers: { function: string; where: string; via: { where: string; ms: number }[] }[];
  /** Project functions (not npm, not `ext:`) by inclusive time: self plus what they call. */
  inclusive: { function: string; where: string; total_ms: number; pct: number }[];
}

const PSEUDO = new Set(["(idle)", "(program)", "(garbage collector)", "(root)"]);

/** Shorten a profile URL to `package/path` or a project-relative path. */
export function shortUrl(url: string, root: string): string {
  const npm = /node_modules\/\.deno\/[^/]+\/node_modules\/(.+)$/.exec(url);
  if (npm) return `npm:${npm[1]}`;
  if (url.startsWith(root)) return url.slice(root.length);
  return url.replace(/^file:\/\//, "");
}

/** The module group of a short URL: npm package, `ext:` module or project folder. */
export function groupOf(short: string): string {
  if (short.startsWith("npm:")) {
    const parts = short.slice(4).split("/");
    return `npm:${parts[0].startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]}`;
  }
  if (short.startsWith("ext:")) return short.split("/").slice(0, 2).join("/");
  if (short === "") return "(native/builtin)";
  const parts = short.split("/");
  return parts.length > 2 ? parts.slice(0, 2).join("/") : parts[0];
}

const r2 = (x: number) => Math.round(x * 100) / 100;

/**
 * Summarise `profile`: self time per function (top `limit`) and per module group.
 * @param options project root URL (`file:///…/`) for short paths, how many functions to keep,
 *   and an optional window (profile clock, µs: CLOCK_MONOTONIC on Linux) to count samples in
 */
export function summarizeProfile(
  profile: CpuProfile,
  options: { root: string; limit?: number; window?: { fromUs: number; toUs: number } },
): ProfileSummary {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const selfUs = new Map<number, number>();
  const win = options.window;
  // V8: timeDeltas[i] is the time since the previous sample; sample i ran for timeDeltas[i + 1].
  let at = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (win && (at < win.fromUs || at > win.toUs)) continue;
    const dt = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + dt);
  }
  const fns = new Map<string, SelfTime & { us: number }>();
  let idle = 0, gc = 0, program = 0, busy = 0;
  for (const [id, us] of selfUs) {
    const f = byNode.get(id);
    if (!f) continue;
    if (f.functionName === "(idle)") {
      idle += us;
      continue;
    }
    busy += us;
    if (f.functionName === "(garbage collector)") gc += us;
    if (f.functionName === "(program)") program += us;
    const short = shortUrl(f.url, options.root);
    const name = f.functionName || "(anonymous)";
    const where = PSEUDO.has(name) ? "-" : `${short || "(native)"}:${f.lineNumber + 1}`;
    const key = `${name}@${where}`;
    const entry = fns.get(key) ??
      { function: name, where, group: groupOf(short), self_ms: 0, pct: 0, us: 0 };
    entry.us += us;
    fns.set(key, entry);
  }
  const groups = new Map<string, number>();
  for (const f of fns.values()) {
    const g = PSEUDO.has(f.function) ? f.function : f.group;
    groups.set(g, (groups.get(g) ?? 0) + f.us);
  }
  const pct = (us: number) => r2((100 * us) / Math.max(1, busy));
  const inclusive = [...inclusiveProject(profile, selfUs, options.root)]
    .sort((a, b) => b[1].us - a[1].us).slice(0, 30)
    .map(([, v]) => ({
      function: v.fn,
      where: v.where,
      total_ms: r2(v.us / 1000),
      pct: pct(v.us),
    }));
  const top = [...fns.values()].sort((a, b) => b.us - a.us).slice(0, options.limit ?? 40)
    .map(({ us, ...f }) => ({ ...f, self_ms: r2(us / 1000), pct: pct(us) }));
  const callers = nearestProjectCallers(profile, selfUs, options.root, top.slice(0, 12));
  return {
    wall_ms: r2(((win?.toUs ?? profile.endTime) - (win?.fromUs ?? profile.startTime)) / 1000),
    busy_ms: r2(busy / 1000),
    idle_ms: r2(idle / 1000),
    gc_ms: r2(gc / 1000),
    program_ms: r2(program / 1000),
    top,
    groups: [...groups].sort((a, b) => b[1] - a[1])
      .map(([group, us]) => ({ group, self_ms: r2(us / 1000), pct: pct(us) })),
    callers,
    inclusive,
  };
}

/** For each of `wanted`, the nearest project frame (`fn path:line`) above it, by self time. */
function nearestProjectCallers(
  profile: CpuProfile,
  selfUs: Map<number, number>,
  root: string,
  wanted: SelfTime[],
): ProfileSummary["callers"] {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const keyOf = (f: z.infer<typeof CallFrameSchema>) => {
    const short = shortUrl(f.url, root);
    return `${f.functionName || "(anonymous)"}@${short || "(native)"}:${f.lineNumber + 1}`;
  };
  const isProject = (url: string) => url.startsWith(root) && !url.includes("/node_modules/");
  return wanted.filter((w) => w.where !== "-").map((w) => {
    const via = new Map<string, number>();
    for (const [id, us] of selfUs) {
      const f = frames.get(id);
      if (!f || keyOf(f) !== `${w.function}@${w.where}`) continue;
      let at = parent.get(id);
      while (at !== undefined && !isProject(frames.get(at)?.url ?? "")) at = parent.get(at);
      const p = at === undefined ? null : frames.get(at)!;
      const label = p
        ? `${p.functionName || "(anonymous)"} ${p.url.slice(root.length)}:${p.lineNumber + 1}`
        : "(no project frame: event loop / async continuation)";
      via.set(label, (via.get(label) ?? 0) + us);
    }
    return {
      function: w.function,
      where: w.where,
      via: [...via].sort((a, b) => b[1] - a[1]).slice(0, 3)
        .map(([where, us]) => ({ where, ms: r2(us / 1000) })),
    };
  });
}

/** Inclusive time of every project-code frame (each counted once per stack). */
function inclusiveProject(
  profile: CpuProfile,
  selfUs: Map<number, number>,
  root: string,
): Map<string, { fn: string; where: string; us: number }> {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const out = new Map<string, { fn: string; where: string; us: number }>();
  for (const [id, us] of selfUs) {
    if (frames.get(id)?.functionName === "(idle)") continue;
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = frames.get(at);
      if (!f || !f.url.startsWith(root) || f.url.includes("/node_modules/")) continue;
      const where = `${f.url.slice(root.length)}:${f.lineNumber + 1}`;
      const key = `${f.functionName}@${where}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const e = out.get(key) ?? { fn: f.functionName || "(anonymous)", where, us: 0 };
      e.us += us;
      out.set(key, e);
    }
  }
  return out;
}

/** Render a summary as fixed-width text (per-call figures when `calls` is given). */
export function renderProfile(s: ProfileSummary, calls?: number): string {
  const per = (ms: number) =>
    calls ? `  ${((ms * 1000) / calls).toFixed(1).padStart(7)} us/call` : "";
  const out = [
    `wall ${s.wall_ms} ms, busy ${s.busy_ms} ms (GC ${s.gc_ms}, program ${s.program_ms}), ` +
    `idle ${s.idle_ms} ms` + (calls ? `; ${calls} calls, busy ${per(s.busy_ms).trim()}` : ""),
    "",
    `top ${s.top.length} functions by self time (% of busy):`,
  ];
  s.top.forEach((f, i) => {
    out.push(
      `${String(i + 1).padStart(3)}. ${f.self_ms.toFixed(1).padStart(8)} ms ${
        f.pct.toFixed(1).padStart(5)
      }%${per(f.self_ms)}  ${f.function}  ${f.where}`,
    );
  });
  out.push("", "self time by module group:");
  for (const g of s.groups.slice(0, 25)) {
    out.push(
      `  ${g.self_ms.toFixed(1).padStart(8)} ms ${g.pct.toFixed(1).padStart(5)}%${
        per(g.self_ms)
      }  ${g.group}`,
    );
  }
  out.push("", "nearest project caller of the top self-time functions:");
  for (const c of s.callers) {
    out.push(`  ${c.function}  ${c.where}`);
    for (const v of c.via) out.push(`      ${v.ms.toFixed(1).padStart(8)} ms  ${v.where}`);
  }
  out.push("", "project functions by inclusive time (self + callees):");
  for (const f of s.inclusive) {
    out.push(
      `  ${f.total_ms.toFixed(1).padStart(8)} ms ${f.pct.toFixed(1).padStart(5)}%${
        per(f.total_ms)
      }  ${f.function}  ${f.where}`,
    );
  }
  return out.join("\n");
}
