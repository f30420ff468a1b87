/**
 * @module Hostile-input test helpers: a router app over a temp data dir (no Podman), MCP
 * request builders, store snapshots, and a tally of requests tried per category.
 */
import assert from "node:assert/strict";
import {
  initializeRequest,
  MCP_HEADERS,
  TEST_PROTOCOL as PROTOCOL,
  type TmpRouter,
  tmpRouter,
} from "../helpers.ts";

export { MCP_HEADERS, PROTOCOL };

/** A valid initialize request. */
export const INIT = initializeRequest("hostile");

/** The full `serve` app over a temp data dir without Podman. */
export type HostileRouter = TmpRouter;

/** Build the full `serve` app over a temp data dir without Podman (see `tmpRouter`). */
export const hostileRouter = tmpRouter;

/** Counts of requests tried, by category; printed at the end of a test. */
export class Tally {
  readonly #counts = new Map<string, number>();
  /** @param title printed before the counts */
  constructor(readonly title: string) {}
  /** Count one request under `category`. */
  add(category: string, n = 1): void {
    this.#counts.set(category, (this.#counts.get(category) ?? 0) + n);
  }
  /** Total over every category. */
  get total(): number {
    return [...this.#counts.values()].reduce((a, b) => a + b, 0);
  }
  /** Print the counts (one line per category). */
  print(): void {
    const rows = [...this.#counts.entries()].map(([k, v]) => `  ${k.padEnd(40)} ${v}`);
    console.log(`${this.title}: ${this.total} tried\n${rows.join("\n")}`);
  }
}

/**
 * Assert a response to bad input is a client error (or a 200/202 carrying a JSON-RPC error or
 * ack), never a 5xx; returns the body text.
 */
export async function assertNo5xx(res: Response, label: string): Promise<string> {
  const text = await res.text();
  assert.ok(res.status < 500, `${label}: got ${res.status} ${text.slice(0, 300)}`);
  return text;
}

/** The JSON-RPC messages in a response body (plain JSON or SSE `data:` lines). */
export function rpcMessages(text: string): unknown[] {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    const parsed = JSON.parse(trimmed);
    return Array.isArray(parsed) ? parsed : [parsed];
  }
  return text.split("\n").filter((l) => l.startsWith("data:")).map((l) => l.slice(5).trim())
    .filter((d) => d.startsWith("{") || d.startsWith("[")).map((d) => JSON.parse(d));
}

/** Something that answers requests: an in-process app or a real server's fetch. */
export type Requester = (path: string, init?: RequestInit) => Promise<Response>;

/**
 * Open a session with a valid initialize, list tools, and delete the session: proves the
 * endpoint still works after a barrage of garbage.
 */
export async function assertMcpHealthy(request: Requester, label: string): Promise<void> {
  const init = await request("/mcp", {
    method: "POST",
    headers: MCP_HEADERS,
    body: JSON.stringify(INIT),
  });
  const initText = await init.text();
  assert.equal(init.status, 200, `${label}: initialize failed: ${initText.slice(0, 200)}`);
  const sessionId = init.headers.get("mcp-session-id");
  assert.ok(sessionId, `${label}: no session id`);
  const headers = { ...MCP_HEADERS, "mcp-session-id": sessionId, "mcp-protocol-version": PROTOCOL };
  const note = await request("/mcp", {
    method: "POST",
    headers,
    body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
  });
  await note.body?.cancel();
  assert.equal(note.status, 202, `${label}: initialized notification`);
  const list = await request("/mcp", {
    method: "POST",
    headers,
    body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
  });
  const listText = await list.text();
  assert.equal(list.status, 200, `${label}: tools/list: ${listText.slice(0, 200)}`);
  const [reply] = rpcMessages(listText) as { result?: { tools?: unknown[] } }[];
  assert.ok(Array.isArray(reply?.result?.tools), `${label}: tools/list result: ${listText}`);
  const del = await request("/mcp", { method: "DELETE", headers });
  await del.body?.cancel();
  assert.ok(del.status < 300, `${label}: delete session got ${del.status}`);
}

/** KV prefixes that may change on successful requests only (logs, caches, sessions). */
export const VOLATILE_PREFIXES = new Set(["audit", "sessions", "http_cache", "ui_sessions"]);

/** Every durable KV entry as `key → JSON value`, skipping {@linkcode VOLATILE_PREFIXES}. */
export async function snapshotStore(kv: Deno.Kv): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for await (const e of kv.list({ prefix: [] })) {
    if (VOLATILE_PREFIXES.has(String(e.key[0]))) continue;
    out.set(JSON.stringify(e.key), `${e.versionstamp}:${JSON.stringify(e.value)}`);
  }
  return out;
}

/** Names of keys that differ between two snapshots. */
export function snapshotDiff(a: Map<string, string>, b: Map<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k));
}
