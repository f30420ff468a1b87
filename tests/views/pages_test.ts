/**
 * Admin UI views: every page rendered with hostile data (server names, README-derived
 * descriptions, tool and env descriptions holding `<script>`) stays inert; plus render sanity.
 */
import assert from "node:assert/strict";
import { renderDocument } from "../../views/render.ts";
import { ServersPage } from "../../views/pages/ServersPage.tsx";
import { NewServerPage } from "../../views/pages/NewServerPage.tsx";
import { AnalysisPage } from "../../views/pages/AnalysisPage.tsx";
import { ServerPage } from "../../views/pages/ServerPage.tsx";
import { ConnectPage } from "../../views/pages/ConnectPage.tsx";
import { ActivityPage } from "../../views/pages/ActivityPage.tsx";
import { DeletePage } from "../../views/pages/DeletePage.tsx";
import { MessagePage } from "../../views/pages/MessagePage.tsx";
import { ToolResult } from "../../views/partials/ToolResult.tsx";
import { TestResult } from "../../views/partials/TestResult.tsx";
import { renderToString } from "preact-render-to-string";
import { planToFormValues } from "../../server/pages/forms.ts";
import { type ServerRecord, ServerRecordSchema } from "../../server/schemas/server.ts";
import type { RuntimeStatus } from "../../server/composition/contracts.ts";
import type { VersionedServer } from "../../server/schemas/records.ts";

const XSS = `<script>alert(1)</script>`;
const ATTR = `"><img src=x onerror=alert(1)>`;

function assertInert(html: string, where: string): void {
  assert.ok(!html.includes("<script>alert"), `${where}: raw <script>alert`);
  assert.ok(!html.includes("<img src=x"), `${where}: raw injected <img>`);
  assert.ok(!/<[^>]+\sonerror=/i.test(html), `${where}: event handler attribute`);
}

const runtime: RuntimeStatus = {
  ok: false,
  reason: `podman socket missing ${XSS}`,
  version: null,
  limits: "unsupported: no container runtime",
  limitsInForce: [],
  images: {},
  installHint: `apt-get install podman ${XSS}`,
};

function hostileServer(): VersionedServer {
  const record: ServerRecord = ServerRecordSchema.parse({
    id: "srv-1",
    name: "evil",
    display_name: XSS,
    description: `README says ${XSS} ${ATTR}`,
    source: { kind: "github", ref: `https://github.com/x/y${ATTR}` },
    runtime: "npx",
    command: "npx",
    args: ["-y", XSS],
    env: [{ key: "API_KEY", description: XSS, required: true, secret: true, default: undefined }],
    capabilities: {
      tools: [{
        name: `tool${ATTR}`,
        title: XSS,
        description: `does ${XSS}`,
        inputSchema: {
          type: "object",
          properties: {
            [`q${ATTR}`]: { type: "string", description: XSS, default: XSS },
            mode: { enum: [XSS, "b"] },
            n: { type: "integer" },
            flag: { type: "boolean" },
            obj: { type: "object", description: XSS },
          },
          required: ["n"],
        },
      }],
      server_info: { name: XSS, version: "1.0.0" },
      instructions: `Use it ${XSS}`,
      fetched_at: "2025-01-01T00:00:00Z",
    },
    health: { ok: false, checked_at: "2025-01-01T00:00:00Z", error: XSS },
    created_at: "2025-01-01T00:00:00Z",
    updated_at: "2025-01-01T00:00:00Z",
  });
  return { ...record, version: "v1" };
}

Deno.test("Views - servers page escapes names, descriptions and runtime reasons", () => {
  const html = renderDocument(ServersPage({ servers: [hostileServer()], runtime }), {
    title: XSS,
    nav: "servers",
  });
  assertInert(html, "servers");
  assert.ok(html.includes("&lt;script>alert(1)&lt;/script>") || html.includes("&lt;script&gt;"));
  assert.match(html, /role="switch"/);
  assert.match(html, /Container runtime degraded/);
});

Deno.test("Views - empty servers page explains the three ways to add one", () => {
  const html = renderDocument(ServersPage({ servers: [], runtime: { ...runtime, ok: true } }), {
    title: "Servers",
  });
  for (const hint of ["GitHub", "npx:", "uvx:", "image:", "remote MCP URL"]) {
    assert.ok(html.includes(hint), hint);
  }
});

Deno.test("Views - add and analysis pages escape source, warnings and plan fields", () => {
  const newHtml = renderDocument(NewServerPage({ source: XSS, error: XSS, verify: true }), {
    title: "Add",
  });
  assertInert(newHtml, "new");
  const values = planToFormValues(hostileServer());
  const html = renderDocument(
    AnalysisPage({
      job: {
        id: "job-1",
        source: XSS,
        status: "done",
        steps: [{ step: "fetching_repo", label: "Fetching", state: "done", detail: XSS }],
        warnings: [XSS],
        detectedTools: [XSS],
        planSource: XSS,
        verification: { ok: false, error: XSS },
      },
      values,
      errors: { name: XSS, "env.0.key": XSS, _form: XSS },
    }),
    { title: "Review" },
  );
  assertInert(html, "analysis");
  // Secret env values are password inputs and never echoed.
  values.env[0].value = "hunter2-secret";
  const again = renderDocument(
    AnalysisPage({
      job: {
        id: "j",
        source: "npx:x",
        status: "done",
        steps: [],
        warnings: [],
        detectedTools: [],
      },
      values,
    }),
    { title: "Review" },
  );
  assert.ok(!again.includes("hunter2-secret"));
  assert.match(again, /name="env\.0\.value" type="password"/);
});

