/**
 * @module Prometheus metrics (prom-client): HTTP requests, tool calls with latency, sessions,
 * containers, container start latency, image builds. Served at `/metrics`.
 */
import client from "prom-client";

/** The router's metrics registry. */
export const registry = new client.Registry();

/** HTTP requests by route and status. */
export const httpRequests = new client.Counter({
  name: "mcp_router_http_requests_total",
  help: "HTTP requests by route and status",
  labelNames: ["method", "route", "status"],
  registers: [registry],
});

/** Tool calls by server, tool and outcome. */
export const toolCalls = new client.Counter({
  name: "mcp_router_tool_calls_total",
  help: "Tool calls by server, tool and outcome",
  labelNames: ["server", "tool", "outcome"],
  registers: [registry],
});

/** Tool call latency. */
export const toolCallSeconds = new client.Histogram({
  name: "mcp_router_tool_call_seconds",
  help: "Tool call latency through the router",
  labelNames: ["server", "outcome"],
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
