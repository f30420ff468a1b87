/**
 * Try-it views and their helpers: what servers send (resource names, prompt arguments, an
 * elicitation's message and schema, sampling messages, raw JSON) renders escaped; schema fields
 * follow the schema (titled enums, multi-selects, formats, `required`); form input is checked
 * against the schema with one message per field.
 */
import assert from "node:assert/strict";
import { renderToString } from "preact-render-to-string";
import { ServerRecordSchema } from "../../server/schemas/server.ts";
import { ResourcesPanel, templateVariables } from "../../views/partials/ResourcesPanel.tsx";
import { PromptsPanel } from "../../views/partials/PromptsPanel.tsx";
import { HistoryPanel } from "../../views/partials/HistoryPanel.tsx";
import { CallPanel } from "../../views/partials/CallPanel.tsx";
import { SchemaFields } from "../../views/components/SchemaFields.tsx";
import { checkAgainstSchema } from "../../server/pages/schema_check.ts";
import { parseToolArgs } from "../../server/pages/forms.ts";
import type { CallView } from "../../views/types.ts";

const XSS = `<script>alert(1)</script>`;
const ATTR = `"><img src=x onerror=alert(1)>`;

function assertInert(html: string, where: string): void {
  assert.ok(!html.includes("<script>alert"), `${where}: raw <script>alert`);
  assert.ok(!html.includes("<img src=x"), `${where}: raw injected <img>`);
  assert.ok(!/<[^>]+\sonerror=/i.test(html), `${where}: event handler attribute`);
}

const server = ServerRecordSchema.parse({
  id: "srv-1",
  name: "evil",
  display_name: "Evil",
  description: "",
  source: { kind: "npx", ref: "evil" },
  runtime: "npx",
  command: "npx",
  args: [],
  capabilities: {
    tools: [],
    resources: [{ uri: `file:///${ATTR}`, name: XSS, description: XSS, mimeType: XSS }],
    resource_templates: [{ uriTemplate: `x://{id${ATTR}}/{+path}`, name: XSS }],
    prompts: [{
      name: `p${ATTR}`,
      description: XSS,
      arguments: [{ name: `a${ATTR}`, required: true }],
    }],
    fetched_at: "2025-01-01T00:00:00Z",
  },
  created_at: "2025-01-01T00:00:00Z",
  updated_at: "2025-01-01T00:00:00Z",
});

const call = (over: Partial<CallView>): CallView => ({
  id: "c-1",
  serverId: "srv-1",
  kind: "tool",
  label: XSS,
  state: "running",
  startedAt: "2025-01-01T00:00:00.000Z",
  elapsedMs: 1200,
  raw: [{ direction: "sent", json: JSON.stringify({ x: XSS }) }],
  ...over,
});

Deno.test("Try views - panels, input forms and raw JSON escape what servers send", () => {
  const pieces = {
    resources: renderToString(ResourcesPanel({ server })),
    prompts: renderToString(PromptsPanel({ server })),
    elicitation: renderToString(CallPanel({
      call: call({
        state: "input",
        input: {
          key: "k".repeat(36),
          kind: "elicitation",
          message: XSS,
          schema: {
            type: "object",
            properties: { [`f${ATTR}`]: { type: "string", title: XSS, description: XSS } },
          },
        },
      }),
    })),
    sampling: renderToString(CallPanel({
      call: call({
        state: "input",
        input: {
          key: "k".repeat(36),
          kind: "sampling",
          messages: [{ role: XSS, text: XSS }],
          systemPrompt: XSS,
        },
      }),
    })),
    history: renderToString(HistoryPanel({
      calls: [call({
        state: "done",
        ok: true,
        result: { tool: XSS, isError: false, blocks: [{ type: "text", text: XSS, role: XSS }] },
      })],
    })),
  };
  for (const [where, html] of Object.entries(pieces)) assertInert(html, where);
  assert.match(pieces.resources, /name="arg\.path"/);
  assert.match(pieces.prompts, /required/);
  // A running call polls itself and has a no-JS refresh link; progress shows as a bar.
  const running = renderToString(CallPanel({
    call: call({ progress: { progress: 2, total: 4, message: XSS } }),
  }));
  assertInert(running, "running");
  assert.match(running, /hx-trigger="load delay:500ms"/);
  assert.match(running, /<progress value="2" max="4"/);
  assert.match(running, /data-nojs-only/);
});

Deno.test("Try views - schema fields: titled enums, multi-selects, formats, required", () => {
  const schema = {
    type: "object",
    properties: {
      hero: { type: "string", oneOf: [{ const: "h1", title: "Superman" }] },
      pet: { type: "string", enum: ["p1", "p2"], enumNames: ["Cats", "Dogs"], default: "p2" },
      fish: {
        type: "array",
        items: { anyOf: [{ const: "f1", title: "Tuna" }, { const: "f2", title: "Salmon" }] },
        default: ["f2"],
      },
      email: { type: "string", format: "email" },
      day: { type: "string", format: "date" },
    },
    required: ["email"],
  };
  const html = renderToString(SchemaFields({ schema, idPrefix: "x" }));
  assert.match(html, /Superman \(h1\)/);
  assert.match(html, /<option value="1" selected>Dogs \(p2\)<\/option>/);
  assert.match(html, /type="checkbox" name="arg\.fish" value="1" checked/);
  assert.match(html, /type="email"[^>]*required|required[^>]*type="email"/);
  assert.match(html, /type="date"/);

  const form = new FormData();
  form.append("arg.hero", "0");
  form.append("arg.pet", "0");
  form.append("arg.fish", "0");
  form.append("arg.fish", "1");
  form.append("arg.email", "not-an-email");
  const parsed = parseToolArgs(schema, form);
  assert.deepEqual(parsed.errors, { "arg.email": 'must match format "email"' });
  form.set("arg.email", "a@b.org");
  const ok = parseToolArgs(schema, form);
  assert.deepEqual(ok.errors, {});
  assert.deepEqual(ok.args, { hero: "h1", pet: "p1", fish: ["f1", "f2"], email: "a@b.org" });
});

Deno.test("Try views - the schema check names each field; unreadable schemas pass", () => {
  const schema = {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    type: "object",
    properties: { n: { type: "integer", minimum: 1 }, s: { type: "string" } },
    required: ["s"],
  };
  assert.deepEqual(checkAgainstSchema(schema, { n: 0 }), {
    "arg.n": "must be >= 1",
    "arg.s": "required",
  });
  assert.deepEqual(checkAgainstSchema(schema, { n: 2, s: "" }), {});
  assert.deepEqual(
    checkAgainstSchema({ type: "object", properties: { a: { $ref: "#/nope" } } }, {
      a: 1,
    }),
    {},
  );
  assert.deepEqual(templateVariables("x://{id}/{+path}{?q,page}"), ["id", "path", "q", "page"]);
});
