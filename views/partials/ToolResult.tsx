/**
 * @module Tool result: what a tool call, resource read or prompt get returned — text blocks
 * (escaped), images at their natural size with click-to-zoom, audio with controls, resources
 * with their URI and type, prompt messages with their role, structured content as JSON, error
 * styling for `isError`.
 */
import type { ResultBlock, ToolResultView } from "../types.ts";

const WHAT = {
  tool: "Result from",
  resource: "Contents of",
  prompt: "Messages of",
} as const;

function Block({ b }: { b: ResultBlock }) {
  switch (b.type) {
    case "text":
      return <pre class="result-text">{b.text}</pre>;
    case "image":
      return (
        <button
          type="button"
          class="zoom"
          data-zoom
          aria-pressed="false"
          title="Click to zoom"
        >
          <img class="result-image" src={b.src} alt={`image result (${b.mimeType})`} />
          <span class="sr-only">Zoom the image</span>
        </button>
      );
    case "audio":
      return (
        <audio controls src={b.src}>
          <a href={b.src}>Audio ({b.mimeType})</a>
        </audio>
      );
    case "resource":
      return (
        <div class="result-resource">
          <code class="break">{b.uri}</code>
          {b.mimeType ? <span class="muted small">{b.mimeType}</span> : null}
          {b.text ? <pre class="result-text">{b.text}</pre> : null}
        </div>
      );
    default:
      return <pre class="json">{b.json}</pre>;
  }
}

/** The result of one Try-it call, resource read or prompt get. */
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
        {result.isError ? "The tool returned an error" : WHAT[result.kind ?? "tool"]}{" "}
        <code>{result.tool}</code>
        {result.durationMs !== undefined ? ` in ${result.durationMs} ms` : ""}
      </p>
      {result.blocks.length === 0 ? <p class="muted small">(empty)</p> : null}
      {result.blocks.map((b, i) =>
        b.role
          ? (
            <div class="result-message" key={i}>
              <span class="tag">{b.role}</span>
              <Block b={b} />
            </div>
          )
          : <Block b={b} key={i} />
      )}
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
