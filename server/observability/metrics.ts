/**
 * @module Prometheus metrics (prom-client): HTTP requests, tool calls with latency and errors by
 * kind, sessions, containers, container start latency, image builds. Served at `/metrics`
 * (auth failures: `auth_metrics.ts`; container states and slot queueing: `capacity_metrics.ts`).
 *
 * Every label value that comes from outside (request method, path, status, server and tool
 * names) goes through the label functions here, so the number of series stays bounded whatever
 * clients or downstream servers send: routes are labelled by their registered pattern (or
 * `unmatched`), methods outside the standard set become `OTHER`, tool names not in the catalogue
 * become `unknown`, and past a fixed number of distinct servers / tools new ones become `other`.
 */
import client from "prom-client";
import type { Context } from "hono";
import { matchedRoutes } from "hono/route";
import type { ToolErrorKind } from "./error_kinds.ts";

/** The router's metrics registry. */
export const registry = new client.Registry();

/** HTTP requests by route and status. */
export const httpRequests = new client.Counter({
  name: "mcp_router_http_requests_total",
  help: "HTTP requests by route and status",
  labelNames: ["method", "route", "status"],
  registers: [registry],
});

/** Label of requests no route matched (404 fallback), whatever their path. */
export const UNMATCHED_ROUTE = "unmatched";
/** Label of a tool that is not in the catalogue (e.g. a name a client made up). */
export const UNKNOWN_TOOL = "unknown";
/** Label standing for every value past a cap on distinct values. */
export const OTHER_LABEL = "other";
/** Longest label value kept; longer values are cut. */
export const MAX_LABEL_CHARS = 64;
/** Distinct `server` label values before new servers are counted as `other`. */
export const MAX_SERVER_LABELS = 200;
/** Distinct `server`+`tool` pairs before new tools are counted as `other`. */
export const MAX_TOOL_LABELS = 1000;
/** Distinct tools per server before its new tools are counted as `other`. */
export const MAX_TOOLS_PER_SERVER = 100;

const METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** The `method` label: a standard HTTP method, else `OTHER`. */
export function methodLabel(method: string): string {
  const upper = method.toUpperCase();
  return METHODS.has(upper) ? upper : "OTHER";
}

/** The `status` label: a real HTTP status code (100-599), else `other`. */
export function statusLabel(status: number): string {
  return Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : OTHER_LABEL;
}

/** A middleware registration (`app.use("*")`, `app.use("/api/*")`) rather than an endpoint. */
function isMiddleware(route: { method: string; path: string }): boolean {
  return route.method === "ALL" && route.path.includes("*");
}

/**
 * The `route` label of a finished request: the registered pattern of the endpoint that handled
 * it (`/api/servers/:id`), or of the one it was headed for when a middleware answered first
 * (auth, CSRF, body limits); {@linkcode UNMATCHED_ROUTE} when no endpoint matched. Never the
 * raw path. Call after `await next()`.
 * @param c the request context
 */
export function routeLabel(c: Context): string {
  const routes = matchedRoutes(c);
  // Endpoints after the last handler that ran never ran; the first endpoint from there is the
  // one that answered (or would have, behind a middleware that answered first).
  for (let i = Math.max(0, c.req.routeIndex); i < routes.length; i++) {
    const route = routes[i];
    if (route && !isMiddleware(route)) return capLabel(route.path);
  }
  return UNMATCHED_ROUTE;
}

/** Labels of one HTTP request: `{method, route, status}`, every value bounded. */
export function httpRequestLabels(c: Context): { method: string; route: string; status: string } {
  return {
    method: methodLabel(c.req.method),
    route: routeLabel(c),
    status: statusLabel(c.res.status),
  };
}

function capLabel(value: string): string {
  return value.length > MAX_LABEL_CHARS ? value.slice(0, MAX_LABEL_CHARS) : value;
}

