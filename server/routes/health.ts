/**
 * @module Health route: `/api/health` reports KV, Podman, images, limit enforcement (what bounds
 * containers and the sandbox in fact: `limits_in_force`), auth, each server's health state and
 * protocol era, and the servers that need setup (a required env value missing).
 */
import { createRoute, type OpenAPIHono } from "@hono/zod-openapi";
import { type HealthResponse, HealthResponseSchema } from "../schemas/api.ts";
import type { AppDeps } from "../composition/contracts.ts";
import type { AppEnv } from "../app/app_env.ts";
import { VERSION } from "../version.ts";
import { authRequired } from "../auth/policy.ts";
import { missingEnvByServer, serverHealth } from "../services/server_health.ts";
import { sandboxLimitsInForce } from "../../sandbox/memory_guard.ts";

/** Collect the health report. */
export async function collectHealth(deps: AppDeps): Promise<HealthResponse> {
  let kvOk = true;
  let servers: HealthResponse["servers"] = [];
  let keys = 0;
  try {
    const stored = await deps.store.listServers();
    const missing = await missingEnvByServer(deps.store, stored);
    servers = stored.map((s) => ({
      name: s.name,
      active: s.active,
      health: serverHealth(s.health, missing.get(s.id) ?? []),
      protocol_era: s.capabilities?.protocol_era ?? null,
      protocol_version: s.capabilities?.protocol_version ?? null,
    }));
    keys = (await deps.store.listApiKeys()).filter((k) => !k.revoked_at).length;
  } catch {
    kvOk = false;
  }
  const runtime = await deps.runtime.status();
  return {
    status: kvOk && runtime.ok ? "ok" : "degraded",
    version: VERSION,
    kv: { ok: kvOk },
    podman: {
      ok: runtime.ok,
      socket: deps.settings.podmanSocket,
      reason: runtime.reason,
      version: runtime.version,
      install_hint: runtime.installHint,
    },
    limits: runtime.limits,
    limits_in_force: runtime.ok
      ? [
        ...runtime.limitsInForce,
        ...sandboxLimitsInForce(
          deps.settings,
          runtime.limitsInForce.includes("memory (cgroup)") ? ["memory"] : [],
        ),
        `call timeout ${deps.settings.callTimeoutMs} ms`,
        `start timeout ${deps.settings.startTimeoutMs} ms`,
      ]
      : [],
    images: runtime.images,
    auth: { required: authRequired(deps.settings.host, keys), keys },
    servers,
    needs_setup: servers.filter((s) => s.health.status === "needs_setup")
      .map((s) => ({
        name: s.name,
        missing: s.health.missing,
        ...(s.health.needs_authorization ? { needs_authorization: true } : {}),
      })),
  };
}

/** Mount `GET /api/health`. */
export function mountHealthRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/health",
      summary: "Router health: KV, Podman, images, limits, servers",
      security: [],
      responses: {
        200: {
          description: "Health report (status may be degraded)",
          content: { "application/json": { schema: HealthResponseSchema } },
        },
      },
    }),
    async (c) => c.json(await collectHealth(deps), 200),
  );
}
