/**
 * @module Fake Anthropic Messages API (hono): checks the request shape (model, forced tool with
 * an object input schema, README included, size budget) and answers with a recorded
 * `tool_use` message, garbage (invalid plan) or an HTTP error.
 */
import { Hono } from "hono";

/** How the fake answers. */
export type FakeAnthropicMode =
  | "recorded"
  | "garbage_twice"
  | "garbage_once"
  | "server_error";

/** Options of {@linkcode startFakeAnthropic}. */
export interface FakeAnthropicOptions {
  mode?: FakeAnthropicMode;
  /** Expected `model` (request rejected with 400 otherwise). */
  model?: string;
  /** Text the first user message must contain (e.g. a README line). */
  expectInPrompt?: string;
  /** Largest accepted request body in bytes (default 300 000). */
  maxBodyBytes?: number;
  /** Recorded answer file under `tests/fakes/anthropic_responses/` (default brave_search.json). */
  recorded?: string;
  /** Plan inputs answered in turn, one per request (the last repeats); overrides `mode`. */
  answers?: Record<string, unknown>[];
}

/** A running fake. */
export interface FakeAnthropic {
  url: string;
  /** Parsed request bodies, in order. */
  requests: Record<string, unknown>[];
  /** Shape problems found in requests (also returned to the client as HTTP 400). */
  problems: string[];
  close(): Promise<void>;
}

const GARBAGE_INPUT = { runtime: "banana", command: 42, args: "not-a-list" };

function message(model: string, input: unknown, id: string) {
  return {
    id: `msg_fake_${id}`,
    type: "message",
    role: "assistant",
    model,
    content: [{ type: "tool_use", id: `toolu_fake_${id}`, name: "submit_plan", input }],
    stop_reason: "tool_use",
    stop_sequence: null,
    usage: { input_tokens: 100, output_tokens: 50 },
  };
}

/**
 * Start the fake on a random port; point `settings.anthropicBaseUrl` at `url`.
 * @param opts answer mode and request expectations
 */
export function startFakeAnthropic(opts: FakeAnthropicOptions = {}): FakeAnthropic {
  const requests: Record<string, unknown>[] = [];
  const problems: string[] = [];
  const recorded = JSON.parse(
    Deno.readTextFileSync(
      new URL(`./anthropic_responses/${opts.recorded ?? "brave_search.json"}`, import.meta.url),
    ),
  );
  const app = new Hono();
  let calls = 0;
  app.post("/v1/messages", async (c) => {
    calls++;
    const raw = await c.req.text();
    const local: string[] = [];
    if (raw.length > (opts.maxBodyBytes ?? 300_000)) {
      local.push(`request body too large: ${raw.length} bytes`);
    }
    if (!c.req.header("x-api-key") && !/^Bearer \S+/.test(c.req.header("authorization") ?? "")) {
      local.push("missing API key (x-api-key or Authorization: Bearer)");
    }
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(raw);
    } catch {
      local.push("body is not JSON");
    }
    requests.push(body);
    if (opts.model && body.model !== opts.model) {
      local.push(`model ${String(body.model)} != ${opts.model}`);
    }
    const choice = body.tool_choice as { type?: string; name?: string } | undefined;
    const tools = body.tools as { name?: string; input_schema?: { type?: string } }[] | undefined;
    if (choice?.type !== "tool" || !choice.name) local.push("tool_choice must force one tool");
    const tool = tools?.find((t) => t.name === choice?.name);
    if (!tool) local.push("forced tool is not declared");
    else if (tool.input_schema?.type !== "object") {
      local.push("tool input_schema must be an object schema");
    }
    const msgs = body.messages as { role: string; content: unknown }[] | undefined;
    const first = msgs?.[0];
    const firstText = typeof first?.content === "string"
      ? first.content
      : JSON.stringify(first?.content ?? "");
    if (first?.role !== "user") local.push("first message must be the user's");
    if (opts.expectInPrompt && !firstText.includes(opts.expectInPrompt)) {
      local.push("README text missing from the prompt");
    }
    if (typeof body.max_tokens !== "number") local.push("max_tokens missing");
    if (local.length) {
      problems.push(...local);
      return c.json({
        type: "error",
        error: { type: "invalid_request_error", message: local.join("; ") },
      }, 400);
    }
    const model = String(body.model);
    if (opts.answers?.length) {
      const input = opts.answers[Math.min(calls, opts.answers.length) - 1];
      return c.json(message(model, input, String(calls)));
    }
    switch (opts.mode ?? "recorded") {
      case "server_error":
        return c.json({ type: "error", error: { type: "api_error", message: "overloaded" } }, 500);
      case "garbage_twice":
        return c.json(message(model, GARBAGE_INPUT, String(calls)));
      case "garbage_once":
        return c.json(
          calls === 1 ? message(model, GARBAGE_INPUT, String(calls)) : { ...recorded, model },
        );
      default:
        return c.json({ ...recorded, model });
    }
  });
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, app.fetch);
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    problems,
    close: () => server.shutdown(),
  };
}
