/**
 * @module Analysis jobs of the admin UI: an analysis runs in the background, its progress steps
 * are recorded in memory, and the page polls them. Jobs expire after an hour.
 */
import type { AnalyzeFn, AnalyzeStep } from "../composition/contracts.ts";
import type { AnalysisView } from "../../views/types.ts";
import { createLogger } from "../../runtime/foundation/log.ts";
import { errorMessage } from "../errors.ts";
import { classifySource } from "../analyzer/source_plan.ts";
import { withoutLogsHint } from "../mcp/downstream/errors.ts";

const logger = createLogger("ui.analysis");

type StepLabel = { step: Exclude<AnalyzeStep, "done">; label: string };

const VERIFY_STEP: StepLabel = { step: "verifying", label: "Verifying launch" };
/** The steps shown for a source, by its kind. */
const STEPS_BY_KIND: Record<string, StepLabel[]> = {
  github: [
    { step: "fetching_repo", label: "Fetching repository" },
    { step: "reading_manifests", label: "Reading manifests" },
    { step: "asking_claude", label: "Asking Claude" },
    VERIFY_STEP,
  ],
  npx: [{ step: "reading_registry", label: "Reading the npm registry" }, VERIFY_STEP],
  uvx: [{ step: "reading_registry", label: "Reading PyPI" }, VERIFY_STEP],
};

const TTL_MS = 60 * 60_000;
const MAX_JOBS = 200;

/** One analysis job. */
export interface AnalysisJob {
  id: string;
  source: string;
  status: "running" | "done" | "failed";
  /** Reported steps, in order, with their detail. */
  reached: { step: AnalyzeStep; detail?: string }[];
  plan: Record<string, unknown> | null;
  error: string | null;
  createdAt: number;
}

/** In-memory analysis jobs. */
export class AnalysisJobs {
  readonly #jobs = new Map<string, AnalysisJob>();

  /**
   * Start analysing `source` in the background.
   * @param analyze the analyzer
   * @param input source, verify flag and the names already taken
   */
  start(
    analyze: AnalyzeFn,
    input: { source: string; verify: boolean; existingNames: Set<string> },
  ): AnalysisJob {
    this.#prune();
    const job: AnalysisJob = {
      id: crypto.randomUUID(),
      source: input.source,
      status: "running",
      reached: [],
      plan: null,
      error: null,
      createdAt: Date.now(),
    };
    this.#jobs.set(job.id, job);
    analyze({ source: input.source, verify: input.verify }, {
      existingNames: input.existingNames,
      onProgress: (step, detail) => job.reached.push({ step, detail }),
    }).then((plan) => {
      job.plan = plan;
      job.status = "done";
    }, (error) => {
      job.error = errorMessage(error);
      job.status = "failed";
      logger.info("analysis failed", { source: input.source, error: job.error });
    });
    return job;
  }

  /** A job by id, or undefined. */
  get(id: string): AnalysisJob | undefined {
    return this.#jobs.get(id);
  }

  #prune(): void {
    const now = Date.now();
    for (const [id, job] of this.#jobs) {
      if (now - job.createdAt > TTL_MS) this.#jobs.delete(id);
    }
    while (this.#jobs.size >= MAX_JOBS) this.#jobs.delete(this.#jobs.keys().next().value!);
  }
}

/** Warnings of a registry lookup that failed (the package is not there, or unreadable). */
const REGISTRY_FAILURE = /not found in the registry|could not read .+ from the registry/;
/** Most characters of a step's one-line cause. */
const CAUSE_MAX = 200;

/** The first line of an error, without the log link (the page shows the logs), capped. */
function oneLine(text: string): string {
  const line = withoutLogsHint(text).split("\n").map((l) => l.trim()).find(Boolean) ?? "";
  return line.length > CAUSE_MAX ? `${line.slice(0, CAUSE_MAX - 1)}…` : line;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.map(String) : [];
}

/** The job as the pages show it. */
export function jobView(job: AnalysisJob): AnalysisView {
  const reachedSteps = job.reached.map((r) => r.step);
  const last = reachedSteps.at(-1);
  const shown = STEPS_BY_KIND[classifySource(job.source)] ?? [VERIFY_STEP];
  const steps = shown.map(({ step, label }): AnalysisView["steps"][number] => {
    const reached = job.reached.findLast((r) => r.step === step);
    let state: AnalysisView["steps"][number]["state"];
    if (!reached) state = job.status === "running" ? "pending" : "skipped";
    else if (job.status === "running" && last === step) state = "active";
    else if (job.status === "failed" && last === step) state = "failed";
    else state = "done";
    return { step, label, state, detail: reached?.detail };
  });
  const plan = job.plan ?? {};
  const verification = plan.verification as
    | {
      ok?: boolean;
      error?: string;
      tools?: unknown;
      logs?: unknown;
      rounds?: { ok?: boolean; error?: string | null }[];
    }
    | undefined;
  const verifying = steps.find((s) => s.step === VERIFY_STEP.step);
  const roundLines = job.reached.filter((r) => r.step === VERIFY_STEP.step && r.detail);
  if (verifying && roundLines.length) {
    const outcomes = verification?.rounds ?? [];
    verifying.rounds = roundLines.map((r, i) => ({
      text: r.detail!,
      state: outcomes[i]
        ? (outcomes[i].ok ? "done" : "failed")
        : i < roundLines.length - 1
        ? "failed"
        : "active",
    }));
    verifying.detail = undefined;
  }
  if (verifying && verification && verification.ok !== true) {
    verifying.state = "failed";
    const error = String(verification.rounds?.at(-1)?.error ?? verification.error ?? "");
    verifying.cause = oneLine(error || "the launch failed");
    const full = withoutLogsHint(String(verification.error ?? error)).trim();
    if (full && full !== verifying.cause) verifying.fullError = full;
  }
  const registry = steps.find((s) => s.step === "reading_registry");
  const notFound = strings(plan.warnings).find((w) => REGISTRY_FAILURE.test(w));
  if (registry && notFound && job.status === "done") {
    registry.state = "failed";
    registry.cause = oneLine(notFound);
  }
  const failedStep = steps.find((s) => s.state === "failed" && !s.cause);
  if (failedStep && job.error) failedStep.cause = oneLine(job.error);
  return {
    id: job.id,
    source: job.source,
    status: job.status,
    steps,
    error: job.error ?? undefined,
    warnings: strings(plan.warnings),
    detectedTools: strings(plan.detected_tools),
    planSource: typeof plan.source === "string" ? plan.source : undefined,
    verification: verification
      ? {
        ok: verification.ok === true,
        error: verifying?.cause ??
          (verification.error ? oneLine(String(verification.error)) : undefined),
        tools: strings(verification.tools),
        logs: strings(verification.logs),
      }
      : undefined,
  };
}
