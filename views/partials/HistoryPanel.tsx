/**
 * @module History panel: the last UI calls to a server (tool calls, resource reads, prompt
 * gets), newest first, each with its outcome and raw JSON-RPC messages.
 */
import type { CallView } from "../types.ts";
import { ToolResult } from "./ToolResult.tsx";
import { RawMessages } from "./RawMessages.tsx";

const KIND = { tool: "tool", resource: "resource", prompt: "prompt" } as const;

/** The last calls (kept in memory, a few per server). */
export function HistoryPanel({ calls }: { calls: CallView[] }) {
  if (calls.length === 0) {
    return (
      <p class="muted">
        No calls yet. Tool calls, resource reads and prompt gets made here are listed with their raw
        requests and responses.
      </p>
    );
  }
  return (
    <>
      <p class="small muted">
        The last {calls.length} call{calls.length === 1 ? "" : "s"}{" "}
        made from this page (kept in memory until the router restarts).
      </p>
      <ol class="history">
        {calls.map((c) => (
          <li>
            <details class="history-item" data-call={c.id}>
              <summary>
                <span class={`tag ${c.state !== "done" ? "" : c.ok ? "tag-ok" : "tag-bad"}`}>
                  {c.state !== "done" ? "running" : c.ok ? "ok" : "failed"}
                </span>{" "}
                {KIND[c.kind]} <code>{c.label}</code>{" "}
                <span class="muted small">
                  <time datetime={c.startedAt} data-local>
                    {c.startedAt.replace("T", " ").slice(0, 19)} UTC
                  </time>{" "}
                  · {c.elapsedMs} ms
                </span>
              </summary>
              {c.result ? <ToolResult result={c.result} /> : null}
              <RawMessages raw={c.raw} open />
            </details>
          </li>
        ))}
      </ol>
    </>
  );
}
