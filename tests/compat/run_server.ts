/**
 * @module One server of the compatibility suite, added exactly as a user adds it through the REST
 * API of a real router — analyze, save the plan as is (with the README's arguments), set dummy env
 * values, test — then listed and called through `/mcp?expose=tools` with the SDK client.
 */
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { CompatServer } from "./servers.ts";
import { type Classified, classifyFailure } from "./failure_kind.ts";

/** Per-step deadlines (ms). First installs of a package take a minute or more. */
export const STEP_TIMEOUTS = {
  analyze: 90_000,
  save: 30_000,
  test: 480_000,
  call: 180_000,
} as const;

/** The outcome for one server. */
export interface CompatResult {
  source: string;
  runtime: string;
  /** The server name the router derived (null when analysis failed). */
  name: string | null;
  /** Tools the test listed. */
  tools: number;
  seconds: number;
  verdict: "pass" | "fail";
  /** The step that failed, or null. */
  stage: string | null;
  /** Failure kind and its evidence line, or null on a pass. */
  failure: Classified | null;
  /** The test report's error, or the failed step's error (one line). */
  error: string | null;
  /** The tool called and what it returned (first 300 chars), or null. */
  call: { tool: string; ok: boolean; text: string } | null;
  /** Every 5xx seen, as `METHOD PATH STATUS`. */
  server_errors: string[];
  /** The saved plan's `install_resolution` after the test (e.g. `as-of <date>`), or null. */
  install_resolution: string | null;
  /** Env keys the plan did not list and the suite had to add. */
  added_env: string[];
  /** The server's last log lines (at most 30). */
  logs: string[];
  note: string | null;
}

/** Minimal view of a router the suite talks to. */
export interface CompatRouter {
  base: string;
  request(path: string, init?: RequestInit): Promise<Response>;
}

class StepFailure extends Error {
  constructor(readonly stage: string, readonly status: number, message: string) {
    super(message);
  }
}

type Plan = Record<string, unknown> & {
  name?: string;
  runtime?: string;
  package?: string | null;
  args?: string[];
  env?: { key: string; required?: boolean; default?: string; secret?: boolean }[];
};

const SECRET_KEY = /KEY|TOKEN|SECRET|PASSWORD/i;

/**
 * Put the README's arguments after the package in the plan's args (what a user does in the plan
 * form), keeping what the analyzer put before it (`-y`, `--from X`…).
 */
export function applyArgs(plan: Plan, args: string[] | undefined): string[] {
  const current = plan.args ?? [];
  if (!args) return current;
  const pkg = plan.package ?? "";
  const at = current.findLastIndex((a) => a === pkg || a.startsWith(`${pkg}@`));
  return at >= 0 ? [...current.slice(0, at + 1), ...args] : [...current, ...args];
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, 400);
}

function contentText(content: unknown): string {
  if (!Array.isArray(content)) return JSON.stringify(content ?? "");
  return content.map((c: { type?: string; text?: string }) =>
    c.type === "text" ? c.text ?? "" : JSON.stringify(c)
  ).join("\n");
}

/**
 * Run one server through the router.
 * @param router the real router
 * @param server the suite's entry
 */
