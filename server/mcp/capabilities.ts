/**
 * @module Capabilities snapshot: list a connected downstream's tools (all pages) and, when it
 * advertises them, its resources, resource templates and prompts.
 */
// @ts-types="@modelcontextprotocol/sdk/client/index"
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { Capabilities } from "../schemas/server.ts";

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
 * @param options request options (timeout, signal)
 */
export async function snapshotCapabilities(
  client: Client,
  options: { timeout?: number; signal?: AbortSignal } = {},
): Promise<Capabilities> {
  const caps = client.getServerCapabilities() ?? {};
  const info = client.getServerVersion();
  const instructions = client.getInstructions();
  const tools = caps.tools
    ? await allPages(async (cursor) => {
      const r = await client.listTools(cursor ? { cursor } : {}, options);
      return { items: r.tools, nextCursor: r.nextCursor };
    })
    : [];
  const resources = caps.resources
    ? await allPages(async (cursor) => {
      const r = await client.listResources(cursor ? { cursor } : {}, options);
      return { items: r.resources, nextCursor: r.nextCursor };
    }).catch(() => [])
    : [];
  const templates = caps.resources
    ? await allPages(async (cursor) => {
      const r = await client.listResourceTemplates(cursor ? { cursor } : {}, options);
      return { items: r.resourceTemplates, nextCursor: r.nextCursor };
    }).catch(() => [])
    : [];
  const prompts = caps.prompts
    ? await allPages(async (cursor) => {
      const r = await client.listPrompts(cursor ? { cursor } : {}, options);
      return { items: r.prompts, nextCursor: r.nextCursor };
    }).catch(() => [])
    : [];
  return {
    tools: tools.map((t) => ({ ...t, inputSchema: t.inputSchema ?? { type: "object" } })),
    resources,
    resource_templates: templates,
    prompts,
    server_capabilities: caps as Record<string, unknown>,
    ...(info ? { server_info: info } : {}),
    ...(instructions ? { instructions } : {}),
    fetched_at: new Date().toISOString(),
  };
}

/** Whether two snapshots differ in what clients see (ignores timestamps). */
export function capabilitiesChanged(a: Capabilities | null, b: Capabilities): boolean {
  if (!a) return true;
  const view = (c: Capabilities) =>
    JSON.stringify([
      c.tools,
      c.resources,
      c.resource_templates,
      c.prompts,
      c.server_info,
      c.instructions,
    ]);
  return view(a) !== view(b);
}
