/**
 * @module Analyzer service: the analyzer wired to settings, the KV ETag cache and launch
 * verification through the container runtime.
 */
import { analyze, type VerifyReport } from "../analyzer/analyze.ts";
import { createRetryingFetch } from "../http/retry_fetch.ts";
import type { Settings } from "../settings.ts";
import type { HttpCacheStore } from "../store/store.ts";
import type { AnalyzeFn, RuntimeFacade } from "../composition/contracts.ts";
import type { PoolRuntime } from "./runtime_service.ts";
import { type Plan, ServerRecordSchema } from "../schemas/server.ts";
import { selfDescription } from "../mcp/catalog.ts";

/** A throw-away record for launching an unsaved plan. */
export function recordFromPlan(plan: Plan): ReturnType<typeof ServerRecordSchema.parse> {
  const at = new Date().toISOString();
  return ServerRecordSchema.parse({
    ...plan,
    id: `verify-${crypto.randomUUID().slice(0, 8)}`,
    display_name: plan.display_name || plan.name,
    source: plan.origin ?? { kind: "npx", ref: plan.name },
    plan_source: "user",
    created_at: at,
    updated_at: at,
  });
}

/**
 * Verify a plan by launching it once: placeholders stand in for required env values.
 * @param runtime a runtime with `probe`
 */
export function createVerifier(
  runtime: RuntimeFacade,
): ((plan: Plan) => Promise<VerifyReport>) | undefined {
  const probe = (runtime as Partial<PoolRuntime>).probe?.bind(runtime);
  if (!probe) return undefined;
  return async (plan) => {
    const env: Record<string, string> = {};
    for (const spec of plan.env) {
      if (spec.required && spec.default === undefined) {
        env[spec.key] = `placeholder-${spec.key.toLowerCase()}`;
      }
    }
    const { report, capabilities } = await probe(recordFromPlan(plan), env);
    return {
      self_description: selfDescription(capabilities),
      ok: report.ok,
      started: report.started,
      initialized: report.initialized,
      tools: report.tools.map((t) => t.name),
      resources: report.resources,
      prompts: report.prompts,
      error: report.error,
      logs: report.logs,
      placeholders: Object.keys(env),
      install_resolution: report.install_resolution ?? null,
      notes: report.notes,
      // Kept when the plan is saved as verified (see kept_verification.ts).
      capabilities: report.ok ? capabilities : null,
    };
  };
}

/** Build the analyze function for these settings. */
export function createAnalyzeFn(
  settings: Settings,
  store: HttpCacheStore,
  runtime: RuntimeFacade,
): AnalyzeFn {
  const fetch = createRetryingFetch();
  // Claude answers only when the whole plan is written: allow long responses.
  const anthropicFetch = createRetryingFetch({ timeoutMs: 180_000 });
  const verify = createVerifier(runtime);
  return async (input, options) =>
    await analyze(input, {
      settings,
      fetch,
      anthropicFetch,
      cache: {
        get: (key) => store.getHttpCache(key),
        set: (key, value) => store.setHttpCache(key, value),
      },
      verify,
      onProgress: options.onProgress,
      existingNames: options.existingNames,
    }) as unknown as Record<string, unknown>;
}