export async function runServer(router: CompatRouter, server: CompatServer): Promise<CompatResult> {
  const started = performance.now();
  const runtime = server.source.split(":")[0];
  const serverErrors: string[] = [];
  const result: CompatResult = {
    source: server.source,
    runtime,
    name: null,
    tools: 0,
    seconds: 0,
    verdict: "fail",
    stage: null,
    failure: null,
    error: null,
    call: null,
    server_errors: serverErrors,
    added_env: [],
    install_resolution: null,
    logs: [],
    note: server.note ?? null,
  };

  const record = (method: string, path: string, status: number) => {
    if (status >= 500) serverErrors.push(`${method} ${path} ${status}`);
  };
  const api = async (
    stage: string,
    method: string,
    path: string,
    body: unknown,
    timeout: number,
  ): Promise<{ status: number; json: Record<string, unknown> }> => {
    let res: Response;
    try {
      res = await router.request(path, {
        method,
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeout),
      });
    } catch (cause) {
      const timedOut = cause instanceof DOMException && cause.name === "TimeoutError";
      throw new StepFailure(
        timedOut ? "timeout" : "router",
        0,
        `${method} ${path}: ${timedOut ? `no answer in ${timeout / 1000} s` : String(cause)}`,
      );
    }
    record(method, path, res.status);
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = JSON.parse(text);
    } catch {
      json = { raw: text.slice(0, 500) };
    }
    if (res.status >= 300) {
      const err = (json.error ?? {}) as { code?: string; message?: string };
      throw new StepFailure(
        stage,
        res.status,
        `${method} ${path} → ${res.status} ${err.code ?? ""}: ${err.message ?? text.slice(0, 300)}`,
      );
    }
    return { status: res.status, json };
  };

  let serverId: string | null = null;
  try {
    const analyzed = await api("analyze", "POST", "/api/servers/analyze", {
      source: server.source,
    }, STEP_TIMEOUTS.analyze);
    const plan = analyzed.json as Plan;
    plan.args = applyArgs(plan, server.args);
    const envSpecs = [...(plan.env ?? [])];
    for (const key of Object.keys(server.env ?? {})) {
      if (!envSpecs.some((e) => e.key === key)) {
        envSpecs.push({ key, required: false, secret: SECRET_KEY.test(key) });
        result.added_env.push(key);
      }
    }
    plan.env = envSpecs;

    const saved = await api("save", "POST", "/api/servers", plan, STEP_TIMEOUTS.save);
    serverId = String(saved.json.id);
    result.name = String(saved.json.name);

    const values: Record<string, string> = { ...server.env };
    for (const spec of envSpecs) {
      if (spec.required && spec.default === undefined && !(spec.key in values)) {
        values[spec.key] = "compat-dummy";
      }
    }
    for (const [key, value] of Object.entries(values)) {
      await api("env", "PUT", `/api/servers/${serverId}/env/${key}`, { value }, STEP_TIMEOUTS.save);
    }

    const tested = await api(
      "test",
      "POST",
      `/api/servers/${serverId}/test`,
      {},
      STEP_TIMEOUTS.test,
    );
    const report = tested.json as {
      ok?: boolean;
      tools?: { name: string }[];
      error?: string | null;
      logs?: string[];
    };
    result.install_resolution = await installResolution(router, serverId);
    result.tools = report.tools?.length ?? 0;
    result.logs = (report.logs ?? []).slice(-30);
    if (!report.ok || result.tools === 0) {
      result.error = oneLine(report.error ?? (report.ok ? "test listed no tools" : "test failed"));
      throw new StepFailure(report.ok ? "list" : "test", 200, result.error);
    }

    result.call = await listAndCall(router, result.name, server, record);
    if (!result.call.ok) throw new StepFailure("call", 200, result.call.text);
    if (serverErrors.length > 0) throw new StepFailure("5xx", 500, serverErrors.join(", "));
    result.verdict = "pass";
  } catch (error) {
    const failure = error instanceof StepFailure
      ? error
      : new StepFailure("harness", 0, String(error));
    result.stage = failure.stage;
    result.error ??= oneLine(failure.message);
    if (serverId && result.logs.length === 0) {
      result.logs = await serverLogs(router, serverId);
    }
    result.failure = classifyFailure({
      stage: failure.stage,
      status: failure.status,
      serverErrors,
      lines: [result.error, ...result.logs],
    });
  }
  result.seconds = Math.round((performance.now() - started) / 100) / 10;
  return result;
}

/** The stored server's `install_resolution` (set when the install was retried as of a date). */
async function installResolution(router: CompatRouter, id: string): Promise<string | null> {
  try {
    const res = await router.request(`/api/servers/${id}`, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) {
      await res.body?.cancel();
      return null;
    }
    const body = await res.json() as { install_resolution?: unknown };
    return typeof body.install_resolution === "string" ? body.install_resolution : null;
  } catch {
    return null;
  }
}

async function serverLogs(router: CompatRouter, id: string): Promise<string[]> {
  try {
    const res = await router.request(`/api/servers/${id}/logs?lines=30`, {
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) {
      await res.body?.cancel();
      return [];
    }
    const body = await res.json() as { lines?: string[] };
    return body.lines ?? [];
  } catch {
    return [];
  }
}

/**
 * List tools in `tools` exposure (the server's must be there as `<name>__<tool>`) and make the
 * suite's call, if any.
 */
async function listAndCall(
  router: CompatRouter,
  name: string,
  server: CompatServer,
  record: (method: string, path: string, status: number) => void,
): Promise<{ tool: string; ok: boolean; text: string }> {
  const recordingFetch = async (url: string | URL, init?: RequestInit) => {
    const res = await fetch(url, init);
    record(init?.method ?? "GET", new URL(url).pathname, res.status);
    return res;
  };
  const client = new Client({ name: "mcp-router-compat", version: "1" });
  const transport = new StreamableHTTPClientTransport(
    new URL(`${router.base}/mcp?expose=tools`),
    { fetch: recordingFetch },
  );
  await client.connect(transport);
  try {
    const { tools } = await client.listTools(undefined, { timeout: STEP_TIMEOUTS.call });
    const mine = tools.filter((t) => t.name.startsWith(`${name}__`));
    if (!server.call) {
      return mine.length > 0
        ? { tool: "(list)", ok: true, text: `${mine.length} tools listed as ${name}__*` }
        : { tool: "(list)", ok: false, text: `no ${name}__* tool in tools exposure` };
    }
    const wanted = `${name}__${server.call.tool}`;
    if (!tools.some((t) => t.name === wanted)) {
      return {
        tool: wanted,
        ok: false,
        text: `${wanted} not listed in tools exposure (${mine.length} ${name}__* tools)`,
      };
    }
    const called = await client.callTool(
      { name: wanted, arguments: server.call.arguments ?? {} },
      undefined,
      { timeout: STEP_TIMEOUTS.call },
    );
    const text = contentText(called.content) +
      (called.structuredContent ? JSON.stringify(called.structuredContent) : "");
    const expect = server.call.expect?.toLowerCase();
    const ok = !called.isError && (!expect || text.toLowerCase().includes(expect));
    return { tool: wanted, ok, text: oneLine(text).slice(0, 300) };
  } catch (error) {
    return { tool: server.call?.tool ?? "(list)", ok: false, text: oneLine(String(error)) };
  } finally {
    await transport.terminateSession().catch(() => {});
    await client.close().catch(() => {});
  }
}
