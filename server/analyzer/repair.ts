/**
 * @module Verification that repairs itself: a plan is launched once; when the launch fails
 * (exit during start-up, missing module, wrong args, no tools), a repairer proposes the next
 * plan — Claude's repair given the plan, the error and the last log lines, or, without a key,
 * the README's next-best documented launch — which is launched in turn. At most two repair
 * rounds; every round is recorded in `verification.rounds`.
 */
import { type Plan, PlanSchema } from "../schemas/server.ts";
import { errorMessage } from "../errors.ts";

/** Whatever the verifier reports; `ok` plus the launch details (tools, error, logs…). */
export type VerifyReport = { ok: boolean } & Record<string, unknown>;

/** Who proposed the plan a round launched. */
export type RoundAuthor = "analysis" | "claude_repair" | "next_candidate";

/** One launch of verification. */
export interface VerifyRound {
  round: number;
  by: RoundAuthor;
  /** The launch tried, as one line (`npx -y pkg`, `image ghcr.io/x`, a URL). */
  launch: string;
  ok: boolean;
  error: string | null;
  tools: string[];
}

/** Proposes the next plan after a failed round, or null when it has none. */
export type Repairer = (
  failed: Plan,
  report: VerifyReport,
  round: number,
) => Promise<{ plan: Plan; by: RoundAuthor } | null>;

/** Repair rounds after the first launch. */
export const MAX_REPAIR_ROUNDS = 2;

/** The launch of a plan as one line. */
export function launchLine(plan: Pick<Plan, "runtime" | "command" | "args" | "image" | "url">) {
  if (plan.runtime === "remote") return plan.url ?? "(no url)";
  if (plan.runtime === "image") return [`image ${plan.image ?? "(built)"}`, ...plan.args].join(" ");
  return [plan.command ?? "", ...plan.args].join(" ").trim();
}

/** A launch that started but offers nothing (no tools, resources or prompts) is a failure. */
export function failureOf(report: VerifyReport): string | null {
  if (!report.ok) return typeof report.error === "string" ? report.error : "the launch failed";
  if (!Array.isArray(report.tools)) return null;
  const others = Number(report.resources ?? 0) + Number(report.prompts ?? 0);
  return report.tools.length + others === 0 ? "the server started but lists no tools" : null;
}

/**
 * Launch `plan`; after a failure ask `repair` for another plan, at most
 * {@linkcode MAX_REPAIR_ROUNDS} times. Returns the last plan tried with its report and every round.
 * @param plan the analysed plan
 * @param verify launches a plan once and reports
 * @param repair proposes the next plan (may be absent)
 * @param onRound progress per round ("round 2 of 3: Claude's repair — npx -y …")
 */
export async function verifyWithRepairs(
  plan: Plan,
  verify: (plan: Plan) => Promise<VerifyReport>,
  repair: Repairer | undefined,
  onRound?: (detail: string) => void,
): Promise<{ plan: Plan; verification: VerifyReport & { rounds: VerifyRound[] } }> {
  const rounds: VerifyRound[] = [];
  let current = plan;
  let by: RoundAuthor = "analysis";
  for (let round = 1;; round++) {
    const launch = launchLine(current);
    onRound?.(`round ${round}: ${describeAuthor(by)} — ${launch.slice(0, 200)}`);
    let report: VerifyReport;
    try {
      report = await verify(current);
    } catch (e) {
      report = { ok: false, error: errorMessage(e) };
    }
    const failure = failureOf(report);
    rounds.push({
      round,
      by,
      launch,
      ok: failure === null,
      error: failure,
      tools: Array.isArray(report.tools) ? report.tools.map(String) : [],
    });
    if (failure === null) {
      return { plan: current, verification: { ...report, ok: true, rounds } };
    }
    // A proposal that repeats a launch already tried is passed over (a few times at most).
    let next: Awaited<ReturnType<Repairer>> = null;
    for (let ask = 0; round <= MAX_REPAIR_ROUNDS && repair && ask < 5; ask++) {
      next = await repair(current, { ...report, error: failure }, round).catch(() => null);
      if (!next || !rounds.some((r) => r.launch === launchLine(next!.plan))) break;
      next = null;
    }
    if (!next) {
      return {
        plan,
        verification: { ...report, ok: false, error: failureReport(rounds), rounds },
      };
    }
    current = next.plan;
    by = next.by;
  }
}

function describeAuthor(by: RoundAuthor): string {
  return by === "analysis"
    ? "the analysed plan"
    : by === "claude_repair"
    ? "Claude's repair"
    : "the README's next documented launch";
}

/** One clear report of every failed round. */
function failureReport(rounds: VerifyRound[]): string {
  if (rounds.length === 1) return rounds[0].error ?? "the launch failed";
  return `the plan failed to launch in ${rounds.length} rounds: ` +
    rounds.map((r) => `round ${r.round} (${r.launch.slice(0, 120)}): ${r.error}`).join("; ");
}

/**
 * The README's other documented launches as a repairer (no Claude): each failed round takes the
 * next alternative of the plan not yet tried.
 */
export function nextCandidateRepairer(original: Plan): Repairer {
  const queue = [...(original.alternatives ?? [])];
  return (failed) => {
    while (queue.length) {
      const alt = queue.shift()!;
      const parsed = PlanSchema.safeParse({
        ...failed,
        runtime: alt.runtime,
        command: alt.command,
        args: alt.args,
        package: alt.package ?? null,
        image: alt.image ?? null,
        url: alt.url ?? null,
        transport: alt.runtime === "remote"
          ? (/\/sse\/?$/.test(alt.url ?? "") ? "sse" : "http")
          : "stdio",
        port: null,
        path: null,
        build: alt.runtime === "image" && !alt.image ? failed.build : null,
        alternatives: (original.alternatives ?? []).filter((a) => a !== alt),
      });
      if (parsed.success) {
        return Promise.resolve({ plan: parsed.data, by: "next_candidate" as const });
      }
    }
    return Promise.resolve(null);
  };
}
