/**
 * @module Tool result: text blocks (escaped), images and audio as `data:` URLs, resources,
 * structured content as JSON, error styling for `isError`.
 */
import type { ToolResultView } from "../types.ts";

/** The result of one Try-it call. */
export function ToolResult({ result }: { result: ToolResultView }) {
  if (result.error) {
    return (
      <div class="tool-result is-error" role="alert">
        <strong>Call failed:</strong> <span class="pre-wrap">{result.error}</span>
      </div>
    );
  }
  return (
    <div class={`tool-result ${result.isError ? "is-error" : "is-ok"}`}>
      <p class="small muted">
        {result.isError ? "The tool returned an error" : "Result"} from <code>{result.tool}</code>
        {result.durationMs !== undefined ? ` in ${result.durationMs} ms` : ""}
      </p>
      {result.blocks.map((b) => {
        switch (b.type) {
          case "text":
            return <pre class="result-text">{b.text}</pre>;
          case "image":
            return <img class="result-image" src={b.src} alt={`image result (${b.mimeType})`} />;
          case "audio":
            return <audio controls src={b.src}></audio>;
          case "resource":
            return (
              <div class="result-resource">
                <code>{b.uri}</code>
                {b.text ? <pre class="result-text">{b.text}</pre> : null}
              </div>
            );
          default:
            return <pre class="json">{b.json}</pre>;
        }
      })}
      {result.structured
        ? (
          <details open>
            <summary>Structured content</summary>
            <pre class="json">{result.structured}</pre>
          </details>
        )
        : null}
    </div>
  );
}
