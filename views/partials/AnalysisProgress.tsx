/**
 * @module Analysis progress: the steps of a running analysis. While running, htmx polls it
 * every second (without JavaScript a meta refresh reloads the page).
 */
import type { AnalysisView } from "../types.ts";

const MARK: Record<string, string> = {
  done: "✓",
  active: "…",
  pending: "·",
  skipped: "–",
  failed: "✗",
};

/** The step list, polling while the job runs. */
export function AnalysisProgress({ job }: { job: AnalysisView }) {
  const running = job.status === "running";
  const failedSteps = job.steps.filter((s) => s.state === "failed").length;
  const poll = running
    ? {
      "hx-get": `/servers/new/${encodeURIComponent(job.id)}/progress`,
      "hx-trigger": "every 1s",
      "hx-swap": "outerHTML",
    }
    : {};
  return (
    <section id="analysis-progress" class="card progress" aria-live="polite" {...poll}>
      <h2 class="h3">
        {running
          ? "Analyzing…"
          : job.status === "failed"
          ? "Analysis failed"
          : failedSteps
          ? `Analysis done, ${failedSteps === 1 ? "one step" : `${failedSteps} steps`} failed`
          : "Analysis done"}
      </h2>
      <p class="muted small">
        Source: <code>{job.source}</code>
      </p>
      <ol class="steps">
        {job.steps.map((s) => (
          <li class={`step step-${s.state}`} data-step={s.step}>
            <span class="step-mark" aria-hidden="true">{MARK[s.state]}</span>
            <span class="step-label">{s.label}</span>
            <span class="sr-only">({s.state})</span>
            {s.detail ? <span class="step-detail muted small">{s.detail}</span> : null}
            {s.cause ? <span class="step-cause small">{s.cause}</span> : null}
            {s.fullError
              ? (
                <details class="step-full small">
                  <summary>Full error</summary>
                  <pre class="pre-wrap">{s.fullError}</pre>
                </details>
              )
              : null}
            {s.rounds?.length
              ? (
                <ol class="rounds small">
                  {s.rounds.map((r) => (
                    <li class={`round step-${r.state}`}>
                      <span class="step-mark" aria-hidden="true">{MARK[r.state]}</span> {r.text}
                      {" "}
                      <span class="sr-only">({r.state})</span>
                    </li>
                  ))}
                </ol>
              )
              : null}
          </li>
        ))}
      </ol>
      {running
        ? (
          <noscript>
            <meta http-equiv="refresh" content="2" />
            <p class="hint">This page reloads every 2 seconds until the analysis is done.</p>
          </noscript>
        )
        : null}
    </section>
  );
}
