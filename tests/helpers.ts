/**
 * @module Test helpers: in-memory store, app deps, temp dirs.
 */
import assert from "node:assert/strict";
import { loadSettings, testSettings } from "../server/settings.ts";
import { openServices, type RouterServices } from "../server/composition/wiring.ts";
import { createRouterApp, type RouterApp } from "../server/app/router_app.ts";
import type { Settings } from "../server/settings.ts";
import { KvStore } from "../server/store/kv_store.ts";
import type { AppDeps } from "../server/composition/contracts.ts";
import { UnavailableRuntime } from "./fakes/unavailable_runtime.ts";
import { planFromSource } from "../server/analyzer/source_plan.ts";
import { setLogSink } from "../runtime/foundation/log.ts";
import { PlanSchema, type ServerRecord, ServerRecordSchema } from "../server/schemas/server.ts";

/** Silence structured logs in tests unless LOG=1. */
export function quietLogs(): void {
  if (!Deno.env.get("LOG")) setLogSink(() => {});
}

/** App deps over an in-memory store and a degraded runtime. */
export async function memoryDeps(
  overrides: Partial<Record<keyof Settings, unknown>> = {},
): Promise<AppDeps & { [Symbol.asyncDispose](): Promise<void> }> {
  quietLogs();
  const settings = testSettings(overrides);
  const store = await KvStore.open({ dataDir: ":memory:" });
  return {
    settings,
    store,
    runtime: new UnavailableRuntime("podman socket not found (test)"),
    analyze: (input) => Promise.resolve(planFromSource(input.source)),
    entry: { command: "/usr/bin/deno", args: ["run", "-A", "/opt/mcp-router/main.ts"] },
    [Symbol.asyncDispose]() {
      store.close();
      return Promise.resolve();
    },
  };
}

/** A temp dir removed when disposed. */
export async function withTmpDir(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "mcp-router-test-" });
  return {
    path,
    async [Symbol.asyncDispose]() {
      await Deno.remove(path, { recursive: true }).catch(() => {});
    },
  };
}

/** A valid stored server record for unit tests (npx server-everything unless overridden). */
export function serverRecord(overrides: Record<string, unknown> = {}): ServerRecord {
  return ServerRecordSchema.parse({
    id: "srv-1",
    name: "demo",
    display_name: "",
    description: "",
    source: { kind: "npx", ref: "x" },
    runtime: "npx",
    command: "npx",
    args: ["-y", "@modelcontextprotocol/server-everything"],
    created_at: "t",
    updated_at: "t",
    ...overrides,
  });
}

/** The full `serve` app over a temp data dir (no Podman unless `podmanSocket` is overridden). */
export interface TmpRouter extends AsyncDisposable {
  app: RouterApp;
  services: RouterServices;
  dataDir: string;
}

/**
 * Build the full `serve` app (auth, CSRF, MCP endpoints, pages) over a temp data dir.
 * @param overrides settings overrides
 */
export async function tmpRouter(
  overrides: Partial<Record<keyof Settings, unknown>> = {},
): Promise<TmpRouter> {
  quietLogs();
  const dataDir = await Deno.makeTempDir({ prefix: "mcp-router-test-" });
  const settings = loadSettings({ HOME: dataDir }, {
    dataDir,
    podmanSocket: `${dataDir}/none.sock`,
    ...overrides,
  });
  const services = await openServices(settings);
  const app = createRouterApp(services);
  return {
    app,
    services,
    dataDir,
    async [Symbol.asyncDispose]() {
      await app.closeSessions();
      await services.close();
      await Deno.remove(dataDir, { recursive: true }).catch(() => {});
    },
  };
}

/** The MCP protocol version the tests speak. */
export const TEST_PROTOCOL = "2025-06-18";

/** A valid `initialize` request (JSON-RPC id 1) from a client called `clientName`. */
export function initializeRequest(clientName = "test") {
  return {
    jsonrpc: "2.0" as const,
    id: 1,
    method: "initialize" as const,
    params: {
      protocolVersion: TEST_PROTOCOL,
      capabilities: {},
      clientInfo: { name: clientName, version: "1" },
    },
  };
}

/** Headers every well-behaved streamable-HTTP POST carries. */
export const MCP_HEADERS: Record<string, string> = {
  "content-type": "application/json",
  accept: "application/json, text/event-stream",
};

/**
 * The CSRF cookie a page response sets and the token its forms carry (the token is bound to
 * the session, so it is read from the page, not the cookie).
 * @param res an HTML page response (its body is read)
 */
export async function csrfOf(res: Response): Promise<{ cookie: string; token: string }> {
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0];
  const html = await res.text();
  const token = /name="_csrf" value="([0-9a-f]+)"/.exec(html)?.[1] ??
    /X-CSRF-Token(?:"|&quot;):(?:"|&quot;)([0-9a-f]+)/.exec(html)?.[1] ?? "";
  return { cookie, token };
}

/**
 * Save a server from a plan and test it once, as a user who adds it would; the test fails (with
 * the report's error and log lines) when it does not start and list its capabilities.
 * @param services the router's services
 * @param plan the plan's fields (parsed by `PlanSchema`)
 * @returns the stored record and the test report
 */
export async function addTested(services: RouterServices, plan: Record<string, unknown>) {
  const record = await services.store.createServer(PlanSchema.parse(plan));
  const report = await services.runtime.test(record, {});
  assert.ok(report.ok, `${plan.name}: ${report.error ?? ""} ${report.logs.join("\n")}`);
  return { record, report };
}

/**
 * Save a remote MCP server (streamable HTTP, `namespace: none`) and test it once.
 * @param services the router's services
 * @param name the server's name
 * @param url its MCP endpoint
 */
export async function addTestedRemote(
  services: RouterServices,
  name: string,
  url: string,
): Promise<ServerRecord> {
  const plan = { name, runtime: "remote", transport: "http", url, namespace: "none" };
  return (await addTested(services, plan)).record;
}

/** A router app served in this process on a free loopback port; disposing it shuts it down. */
export interface InProcessRouter extends AsyncDisposable {
  services: RouterServices;
  app: RouterApp;
  /** Its `/mcp` endpoint. */
  url: URL;
}

/**
 * Open the router's services with `settings` and serve its app on a free loopback port.
 * @param settings the router's settings
 */
export async function serveRouterInProcess(settings: Settings): Promise<InProcessRouter> {
  const services = await openServices(settings);
  const app = createRouterApp(services);
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.fetch);
  return {
    services,
    app,
    url: new URL(`http://127.0.0.1:${server.addr.port}/mcp`),
    async [Symbol.asyncDispose]() {
      await app.closeSessions();
      await server.shutdown();
      await services.close();
    },
  };
}
