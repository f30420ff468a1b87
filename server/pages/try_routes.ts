/**
 * @module Try-it routes of the server page: tool calls (checked against the tool's input
 * schema first — nothing is sent when a field is wrong), polling a running call, answering an
 * elicitation or sampling request, reading resources, getting prompts, and the capability tabs.
 * Each works as a plain form post (the page comes back once the call is done or waits for an
 * answer) and with htmx (fragments; running calls are polled for live progress).
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import { ProtocolError, UriTemplate } from "@modelcontextprotocol/client";
import { Fragment, h, type VNode } from "preact";
import type { AppEnv } from "../app/app_env.ts";
import { AppError } from "../errors.ts";
import type { VersionedServer } from "../schemas/records.ts";
import { renderFragment } from "../../views/render.ts";
import type { ServerPageProps } from "../../views/pages/ServerPage.tsx";
import { ToolResult } from "../../views/partials/ToolResult.tsx";
import { TryItForm } from "../../views/partials/ToolCard.tsx";
import { CallPanel } from "../../views/partials/CallPanel.tsx";
import { CapabilityTabs } from "../../views/partials/CapabilityTabs.tsx";
import { capabilityCounts, CapabilityPanel } from "../../views/partials/CapabilityPanel.tsx";
import { templateVariables } from "../../views/partials/ResourcesPanel.tsx";
import { promptArguments } from "../../views/partials/PromptsPanel.tsx";
import type { FieldErrors, InputView, ToolResultView } from "../../views/types.ts";
import { errorPage, field, type PageContext, type PagesContext, readForm } from "./common.ts";
import { parseToolArgs } from "./forms.ts";
import type { CallRecord, PendingInput } from "./call_jobs.ts";
import { callView } from "./result_view.ts";
import { renderServerPage, tabOf } from "./server_page.ts";

/** How long an htmx request waits for a call to finish before answering with "running". */
const HTMX_WAIT_MS = 1_500;
/** How long a plain form post waits (the call's own timeout ends it sooner). */
const NOJS_WAIT_MS = 15 * 60_000;

type Handler = (c: PageContext, server: VersionedServer) => Promise<Response> | Response;

/** Wraps a handler so it gets the server named by `:id` (or a 404 page). */
export type WithServer = (handler: Handler) => (c: PageContext) => Promise<Response>;

const NO_HUB = "Try-it needs the router's MCP session hub, which this app was built without";

function failed(label: string, error: string, kind?: ToolResultView["kind"]): ToolResultView {
  return { tool: label, kind, isError: true, blocks: [], error };
}

/** "Nothing was sent: a: required; b: must be a number". */
function refusal(errors: FieldErrors): string {
  const list = Object.entries(errors).map(([k, v]) =>
    k === "_form" ? v : `${k.replace(/^arg\./, "")}: ${v}`
  );
  return `Nothing was sent: ${list.join("; ")}`;
}

