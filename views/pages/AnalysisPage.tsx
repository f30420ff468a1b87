/**
 * @module Analysis page (`/servers/new/:job`): live progress while analyzing, then the plan
 * review form (or the failure with a way back).
 */
import type { AlternativeView, AnalysisView, FieldErrors, PlanFormValues } from "../types.ts";
import { AnalysisProgress } from "../partials/AnalysisProgress.tsx";
import { PlanForm } from "../partials/PlanForm.tsx";
import { Alert } from "../components/Alert.tsx";

/** Props of {@linkcode AnalysisPage}. */
export interface AnalysisPageProps {
  job: AnalysisView;
  /** The plan as form values, once the job is done. */
  values?: PlanFormValues;
  errors?: FieldErrors;
  /** The README's other documented launches (links that swap one in). */
  alternatives?: AlternativeView[];
}

/** Where a plan came from (`PlanSourceSchema`), in plain words. */
const PLAN_SOURCE_WORDS: Record<string, string> = {
  claude: "Planned by Claude from the README.",
  mixed: "Planned by Claude from the README, with fields read from the README and manifests.",
  heuristic:
    "Read from the README and manifests without Claude (no ANTHROPIC_API_KEY, or Claude did not answer).",
  deterministic: "Made directly from the package, image or URL you entered.",
  user: "Entered by hand.",
};

/** The sentence for a plan source; an unknown one is shown as it is. */
export function planSourceWords(source: string): string {
  return PLAN_SOURCE_WORDS[source] ?? `Plan from: ${source}`;
}

/** Progress, then review. */
export function AnalysisPage({ job, values, errors, alternatives = [] }: AnalysisPageProps) {
  return (
    <>
      <h1>Add a server</h1>
      <AnalysisProgress job={job} />
      {job.status === "failed"
        ? (
          <Alert kind="error" title="Could not analyze this source">
            <p>{job.error}</p>
            <p>
              <a href={`/servers/new?source=${encodeURIComponent(job.source)}`}>Try again</a>
            </p>
          </Alert>
        )
        : null}
      {job.status === "done" && values
        ? (
          <section class="review">
            <h2>Review the plan</h2>
            {job.planSource
              ? <p class="muted small plan-source">{planSourceWords(job.planSource)}</p>
              : null}
            {job.verification
              ? job.verification.ok
                ? (
                  <Alert kind="ok" title="Launch verified">
                    {job.verification.tools?.length
                      ? `Tools: ${job.verification.tools.join(", ")}`
                      : "It started and answered."}
                  </Alert>
                )
                : (
                  <Alert kind="warn" title="Launch not verified">
                    <p>{job.verification.error ?? "it did not start"}</p>
                    {job.verification.logs?.length
                      ? (
                        <details class="verify-logs">
                          <summary>
                            Build and launch log ({job.verification.logs.length} lines)
                          </summary>
                          <pre class="logs" tabindex={0}>{job.verification.logs.join("\n")}</pre>
                        </details>
                      )
                      : null}
                    <p class="small">
                      Saving it anyway keeps it switched off, so it is not offered to MCP clients
                      until you fix the plan and turn it on.
                    </p>
                  </Alert>
                )
              : null}
            {job.warnings.length
              ? (
                <Alert kind="warn" title="Warnings">
                  <ul>{job.warnings.map((w, i) => <li key={i}>{w}</li>)}</ul>
                </Alert>
              )
              : null}
            {job.detectedTools.length
              ? (
                <p class="small chips">
                  <span>Tools mentioned in the README:</span>
                  {job.detectedTools.map((t, i) => <code key={i}>{t}</code>)}
                </p>
              )
              : null}
            {alternatives.length
              ? (
                <details class="alternatives">
                  <summary>Other ways the README documents ({alternatives.length})</summary>
                  <ul>
                    {alternatives.map((a) => (
                      <li key={a.index}>
                        <a href={`/servers/new/${encodeURIComponent(job.id)}?use=${a.index}`}>
                          Use {a.runtime}
                        </a>: <code>{a.launch}</code>
                      </li>
                    ))}
                  </ul>
                </details>
              )
              : null}
            <PlanForm
              mode="create"
              action="/servers"
              values={values}
              errors={errors}
              job={job.id}
              unverified={job.verification && !job.verification.ok
                ? { retryHref: `/servers/new?source=${encodeURIComponent(job.source)}` }
                : undefined}
            />
          </section>
        )
        : null}
    </>
  );
}
