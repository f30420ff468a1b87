/**
 * @module Server lifecycle operations shared by the REST API, the admin UI and the CLI, so each
 * records the same audit entry and leaves nothing behind.
 */
import type { Store } from "../store/store.ts";
import type { Settings } from "../settings.ts";
import { checkRemoteUrl } from "../http/router_outbound_guard.ts";
import { checkPlanMounts } from "../mounts/policy.ts";
import type { RuntimeFacade } from "../composition/contracts.ts";
import type { Plan, ServerRecord } from "../schemas/server.ts";
import type { VersionedServer } from "../schemas/records.ts";
import type { TestReport } from "../schemas/api.ts";

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
  deps: { store: Store; runtime: Pick<RuntimeFacade, "removeServer"> },
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

/**
 * Create a server from a validated plan and audit it with the record as created.
 * @param store the store
 * @param plan a plan `PlanSchema` accepted
 * @param actor who asked (key name, `admin`, `cli`)
 * @throws {AppError} 409 when the name is taken
 */
export async function createServerAudited(
  store: Store,
  plan: Plan,
  actor: string,
): Promise<VersionedServer> {
  const created = await store.createServer(plan);
  await store.appendAudit({
    actor,
    action: "server.create",
    target: created.name,
    details: { after: auditView(created) },
  });
  return created;
}

/**
 * What a plan must pass before it is saved (API, admin UI): its remote URL is one the router may
 * connect to, and its mounts resolve inside `MCP_ROUTER_MOUNT_ROOTS`. Both are checked again at
 * launch.
 * @param deps settings and store
 * @param plan the plan, or a stored record merged with a patch
 * @throws {AppError} 400 naming the field (`url`, or `mounts.N.source` in `details`)
 */
export async function checkPlanForSave(
  deps: { settings: Settings; store: Store },
  plan: Parameters<typeof checkRemoteUrl>[1] & Parameters<typeof checkPlanMounts>[1],
): Promise<void> {
  await checkRemoteUrl(deps, plan);
  await checkPlanMounts(deps.settings, plan);
}

/**
 * Launch a server once through the runtime (which stores capabilities and health) and audit it.
 * @param env its launch env (see `services/launch_env.ts`)
 * @throws {AppError} 503 when the runtime is unavailable
 */
export async function testServer(
  deps: { runtime: RuntimeFacade; store: Store },
  server: ServerRecord,
  actor: string,
  env: Record<string, string>,
): Promise<TestReport> {
  const report = await deps.runtime.test(server, env);
  await deps.store.appendAudit({
    actor,
    action: "server.test",
    target: server.name,
    outcome: report.ok ? "ok" : "error",
    duration_ms: report.duration_ms,
    details: { tools: report.tools.length, error: report.error },
  });
  return report;
}
