/**
 * @module Stdio presence: a `main.ts stdio` process (what Claude Desktop spawns) is a separate
 * process from `serve`, so it leaves a small heartbeat record in the store — client name and
 * version, refreshed every 15 s, marked ended when stdin closes — that the Connect page reads
 * to say "Claude Desktop connected (last seen 5 s ago)".
 */
import { z } from "zod";
import type { MetaStore } from "../store/store.ts";
import { createLogger } from "../../runtime/foundation/log.ts";

const logger = createLogger("mcp.stdio");

/** The meta record's name (one record: the stdio process that wrote last). */
const PRESENCE_META = "stdio_presence";

/** How often a live stdio process refreshes its record. */
export const HEARTBEAT_MS = 15_000;

/** A record older than this is a process that died without saying so. */
export const STALE_MS = 3 * HEARTBEAT_MS + 5_000;

/** The heartbeat record. */
export const StdioPresenceSchema = z.object({
  /** Random id of the writing process. */
  id: z.string(),
  client: z.object({ name: z.string().max(200), version: z.string().max(100) }),
  started_at: z.string(),
  seen_at: z.string(),
  /** Set when the client closed stdin. */
  ended_at: z.string().nullable(),
});

/** The heartbeat record. */
export type StdioPresence = z.infer<typeof StdioPresenceSchema>;

/** What the Connect page shows. */
export interface StdioStatus {
  /** Whether a stdio client is live now. */
  live: boolean;
  /** `name version` of the client, or "" when it did not say. */
  client: string;
  /** Seconds since the last heartbeat (or since it ended). */
  secondsAgo: number;
}

/** The client name and version carried by an inbound message, or null. */
export function clientOfMessage(message: unknown): { name: string; version: string } | null {
  const params = (message as { method?: unknown; params?: Record<string, unknown> } | null)
    ?.params;
  const method = (message as { method?: unknown } | null)?.method;
  const info = method === "initialize"
    ? params?.clientInfo
    : (params?._meta as Record<string, unknown> | undefined)
      ?.["io.modelcontextprotocol/clientInfo"];
  const parsed = z.object({ name: z.string(), version: z.string().optional() }).safeParse(info);
  return parsed.success
    ? { name: parsed.data.name.slice(0, 200), version: (parsed.data.version ?? "").slice(0, 100) }
    : null;
}

/** A running heartbeat (see {@linkcode startStdioHeartbeat}). */
export interface StdioHeartbeat {
  /** Note the client's identity (written at once when it changes). */
  identify(client: { name: string; version: string }): void;
  /** Stop beating and mark the record ended (when it is still this process's). */
  stop(): Promise<void>;
}

/**
 * Write the presence record now and every {@linkcode HEARTBEAT_MS}; failures are logged, never
 * thrown (presence is a nicety, the MCP session goes on).
 * @param store where the record lives (the router's store, shared with `serve`)
 * @param options `intervalMs` (default 15 s) and `now` (tests)
 */
export function startStdioHeartbeat(
  store: MetaStore,
  options: { intervalMs?: number; now?: () => Date } = {},
): StdioHeartbeat {
  const now = options.now ?? (() => new Date());
  const record: StdioPresence = {
    id: crypto.randomUUID(),
    client: { name: "", version: "" },
    started_at: now().toISOString(),
    seen_at: now().toISOString(),
    ended_at: null,
  };
  let writes = Promise.resolve();
  const write = () => {
    record.seen_at = now().toISOString();
    const value = { ...record, client: { ...record.client } };
    writes = writes.then(() => store.setMeta(PRESENCE_META, value)).catch((error) =>
      logger.debug("stdio presence not recorded", { error })
    );
    return writes;
  };
  void write();
  const timer = setInterval(write, options.intervalMs ?? HEARTBEAT_MS);
  Deno.unrefTimer(timer);
  return {
    identify(client) {
      if (client.name === record.client.name && client.version === record.client.version) return;
      record.client = client;
      void write();
    },
    async stop() {
      clearInterval(timer);
      await writes;
      try {
        const current = await store.getMeta(PRESENCE_META, StdioPresenceSchema);
        if (current && current.id !== record.id) return; // another stdio process wrote since
        record.ended_at = now().toISOString();
        await write();
      } catch (error) {
        logger.debug("stdio presence not ended", { error });
      }
    },
  };
}

/**
 * The last stdio client seen, or null when none ever was.
 * @param store the router's store
 * @param now the current time (tests)
 */
export async function readStdioStatus(
  store: MetaStore,
  now: Date = new Date(),
): Promise<StdioStatus | null> {
  const record = await store.getMeta(PRESENCE_META, StdioPresenceSchema);
  if (!record) return null;
  const at = Date.parse(record.ended_at ?? record.seen_at);
  const ago = Math.max(0, now.getTime() - (Number.isNaN(at) ? 0 : at));
  return {
    live: record.ended_at === null && ago < STALE_MS,
    client: `${record.client.name} ${record.client.version}`.trim(),
    secondsAgo: Math.round(ago / 1000),
  };
}
