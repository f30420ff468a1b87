/**
 * @module Raw messages: the JSON-RPC messages of one UI call (request, notifications,
 * server→client requests and answers, response), folded.
 */
import type { RawMessageView } from "../types.ts";

/** The raw JSON of a call, folded under a summary. */
export function RawMessages({ raw, open }: { raw: RawMessageView[]; open?: boolean }) {
  if (raw.length === 0) return null;
  return (
    <details class="raw-messages" open={open}>
      <summary>
        Raw request and response ({raw.length} message{raw.length === 1 ? "" : "s"})
      </summary>
      <ol class="raw-list">
        {raw.map((m) => (
          <li>
            <span class={`dir dir-${m.direction}`}>
              {m.direction === "sent" ? "→ sent to the router" : "← received from the router"}
            </span>
            {/* Focusable: it scrolls, and keyboard users must reach what is cut off. */}
            <pre class="json" tabindex={0}>{m.json}</pre>
          </li>
        ))}
      </ol>
    </details>
  );
}
