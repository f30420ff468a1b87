/**
 * @module A server's health as every report shows it (`GET /api/servers`, `/api/health`, the
 * admin UI): `needs_setup` while a required env value is missing or a remote server waits for an
 * OAuth authorization, else the last test's result
 * (`ok`, `failed`) or `untested`. The same check keeps such servers out of the MCP catalogue.
 */
import type { Health, ServerRecord } from "../schemas/server.ts";
import type { HealthStatus, ServerHealth } from "../schemas/api.ts";
import type { EnvStatus } from "../schemas/records.ts";
import type { EnvStore } from "../store/store.ts";
import { missingRequiredEnv } from "./launch_env.ts";

/**
 * The state a server is in.
 * @param health its last recorded test result (null when never tested)
 * @param missing its required env keys without a value or default
 */
export function healthStatus(health: Health | null, missing: readonly string[]): HealthStatus {
  if (missing.length > 0 || health?.needs_authorization) return "needs_setup";
  if (!health) return "untested";
  return health.ok ? "ok" : "failed";
}

/**
 * A server's health for responses and pages.
 * @param health its last recorded test result (null when never tested)
 * @param missing its required env keys without a value or default
 */
export function serverHealth(health: Health | null, missing: readonly string[]): ServerHealth {
  return {
    status: healthStatus(health, missing),
    ok: health?.ok ?? false,
    checked_at: health?.checked_at ?? null,
    error: health?.error ?? null,
    missing: [...missing],
    ...(health?.needs_authorization ? { needs_authorization: true } : {}),
  };
}

/**
 * Required env keys of a server that are not set, from its env status (no decryption).
 * @param server the server (its env specs)
 * @param status what `EnvStore.envStatus` says is set
 */
export function missingFromStatus(
  server: Pick<ServerRecord, "env">,
  status: readonly EnvStatus[],
): string[] {
  const set = Object.fromEntries(status.filter((s) => s.set).map((s) => [s.key, ""]));
  return missingRequiredEnv(server, set);
}

/** Whether a server has any required env key without a default (only those can need setup). */
function mayNeedSetup(server: Pick<ServerRecord, "env">): boolean {
  return server.env.some((s) => s.required && s.default === undefined);
}

/**
 * The missing required env keys of each server that has any, by server id. Only servers with
 * a required key without a default are looked up (the store caches their values briefly); one
 * whose values cannot be read is left out.
 * @param store where env values live
 * @param servers the servers to check
 */
export async function missingEnvByServer(
  store: Pick<EnvStore, "getEnvValues">,
  servers: readonly Pick<ServerRecord, "id" | "env">[],
): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  await Promise.all(
    servers.filter(mayNeedSetup).map(async (server) => {
      // Values that cannot be read (a sealed value under a lost key) fail at launch, loudly;
      // they never break a listing or a report.
      const values = await store.getEnvValues(server.id).catch(() => null);
      const missing = values ? missingRequiredEnv(server, values) : [];
      if (missing.length > 0) out.set(server.id, missing);
    }),
  );
  return out;
}
