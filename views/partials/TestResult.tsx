/**
 * @module Test result: tools found, or the one-line cause of the failure with the last log lines
 * folded; a degraded runtime is shown as a notice. Also the last recorded failure, shown next to
 * the Test button before a new test.
 */
import type { Health } from "../../server/schemas/server.ts";
import type { TestView } from "../types.ts";
import { Alert } from "../components/Alert.tsx";

/** Log lines shown under a failed test. */
const LOG_LINES = 20;

/** The outcome of pressing "Test". */
export function TestResult({ test }: { test: TestView }) {
  if (test.degraded) {
    return (
      <Alert kind="warn" title="Cannot test right now">
        <p>{test.error}</p>
        <p class="hint">Start Podman (see the banner on the Servers page) and try again.</p>
      </Alert>
    );
  }
  if (!test.ok && test.needsAuthorization) {
    return (
      <Alert kind="warn" title="Needs authorization">
        <p>
          This server signs users in with OAuth: authorize the router with the{" "}
          <a href="#authorization">Authorize</a> button below, then test again.
        </p>
      </Alert>
    );
  }
  if (!test.ok) {
    const logs = test.logs.slice(-LOG_LINES);
    return (
      <div class="test-result test-failed" data-failure={test.failure?.kind}>
        <p class="test-cause" role="alert">
          <strong>Test failed:</strong> <span class="pre-wrap">{test.error}</span>
        </p>
        {logs.length
          ? (
            <details class="test-logs">
              <summary>Last {logs.length} log line{logs.length === 1 ? "" : "s"}</summary>
              <pre class="logs">{logs.join("\n")}</pre>
            </details>
          )
          : null}
      </div>
    );
  }
  return (
    <div class="test-result">
      <Alert
        kind="ok"
        title={`Test passed: ${test.tools.length} tool${
          test.tools.length === 1 ? "" : "s"
        }, ${test.resources} resources, ${test.prompts} prompts${
          test.durationMs !== null ? ` (${(test.durationMs / 1000).toFixed(1)} s)` : ""
        }`}
      >
        {test.tools.length
          ? (
            <ul class="tool-names">
              {test.tools.map((t) => (
                <li>
                  <code>{t.name}</code>
                </li>
              ))}
            </ul>
          )
          : null}
      </Alert>
    </div>
  );
}

/** The last recorded test failure (from the server's health), or nothing. */
export function LastTestFailure({ health }: { health: Health | null }) {
  if (!health || health.ok || !health.error) return null;
  if (health.needs_authorization) {
    // Not a failure of the server: the router must be authorized there first (see below).
    return (
      <Alert kind="warn">
        {health.error} (<a href="#authorization">Authorization</a>)
      </Alert>
    );
  }
  return (
    <div class="test-result test-failed">
      <p class="test-cause">
        <strong>Last test failed:</strong> <span class="pre-wrap">{health.error}</span>{" "}
        <time class="muted small" datetime={health.checked_at}>
          ({health.checked_at.replace("T", " ").slice(0, 16)} UTC)
        </time>
      </p>
    </div>
  );
}
