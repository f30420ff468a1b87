/**
 * @module Call panel: one UI call as it goes — running (with live progress, polled by htmx;
 * without JS a Refresh link), waiting for an answer (the input form), or done (the result) —
 * with its raw JSON-RPC messages.
 */
import type { CallView } from "../types.ts";
import { ToolResult } from "./ToolResult.tsx";
import { InputForm } from "./InputForm.tsx";
import { RawMessages } from "./RawMessages.tsx";

/** How often a running call is polled. */
const POLL = "load delay:500ms";

/** One UI call. */
export function CallPanel({ call }: { call: CallView }) {
  const url = `/servers/${encodeURIComponent(call.serverId)}/calls/${encodeURIComponent(call.id)}`;
  const seconds = (call.elapsedMs / 1000).toFixed(1);
  if (call.state === "done" && call.result) {
    return (
      <div class="call call-done" id={`call-${call.id}`} data-call={call.id}>
        <ToolResult result={call.result} />
        <RawMessages raw={call.raw} />
      </div>
    );
  }
  const p = call.progress;
  return (
    <div
      class={`call call-${call.state}`}
      id={`call-${call.id}`}
      data-call={call.id}
      hx-get={call.state === "running" ? url : undefined}
      hx-trigger={call.state === "running" ? POLL : undefined}
      hx-swap="outerHTML"
    >
      <p class="small muted call-state">
        {call.state === "running" ? "Running" : "Waiting for your answer"} ·{" "}
        <code>{call.label}</code>
        {/* The clock ticks with every poll: not read out by the live region each time. */}
        <span aria-hidden="true">· {seconds} s</span>{" "}
        {call.state === "running" ? <a href={url} data-nojs-only>Refresh</a> : null}
      </p>
      {p
        ? (
          <p class="call-progress">
            {p.total
              ? (
                <progress value={p.progress} max={p.total} aria-label="Progress">
                  {p.progress}/{p.total}
                </progress>
              )
              : null}{" "}
            <span class="progress-text">
              {p.total ? `${p.progress} of ${p.total}` : `${p.progress}`}
              {p.message ? ` — ${p.message}` : ""}
            </span>
          </p>
        )
        : null}
      {call.input ? <InputForm call={call} input={call.input} /> : null}
      {call.state === "input" ? <RawMessages raw={call.raw} /> : null}
    </div>
  );
}
