/**
 * @module The README's other documented launches in the review form: the plan with one of its
 * `alternatives` swapped in (the launch it replaces becomes an alternative in turn).
 */
import { launchLine } from "../analyzer/repair.ts";
import type { AlternativeView } from "../../views/types.ts";

type Launchable = Record<string, unknown> & { alternatives?: unknown };

const LAUNCH_KEYS = ["runtime", "command", "args", "package", "image", "url"] as const;

function alternativesOf(plan: Launchable): Record<string, unknown>[] {
  return Array.isArray(plan.alternatives) ? plan.alternatives as Record<string, unknown>[] : [];
}

/**
 * The plan using alternative `index` instead of its own launch; the plan unchanged when the
 * index is out of range.
 */
export function withAlternative<T extends Launchable>(plan: T, index: number): T {
  const list = alternativesOf(plan);
  const alt = list[index];
  if (!alt) return plan;
  const own = Object.fromEntries(LAUNCH_KEYS.map((k) => [k, plan[k] ?? null]));
  const url = typeof alt.url === "string" ? alt.url : null;
  return {
    ...plan,
    ...Object.fromEntries(LAUNCH_KEYS.map((k) => [k, alt[k] ?? (k === "args" ? [] : null)])),
    transport: alt.runtime === "remote" ? (/\/sse\/?$/.test(url ?? "") ? "sse" : "http") : "stdio",
    port: null,
    path: null,
    alternatives: list.map((a, i) => (i === index ? own : a)),
    // The values to fill belong to the planned launch's arguments, not the alternative's.
    arg_fields: [],
  };
}

/** The alternatives as one-line links for the review page. */
export function alternativeViews(plan: Launchable): AlternativeView[] {
  return alternativesOf(plan).map((a, index) => ({
    index,
    runtime: String(a.runtime ?? ""),
    launch: launchLine({
      runtime: a.runtime as never,
      command: (a.command as string | null) ?? null,
      args: Array.isArray(a.args) ? a.args.map(String) : [],
      image: (a.image as string | null) ?? null,
      url: (a.url as string | null) ?? null,
    }),
  }));
}
