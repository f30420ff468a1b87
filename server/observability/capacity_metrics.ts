/**
 * @module Capacity metrics: MCP server containers by state (read from the pool at scrape time),
 * and queueing at the container caps — callers waiting for a slot now, and how long each wait
 * took (a {@linkcode SlotObserver} handed to `ContainerSlots`). The slot metrics cover every
 * container user (MCP servers and the sandbox); the state gauge covers MCP server containers
 * (remote servers have none).
 */
import client from "prom-client";
import type { SlotObserver } from "../../runtime/sessions.ts";
import { registry } from "./metrics.ts";

/** Every value the `state` label takes. */
export const CONTAINER_STATES = ["starting", "busy", "idle", "stopping"] as const;

/** One value of the `state` label: starting, serving a call, idle, or being torn down. */
export type ContainerStateLabel = typeof CONTAINER_STATES[number];

/** Seconds callers waited for a container slot (only callers that had to wait). */
export const slotWaitSeconds = new client.Histogram({
  name: "mcp_router_slot_wait_seconds",
  help: "Time spent waiting for a container slot at the caps (callers that had to wait)",
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

/** Waits for a slot that ended without one (the call then fails with `capacity`). */
export const slotWaitTimeouts = new client.Counter({
  name: "mcp_router_slot_wait_timeouts_total",
  help: "Waits for a container slot that timed out",
  registers: [registry],
});

/** The observer `ContainerSlots` reports its waits to. */
export const slotMetrics: SlotObserver = {
  waited(seconds, acquired) {
    slotWaitSeconds.observe(seconds);
    if (!acquired) slotWaitTimeouts.inc();
  },
};

/**
 * Register the gauges read at scrape time (again replaces the previous registration).
 * @param read containers by state, and callers waiting for a slot
 */
export function registerCapacityGauges(
  read: () => { states: Record<ContainerStateLabel, number>; waiting: number },
): void {
  registry.removeSingleMetric("mcp_router_containers");
  registry.removeSingleMetric("mcp_router_slot_waiters");
  new client.Gauge({
    name: "mcp_router_containers",
    help: "MCP server containers by state",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      const states = read().states;
      for (const state of CONTAINER_STATES) this.set({ state }, states[state]);
    },
  });
  new client.Gauge({
    name: "mcp_router_slot_waiters",
    help: "Callers waiting for a container slot at the caps",
    registers: [registry],
    collect() {
      this.set(read().waiting);
    },
  });
}