/** Mount the Try-it routes under `/servers/:id`. */
export function mountTryPages(
  app: OpenAPIHono<AppEnv>,
  ctx: PagesContext,
  withServer: WithServer,
): void {
  const htmx = (c: PageContext) => c.req.header("hx-request") === "true";
  const fragment = (c: PageContext, node: VNode) =>
    renderFragment(node, { csrfToken: c.var.csrf?.token });
  const page = (
    c: PageContext,
    server: VersionedServer,
    extra: Partial<ServerPageProps> & { status?: number },
  ) => renderServerPage(ctx, c, server, extra);

  /** The page showing `record` where it was made (its tab, its card open). */
  const pageOf = (
    c: PageContext,
    server: VersionedServer,
    record: CallRecord,
    typed?: Pick<InputView, "values" | "errors">,
  ) => {
    const call = callView(record, typed);
    if (record.kind === "resource") return page(c, server, { tab: "resources", read: { call } });
    if (record.kind === "prompt") {
      return page(c, server, {
        tab: "prompts",
        get: { name: record.label, values: record.values ?? {}, errors: {}, call },
      });
    }
    return page(c, server, {
      tab: "tools",
      tryIt: { tool: record.label, values: record.values ?? {}, errors: {}, call },
    });
  };

  /** Answer with the call as it stands once settled (briefly for htmx, else its page). */
  const settledCall = async (c: PageContext, server: VersionedServer, record: CallRecord) => {
    const settled = await ctx.caller!.jobs.settled(
      record.id,
      htmx(c) ? HTMX_WAIT_MS : NOJS_WAIT_MS,
    ) ?? record;
    if (htmx(c)) return fragment(c, CallPanel({ call: callView(settled) }));
    return await pageOf(c, server, settled);
  };

  const callOf = (c: PageContext, server: VersionedServer): CallRecord | null => {
    const record = ctx.caller?.jobs.get(c.req.param("call") ?? "");
    return record && record.serverId === server.id ? record : null;
  };
  const gone = (c: PageContext) =>
    errorPage(
      c,
      new AppError(
        "not_found",
        404,
        "This call is no longer known (the router restarted, or it is older than the history).",
      ),
    );

  app.post(
    "/servers/:id/tools/:tool/call",
    withServer(async (c, server) => {
      const toolName = c.req.param("tool")!;
      const tools = server.capabilities?.tools ?? [];
      const index = tools.findIndex((t) => t.name === toolName);
      if (index < 0) {
        return errorPage(c, new AppError("not_found", 404, `tool '${toolName}' not found`));
      }
      const tool = tools[index];
      const { args, values, errors } = parseToolArgs(tool.inputSchema, await readForm(c));
      if (Object.keys(errors).length) {
        if (!htmx(c)) {
          return await page(c, server, { tryIt: { tool: toolName, values, errors }, status: 400 });
        }
        return fragment(
          c,
          h(
            Fragment,
            null,
            ToolResult({ result: failed(toolName, refusal(errors)) }),
            TryItForm({ serverId: server.id, tool, index, values, errors, oob: true }),
          ),
        );
      }
      if (!ctx.caller) {
        const result = failed(toolName, NO_HUB);
        if (htmx(c)) return fragment(c, ToolResult({ result }));
        return await page(c, server, { tryIt: { tool: toolName, values, errors, result } });
      }
      // The router's session audits the call itself (actor `admin`).
      const record = await ctx.caller.callTool(server, toolName, args);
      record.values = sentValues(values);
      return await settledCall(c, server, record);
    }),
  );

  app.get(
    "/servers/:id/calls/:call",
    withServer(async (c, server) => {
      const record = callOf(c, server);
      if (!record) return gone(c);
      if (htmx(c)) return fragment(c, CallPanel({ call: callView(record) }));
      return await pageOf(c, server, record);
    }),
  );

  app.post(
    "/servers/:id/calls/:call/answer",
    withServer(async (c, server) => {
      const record = callOf(c, server);
      if (!record) return gone(c);
      const form = await readForm(c);
      const input = record.inputs.find((i) => i.key === field(form, "key"));
      // Already answered (a second click) or given up: show where the call is.
      if (!input) return await settledCall(c, server, record);
      const typed = answer(input, form);
      if (!typed) return await settledCall(c, server, record);
      if (htmx(c)) return fragment(c, CallPanel({ call: callView(record, typed) }));
      return await pageOf(c, server, record, typed);
    }),
  );

  app.post(
    "/servers/:id/resources/read",
    withServer(async (c, server) => {
      const form = await readForm(c);
      const template = field(form, "template");
      let uri = field(form, "uri");
      const values: Record<string, string> = {};
      const errors: FieldErrors = {};
      if (template) {
        for (const v of templateVariables(template)) {
          values[`arg.${v}`] = field(form, `arg.${v}`);
          if (values[`arg.${v}`].trim() === "") errors[`arg.${v}`] = "required";
        }
        if (!Object.keys(errors).length) {
          try {
            uri = new UriTemplate(template).expand(
              Object.fromEntries(
                templateVariables(template).map((v) => [v, values[`arg.${v}`]]),
              ),
            );
          } catch (error) {
            errors._form = `cannot fill the template: ${(error as Error).message}`;
          }
        }
      } else if (!uri) errors._form = "no resource URI given";
      if (Object.keys(errors).length) {
        const result = failed(template || uri, refusal(errors), "resource");
        if (htmx(c)) return fragment(c, ToolResult({ result }));
        return await page(c, server, {
          tab: "resources",
          read: { template, values, errors },
          status: 400,
        });
      }
      if (!ctx.caller) {
        const result = failed(uri, NO_HUB, "resource");
        if (htmx(c)) return fragment(c, ToolResult({ result }));
        return await page(c, server, { tab: "resources", status: 503 });
      }
      return await settledCall(c, server, await ctx.caller.readResource(server, uri));
    }),
  );

  app.post(
    "/servers/:id/prompts/:name/get",
    withServer(async (c, server) => {
      const name = c.req.param("name")!;
      const prompt = server.capabilities?.prompts.find((p) => p.name === name);
      if (!prompt) {
        return errorPage(c, new AppError("not_found", 404, `prompt '${name}' not found`));
      }
      const form = await readForm(c);
      const values: Record<string, string> = {};
      const errors: FieldErrors = {};
      const args: Record<string, string> = {};
      for (const a of promptArguments(prompt)) {
        const value = field(form, `arg.${a.name}`);
        values[`arg.${a.name}`] = value;
        if (value !== "") args[a.name] = value;
        else if (a.required) errors[`arg.${a.name}`] = "required";
      }
      if (Object.keys(errors).length || !ctx.caller) {
        const result = failed(name, ctx.caller ? refusal(errors) : NO_HUB, "prompt");
        if (htmx(c)) return fragment(c, ToolResult({ result }));
        return await page(c, server, {
          tab: "prompts",
          get: { name, values, errors },
          status: ctx.caller ? 400 : 503,
        });
      }
      const record = await ctx.caller.getPrompt(server, name, args);
      record.values = sentValues(values);
      return await settledCall(c, server, record);
    }),
  );

  app.get(
    "/servers/:id/panel/:tab",
    withServer((c, server) => {
      const tab = tabOf(c.req.param("tab"));
      const id = encodeURIComponent(server.id);
      if (!htmx(c)) {
        return new Response(null, {
          status: 303,
          headers: { location: `/servers/${id}?tab=${tab}#tools` },
        });
      }
      const history = ctx.caller?.jobs.history(server.id).map((call) => callView(call)) ?? [];
      return fragment(
        c,
        h(
          Fragment,
          null,
          CapabilityPanel({ server, tab, history }),
          CapabilityTabs({
            serverId: server.id,
            current: tab,
            counts: capabilityCounts(server, history.length),
            oob: true,
          }),
        ),
      );
    }),
  );
}

