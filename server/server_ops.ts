/**
 * @module Server lifecycle operations shared by the REST API, the admin UI and the CLI, so each
 * records the same audit entry and leaves nothing behind.
 */
import type { KvStore } from "./store/kv_store.ts";
import type { RuntimeFacade } from "./services.ts";
import type { ServerRecord } from "./schemas/server.ts";

/** Fields of a record that an audit entry may show (no env values, no capabilities). */
export function auditView(server: ServerRecord): Record<string, unknown> {
  const { capabilities: _c, health: _h, ...rest } = server;
  return rest;
}

/**
 * Delete a server with its env values, remove its install image (best effort) and audit it.
 * @param deps the store and the runtime that owns the image
 * @param idOrName the server
 * @param actor who asked (key name, `admin`, `cli`)
 * @returns the deleted record
 * @throws {AppError} 404 when there is no such server
 */
export async function deleteServerAudited(
  deps: { store: KvStore; runtime: Pick<RuntimeFacade, "removeServer"> },
  idOrName: string,
  actor: string,
): Promise<ServerRecord> {
  const removed = await deps.store.deleteServer(idOrName);
  await deps.runtime.removeServer(removed).catch(() => {});
  await deps.store.appendAudit({
    actor,
    action: "server.delete",
    target: removed.name,
    details: { before: auditView(removed) },
  });
  return removed;
}