/** Remembers label values it has let through, up to a cap. */
class BoundedValues {
  readonly #seen = new Set<string>();
  /** @param max distinct values let through */
  constructor(private readonly max: number) {}
  /** Whether `value` is (or may now become) one of the remembered values. */
  admit(value: string): boolean {
    if (this.#seen.has(value)) return true;
    if (this.#seen.size >= this.max) return false;
    this.#seen.add(value);
    return true;
  }
}

const serverValues = new BoundedValues(MAX_SERVER_LABELS);
const toolValues = new BoundedValues(MAX_TOOL_LABELS);
const toolsPerServer = new Map<string, BoundedValues>();

/** The `server` label: a stored server's (or built-in tool's) name, capped in length and count. */
export function serverLabel(server: string): string {
  const value = capLabel(server);
  return serverValues.admit(value) ? value : OTHER_LABEL;
}

/**
 * The `tool` label: the tool's name when it is in the catalogue (`known`), else
 * {@linkcode UNKNOWN_TOOL}; capped in length, per server and in total.
 * @param server the `server` label value (from {@linkcode serverLabel})
 * @param tool the tool name as called
 * @param known whether the catalogue (or the server's live tool list) has this tool
 */
export function toolLabel(server: string, tool: string, known: boolean): string {
  if (!known) return UNKNOWN_TOOL;
  const value = capLabel(tool);
  let perServer = toolsPerServer.get(server);
  if (!perServer) {
    perServer = new BoundedValues(MAX_TOOLS_PER_SERVER);
    toolsPerServer.set(server, perServer);
  }
  if (!perServer.admit(value)) return OTHER_LABEL;
  return toolValues.admit(`${server}\u0000${value}`) ? value : OTHER_LABEL;
}

/** One finished tool call, as {@linkcode recordToolCall} counts it. */
export interface ToolCallSample {
  /** Server (or built-in tool) name. */
  server: string;
  /** Tool name as called. */
  tool: string;
  /** Whether the tool is in the catalogue; unknown names are all counted as `unknown`. */
  known: boolean;
  outcome: "ok" | "error";
  /** Why it failed, when it threw; an error result is `tool_error` (`unknown_tool` if unknown). */
  kind?: ToolErrorKind;
  /** Latency through the router. */
  seconds: number;
}

/** Count a tool call and observe its latency, with bounded labels; errors also by kind. */
export function recordToolCall(sample: ToolCallSample): void {
  const server = serverLabel(sample.server);
  const tool = toolLabel(server, sample.tool, sample.known);
  toolCalls.inc({ server, tool, outcome: sample.outcome });
  toolCallSeconds.observe({ server, tool, outcome: sample.outcome }, sample.seconds);
  if (sample.outcome === "error") {
    toolErrors.inc({
      server,
      kind: sample.kind ?? (sample.known ? "tool_error" : "unknown_tool"),
    });
  }
}

/** The `server` label of calls the router refused before choosing a server (rate limit, name). */
export const ROUTER_LABEL = "(router)";

/**
 * Count a failed tool call by kind alone (refusals before the call is timed and audited).
 * @param server the server (or built-in) name, or {@linkcode ROUTER_LABEL}
 * @param kind why it failed
 */
export function recordToolError(server: string, kind: ToolErrorKind): void {
  toolErrors.inc({ server: server === ROUTER_LABEL ? server : serverLabel(server), kind });
}

/** Tool calls by server, tool and outcome. */
export const toolCalls = new client.Counter({
  name: "mcp_router_tool_calls_total",
  help: "Tool calls by server, tool and outcome",
  labelNames: ["server", "tool", "outcome"],
  registers: [registry],
});

/** Failed tool calls by server and kind (see `error_kinds.ts`). */
export const toolErrors = new client.Counter({
  name: "mcp_router_tool_errors_total",
  help: "Failed tool calls by server and kind of failure",
  labelNames: ["server", "kind"],
  registers: [registry],
});

/** Tool call latency. */
export const toolCallSeconds = new client.Histogram({
  name: "mcp_router_tool_call_seconds",
  help: "Tool call latency through the router",
  labelNames: ["server", "tool", "outcome"],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 120],
  registers: [registry],
});

/** Container start latency (start until the MCP client is connected). */
export const containerStartSeconds = new client.Histogram({
  name: "mcp_router_container_start_seconds",
  help: "Time from container start request to an initialized MCP connection",
  labelNames: ["server"],
  buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120],
  registers: [registry],
});

/** Container lifecycle events. */
export const containerEvents = new client.Counter({
  name: "mcp_router_container_events_total",
  help: "Container sessions started, stopped and failed",
  labelNames: ["event"],
  registers: [registry],
});

/** Image builds. */
export const imageBuilds = new client.Counter({
  name: "mcp_router_image_builds_total",
  help: "Image builds by outcome",
  labelNames: ["outcome"],
  registers: [registry],
});

/**
 * Register gauges read at scrape time.
 * @param read current active sessions and containers
 */
export function registerLiveGauges(read: () => { sessions: number; containers: number }): void {
  registry.removeSingleMetric("mcp_router_active_sessions");
  registry.removeSingleMetric("mcp_router_active_containers");
  new client.Gauge({
    name: "mcp_router_active_sessions",
    help: "Live upstream MCP sessions",
    registers: [registry],
    collect() {
      this.set(read().sessions);
    },
  });
  new client.Gauge({
    name: "mcp_router_active_containers",
    help: "Containers counted against the caps",
    registers: [registry],
    collect() {
      this.set(read().containers);
    },
  });
}