/** The argument fields of a submitted form (what is shown again with the call). */
function sentValues(values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter(([k]) => k.startsWith("arg.") || k === "_json"),
  );
}

/**
 * Answer `input` from the submitted form.
 * @returns the typed values and errors when the answer is refused (nothing was sent), else null
 */
function answer(input: PendingInput, form: FormData): Pick<InputView, "values" | "errors"> | null {
  const action = field(form, "action");
  if (input.kind === "elicitation") {
    if (action === "decline" || action === "cancel") {
      input.answer({ action });
      return null;
    }
    const schema = input.params.requestedSchema;
    const { args, values, errors } = parseToolArgs(
      schema && typeof schema === "object" ? schema as Record<string, unknown> : {},
      form,
    );
    if (Object.keys(errors).length) return { values, errors };
    input.answer({ action: "accept", content: args });
    return null;
  }
  if (action === "decline") {
    input.refuse(new ProtocolError(-1, "The admin declined the sampling request"));
    return null;
  }
  const reply = field(form, "reply");
  if (reply.trim() === "") return { values: { reply }, errors: { reply: "required" } };
  input.answer({
    role: "assistant",
    content: { type: "text", text: reply },
    model: "human (MCP Router admin UI)",
    stopReason: "endTurn",
  });
  return null;
}
