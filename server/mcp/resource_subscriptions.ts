/**
 * @module Change subscriptions toward a downstream of either protocol generation. A 2025-era
 * server pushes list changes unasked and gets `resources/subscribe` / `resources/unsubscribe`;
 * a 2026-07-28 server (which has neither) gets one `subscriptions/listen` stream for its list
 * changes and one per subscribed URI. Notifications on those streams reach the client's
 * handlers like pushed ones (the relays).
 */
import type { Client, McpSubscription, RequestOptions } from "@modelcontextprotocol/client";

const listens = new WeakMap<Client, Map<string, McpSubscription>>();
const listChangeListens = new WeakSet<Client>();

/**
 * Hear of a 2026-07-28 downstream's list changes (once per client; a 2025 one pushes them).
 * @param client the downstream's SDK client
 * @param options request options (timeout)
 */
export async function listenForListChanges(
  client: Client,
  options: RequestOptions,
): Promise<void> {
  if (client.getProtocolEra() !== "modern" || listChangeListens.has(client)) return;
  listChangeListens.add(client);
  const caps = client.getServerCapabilities() ?? {};
  await client.listen({
    toolsListChanged: caps.tools?.listChanged === true,
    promptsListChanged: caps.prompts?.listChanged === true,
    resourcesListChanged: caps.resources?.listChanged === true,
  }, { timeout: options.timeout }).catch(() => listChangeListens.delete(client));
}

/**
 * Subscribe to updates of `uri` on a connected downstream.
 * @param client the downstream's SDK client
 * @param uri the resource (as the downstream names it)
 * @param options request options (timeout; the signal is not kept for a listen stream)
 */
export async function subscribeResource(
  client: Client,
  uri: string,
  options: RequestOptions,
): Promise<void> {
  if (client.getProtocolEra() !== "modern") {
    await client.subscribeResource({ uri }, options);
    return;
  }
  const subs = listens.get(client) ?? new Map<string, McpSubscription>();
  listens.set(client, subs);
  if (subs.has(uri)) return;
  const sub = await client.listen({ resourceSubscriptions: [uri] }, { timeout: options.timeout });
  subs.set(uri, sub);
  void sub.closed.then(() => {
    if (subs.get(uri) === sub) subs.delete(uri);
  });
}

/**
 * Stop updates of `uri` on a connected downstream.
 * @param client the downstream's SDK client
 * @param uri the resource (as the downstream names it)
 * @param options request options
 */
export async function unsubscribeResource(
  client: Client,
  uri: string,
  options: RequestOptions,
): Promise<void> {
  if (client.getProtocolEra() !== "modern") {
    await client.unsubscribeResource({ uri }, options);
    return;
  }
  const subs = listens.get(client);
  const sub = subs?.get(uri);
  subs?.delete(uri);
  await sub?.close();
}
