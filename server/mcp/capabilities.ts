/**
 * @module Capabilities snapshot: list a connected downstream's tools (all pages) and, when it
 * advertises them, its resources, resource templates and prompts; compare a snapshot with the
 * cached one list by list, and refresh the cache from a live server.
 */
import type { Client } from "@modelcontextprotocol/client";
import type { Capabilities } from "../schemas/server.ts";
import type { CapabilityStore } from "../store/store.ts";
import type { LinkedConnection, ListKind } from "./contracts.ts";

const MAX_PAGES = 20;

async function allPages<T>(
  fetchPage: (cursor?: string) => Promise<{ items: T[]; nextCursor?: string }>,
): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { items, nextCursor } = await fetchPage(cursor);
    out.push(...items);
    if (!nextCursor) break;
    cursor = nextCursor;
  }
  return out;
}

/**
 * Read what a downstream offers.
 * @param client an initialized SDK client
 * @throws {Error} when the client is not connected, or its connection closed meanwhile
 * @param options request options (timeout, signal)
 */
export async function snapshotCapabilities(
  client: Client,
  options: { timeout?: number; signal?: AbortSignal } = {},
): Promise<Capabilities> {
  const connected = client.getServerCapabilities();
  // A closed client has none: its "snapshot" would cache an empty server.
  if (!connected) throw new Error("cannot snapshot capabilities: the client is not connected");
  const caps = connected;
  const info = client.getServerVersion();
  const instructions = client.getInstructions();
  const protocolEra = client.getProtocolEra();
  const protocolVersion = client.getNegotiatedProtocolVersion();
  // The four lists are asked at once: one round trip instead of four.
  const [tools, resources, templates, prompts] = await Promise.all([
    caps.tools
      ? allPages(async (cursor) => {
        const r = await client.listTools(cursor ? { cursor } : {}, options);
        return { items: r.tools, nextCursor: r.nextCursor };
      })
      : [],
    caps.resources
      ? allPages(async (cursor) => {
        const r = await client.listResources(cursor ? { cursor } : {}, options);
        return { items: r.resources, nextCursor: r.nextCursor };
      }).catch(() => [])
      : [],
    caps.resources
      ? allPages(async (cursor) => {
        const r = await client.listResourceTemplates(cursor ? { cursor } : {}, options);
        return { items: r.resourceTemplates, nextCursor: r.nextCursor };
      }).catch(() => [])
      : [],
    caps.prompts
      ? allPages(async (cursor) => {
        const r = await client.listPrompts(cursor ? { cursor } : {}, options);
        return { items: r.prompts, nextCursor: r.nextCursor };
      }).catch(() => [])
      : [],
  ]);
  // Lists that failed because the connection closed meanwhile are no empty lists.
  if (!client.getServerCapabilities()) {
    throw new Error("cannot snapshot capabilities: the connection closed during the snapshot");
  }
  return {
    tools: tools.map((t) => ({ ...t, inputSchema: t.inputSchema ?? { type: "object" } })),
    resources,
    resource_templates: templates,
    prompts,
    server_capabilities: caps as Record<string, unknown>,
    ...(info ? { server_info: info } : {}),
    ...(instructions ? { instructions } : {}),
    ...(protocolEra ? { protocol_era: protocolEra } : {}),
    ...(protocolVersion ? { protocol_version: protocolVersion } : {}),
    fetched_at: new Date().toISOString(),
  };
}

/**
 * Which lists clients see differently between two snapshots (timestamps ignored). What a server
 * says of itself (`server_info`, `instructions`) shows in its server-as-tool description, so it
 * counts as a change of `tools`. A missing cache differs in every list.
 * @param a the cached snapshot, or null
 * @param b the live snapshot
 */
export function changedLists(a: Capabilities | null, b: Capabilities): ListKind[] {
  if (!a) return ["tools", "resources", "prompts"];
  const same = (x: unknown, y: unknown) => JSON.stringify(x) === JSON.stringify(y);
  const lists: ListKind[] = [];
  if (!same([a.tools, a.server_info, a.instructions], [b.tools, b.server_info, b.instructions])) {
    lists.push("tools");
  }
  if (!same([a.resources, a.resource_templates], [b.resources, b.resource_templates])) {
    lists.push("resources");
  }
  if (!same(a.prompts, b.prompts)) lists.push("prompts");
  return lists;
}

/**
 * Snapshot a live server and update the stored cache when the snapshot differs from it.
 * @param store the capabilities cache
 * @param serverId the server's id
 * @param conn a connection to the live server
 * @returns the snapshot and the lists that changed (empty when the cache was current)
 */
export async function refreshCapabilities(
  store: CapabilityStore,
  serverId: string,
  conn: LinkedConnection,
): Promise<{ snapshot: Capabilities; changed: ListKind[] }> {
  const snapshot = await conn.run((client) => snapshotCapabilities(client, conn.requestOptions));
  const cached = await store.getCapabilities(serverId);
  const changed = changedLists(cached, snapshot);
  // A new protocol era is stored too (it decides how the next connection starts), but it is no
  // list change clients hear of.
  const eraChanged = cached?.protocol_era !== snapshot.protocol_era ||
    cached?.protocol_version !== snapshot.protocol_version;
  if (changed.length > 0 || eraChanged) await store.setCapabilities(serverId, snapshot);
  return { snapshot, changed };
}