Deno.test("Views - running analysis polls and has a no-JS refresh", () => {
  const html = renderDocument(
    AnalysisPage({
      job: {
        id: "j1",
        source: "https://github.com/a/b",
        status: "running",
        steps: [{ step: "fetching_repo", label: "Fetching repository", state: "active" }],
        warnings: [],
        detectedTools: [],
      },
    }),
    { title: "Analyzing" },
  );
  assert.match(html, /hx-get="\/servers\/new\/j1\/progress"/);
  assert.match(html, /hx-trigger="every 1s"/);
  assert.match(html, /http-equiv="refresh"/);
});

Deno.test("Views - server page escapes tool schema, env descriptions and never shows secrets", () => {
  const server = hostileServer();
  const html = renderDocument(
    ServerPage({
      server,
      env: [{ key: "API_KEY", set: true, secret: true, value: "••••", updated_at: null }],
      runtime,
      values: planToFormValues(server),
      logs: [XSS],
      test: {
        ok: false,
        tools: [],
        resources: 0,
        prompts: 0,
        error: XSS,
        logs: [XSS],
        durationMs: 1,
      },
      tryIt: {
        tool: `tool${ATTR}`,
        values: { [`arg.q${ATTR}`]: XSS, _json: XSS },
        errors: { [`arg.q${ATTR}`]: XSS },
        result: {
          tool: XSS,
          isError: true,
          blocks: [{ type: "text", text: XSS }, { type: "other", json: XSS }],
          structured: XSS,
        },
      },
    }),
    { title: XSS },
  );
  assertInert(html, "server");
  assert.match(html, /Instructions from the server/);
  assert.match(html, /reported by .* 1\.0\.0/);
  assert.match(html, /name="value\.API_KEY" type="password" value=""/);
  assert.match(html, /hx-trigger="every 2s"/);
  assert.match(html, /hx-confirm=/);
  // Busy text is announced (a status region), not hidden from screen readers.
  assert.ok(!/class="busy[^"]*" aria-hidden/.test(html));
  assert.match(html, /<span role="status"><span class="busy/);
  // Try-it controls follow the schema: integer → number, boolean → checkbox, enum → select,
  // object → JSON textarea; required marked.
  assert.match(html, /name="arg\.n"[^>]*type="number"|type="number"[^>]*name="arg\.n"/);
  assert.match(html, /type="checkbox"[^>]*name="arg\.flag"|name="arg\.flag"[^>]*type="checkbox"/);
  assert.match(html, /<select[^>]*name="arg\.mode"/);
  assert.match(html, /<textarea[^>]*name="arg\.obj"/);
});

Deno.test("Views - tool results render text escaped and images as data URLs", () => {
  const html = renderToString(ToolResult({
    result: {
      tool: "t",
      isError: false,
      blocks: [
        { type: "text", text: XSS },
        { type: "image", mimeType: "image/png", src: "data:image/png;base64,iVBORw0KGgo=" },
      ],
      structured: JSON.stringify({ a: XSS }),
    },
  }));
  assertInert(html, "result");
  assert.match(html, /<img class="result-image" src="data:image\/png;base64,iVBORw0KGgo="/);
  const degraded = renderToString(TestResult({
    test: {
      ok: false,
      tools: [],
      resources: 0,
      prompts: 0,
      error: XSS,
      logs: [],
      durationMs: null,
      degraded: true,
    },
  }));
  assertInert(degraded, "degraded");
  assert.match(degraded, /Cannot test right now/);
});

Deno.test("Views - connect, activity, delete and message pages escape their data", () => {
  const connect = renderDocument(
    ConnectPage({
      stdioJson: JSON.stringify({ x: XSS }),
      remoteJson: XSS,
      configPath: XSS,
      mcpUrl: `http://h/${XSS}`,
      expose: "servers",
      keys: [{
        id: XSS,
        name: XSS,
        salt: "s",
        hash: "h",
        prefix: XSS,
        scope: "mcp",
        created_at: "2025-01-01T00:00:00Z",
        last_used_at: null,
        revoked_at: null,
        lookup: null,
      }],
      install: { ok: false, message: XSS },
      createdKey: { name: XSS, key: "mcpr_abc" },
      keyError: XSS,
      keyName: ATTR,
    }),
    { title: "Connect" },
  );
  assertInert(connect, "connect");
  assert.ok(!connect.includes('"hash"') && !connect.includes(">h<"));
  const activity = renderDocument(
    ActivityPage({
      audit: [{
        id: "1",
        at: "2025-01-01T00:00:00Z",
        actor: XSS,
        action: XSS,
        target: XSS,
        outcome: "error",
        details: { x: XSS },
      }],
      sessions: [{
        id: "s",
        client_session: "c",
        server_id: "i",
        server_name: XSS,
        container_id: null,
        started_at: "2025-01-01T00:00:00Z",
        stopped_at: "2025-01-01T00:00:02Z",
        exit_code: null,
        error: XSS,
      }],
      olderAudit: XSS,
      olderSessions: null,
      paged: true,
    }),
    { title: "Activity" },
  );
  assertInert(activity, "activity");
  assert.match(activity, /2\.0 s/);
  assertInert(renderDocument(DeletePage({ id: XSS, name: XSS }), { title: XSS }), "delete");
  assertInert(
    renderDocument(MessagePage({ title: XSS, message: XSS }), { title: XSS, flash: XSS }),
    "message",
  );
});
