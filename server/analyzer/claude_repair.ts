/**
 * @module Claude as the repairer of a plan whose launch failed: the same planning call, shown
 * the failed launches with their errors and last log lines; its launch fields replace the
 * failed plan's (env keys it adds are kept, grounded or flagged).
 */
import { type Plan, PlanSchema } from "../schemas/server.ts";
import { askClaude, claudeLaunch, type PlannerOptions } from "./planner.ts";
import type { PromptInput } from "./prompt.ts";
import { launchLine, type Repairer } from "./repair.ts";
import { ungroundedWarnings } from "./grounding.ts";

/**
 * A repairer that asks Claude, falling back to `fallback` when Claude gives no usable plan.
 * @param input the prompt input of the analysis (README, manifests, candidates)
 * @param opts planner options (key, base URL, model, fetch)
 * @param fallback the deterministic repairer
 */
export function claudeRepairer(
  input: PromptInput,
  opts: PlannerOptions,
  fallback?: Repairer,
): Repairer {
  const failures: NonNullable<PromptInput["failures"]> = [];
  return async (failed, report, round) => {
    failures.push({
      launch: launchLine(failed),
      error: String(report.error ?? "the launch failed"),
      logs: Array.isArray(report.logs) ? report.logs.map(String) : [],
    });
    const outcome = await askClaude({ ...input, failures: [...failures] }, opts);
    const claude = outcome.plan;
    if (!claude) return fallback ? await fallback(failed, report, round) : null;
    const known = new Set(failed.env.map((e) => e.key));
    const parsed = PlanSchema.safeParse(
      {
        ...failed,
        ...claudeLaunch(claude),
        port: null,
        path: null,
        env: [...failed.env, ...claude.env.filter((e) => !known.has(e.key))],
        source: "claude",
        warnings: [
          ...failed.warnings,
          ...ungroundedWarnings(claude, [input.readme, ...Object.values(input.files)]),
        ].slice(0, 50),
      } satisfies Partial<Plan> & Record<string, unknown>,
    );
    if (!parsed.success) return fallback ? await fallback(failed, report, round) : null;
    return { plan: parsed.data, by: "claude_repair" };
  };
}
