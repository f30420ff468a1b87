/**
 * @module Test result: tools found, or the error with the tail of the logs; a degraded runtime
 * is shown as a notice.
 */
import type { TestView } from "../types.ts";
import { Alert } from "../components/Alert.tsx";

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
  if (!test.ok) {
    return (
      <div class="test-result">
        <Alert kind="error" title="Test failed">
          <p class="pre-wrap">{test.error}</p>
        </Alert>
        {test.logs.length
          ? (
            <>
              <h4>Last log lines</h4>
              <pre class="logs">{test.logs.slice(-30).join("\n")}</pre>
            </>
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
