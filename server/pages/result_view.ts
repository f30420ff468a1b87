/**
 * @module Result views: what a tool call, a resource read or a prompt get returned, turned into
 * blocks the views render safely (text escaped by Preact, media only as checked `data:` URLs),
 * and a UI call record as the pages show it.
 */
import type { CallRecord } from "./call_jobs.ts";
import type { CallView, InputView, ResultBlock, ToolResultView } from "../../views/types.ts";

/** A tool result as the SDK returns it (loosely typed; rendered defensively). */
export type RawResult = {
  content?: unknown;
  structuredContent?: unknown;
  isError?: unknown;
};

const MIME = /^[a-z]+\/[a-z0-9.+-]+$/i;
const BASE64 = /^[A-Za-z0-9+/=\s]*$/;

function record(v: unknown): Record<string, unknown> {
  return v && typeof v === "object" && !Array.isArray(v) ? v as Record<string, unknown> : {};
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** A `data:` URL for base64 `data` of `mimeType` when it is an image or audio; else null. */
function mediaSrc(mimeType: string, data: string, kind: "image" | "audio"): string | null {
  if (!MIME.test(mimeType) || !BASE64.test(data) || !mimeType.startsWith(`${kind}/`)) return null;
  return `data:${mimeType};base64,${data.replace(/\s+/g, "")}`;
}

/** One resource's contents (`text` or base64 `blob`) as a block. */
function contentsBlock(raw: unknown): ResultBlock {
  const c = record(raw);
  const uri = String(c.uri ?? "");
  const mimeType = str(c.mimeType) ?? "";
  const blob = str(c.blob);
  if (blob !== undefined) {
    for (const kind of ["image", "audio"] as const) {
      const src = mediaSrc(mimeType, blob, kind);
      if (src) return { type: kind, mimeType, src };
    }
    return {
      type: "resource",
      uri,
      mimeType: mimeType || undefined,
      text: `(binary, ${Math.floor(blob.replace(/\s+/g, "").length * 3 / 4)} bytes)`,
    };
  }
  return { type: "resource", uri, mimeType: mimeType || undefined, text: str(c.text) };
}

/** One content block (tool result or prompt message) as a block. */
function contentBlock(raw: unknown): ResultBlock {
  const b = record(raw);
  const mimeType = str(b.mimeType) ?? "";
  if (b.type === "text" && typeof b.text === "string") return { type: "text", text: b.text };
  if (b.type === "image" || b.type === "audio") {
    const src = mediaSrc(mimeType, str(b.data) ?? "", b.type);
    if (src) return { type: b.type, mimeType, src };
  }
  if (b.type === "resource") return contentsBlock(b.resource);
  if (b.type === "resource_link") {
    return { type: "resource", uri: String(b.uri ?? ""), mimeType: mimeType || undefined };
  }
  return { type: "other", json: JSON.stringify(raw, null, 2) };
}

/** Turn a `CallToolResult` into blocks the view can render safely. */
export function resultView(tool: string, result: RawResult): ToolResultView {
  const content = Array.isArray(result.content) ? result.content : [];
  return {
    tool,
    isError: result.isError === true,
    blocks: content.map(contentBlock),
    structured: result.structuredContent !== undefined
      ? JSON.stringify(result.structuredContent, null, 2)
      : undefined,
  };
}

/** Turn a `ReadResourceResult` into blocks. */
export function resourceView(uri: string, result: { contents?: unknown }): ToolResultView {
  const contents = Array.isArray(result.contents) ? result.contents : [];
  return { tool: uri, kind: "resource", isError: false, blocks: contents.map(contentsBlock) };
}

/** Turn a `GetPromptResult` into blocks, each labelled with its role. */
export function promptView(
  name: string,
  result: { description?: unknown; messages?: unknown },
): ToolResultView {
  const messages = Array.isArray(result.messages) ? result.messages : [];
  const blocks = messages.map((raw): ResultBlock => {
    const m = record(raw);
    return { ...contentBlock(m.content), role: str(m.role) ?? "?" };
  });
  const description = str(result.description);
  return {
    tool: name,
    kind: "prompt",
    isError: false,
    blocks: description
      ? [{ type: "text", text: description, role: "description" }, ...blocks]
      : blocks,
  };
}

/** The text of a sampling message's content (other content described in brackets). */
function samplingText(content: unknown): string {
  const list = Array.isArray(content) ? content : [content];
  return list.map((c) => {
    const b = record(c);
    return typeof b.text === "string" ? b.text : `[${String(b.type ?? "content")}]`;
  }).join("\n");
}

/** A pending router→UI request as its form shows it. */
export function inputView(
  input: CallRecord["inputs"][number],
  typed?: Pick<InputView, "values" | "errors">,
): InputView {
  const p = input.params;
  if (input.kind === "elicitation") {
    return {
      key: input.key,
      kind: "elicitation",
      message: str(p.message) ?? "",
      schema: record(p.requestedSchema),
      ...typed,
    };
  }
  const messages = Array.isArray(p.messages) ? p.messages : [];
  return {
    key: input.key,
    kind: "sampling",
    messages: messages.map((m) => ({
      role: str(record(m).role) ?? "?",
      text: samplingText(record(m).content),
    })),
    systemPrompt: str(p.systemPrompt),
    maxTokens: typeof p.maxTokens === "number" ? p.maxTokens : undefined,
    ...typed,
  };
}

/** A UI call record as the pages show it. */
export function callView(
  call: CallRecord,
  typed?: Pick<InputView, "values" | "errors">,
): CallView {
  const input = call.inputs[0];
  return {
    id: call.id,
    serverId: call.serverId,
    kind: call.kind,
    label: call.label,
    state: call.done ? "done" : input ? "input" : "running",
    startedAt: new Date(call.startedAt).toISOString(),
    elapsedMs: (call.finishedAt ?? Date.now()) - call.startedAt,
    progress: call.progress,
    input: input && !call.done ? inputView(input, typed) : undefined,
    result: call.done ? call.outcome as ToolResultView : undefined,
    ok: call.ok,
    raw: call.messages.map((m) => ({
      direction: m.direction,
      json: JSON.stringify(m.message, null, 2),
    })),
  };
}
