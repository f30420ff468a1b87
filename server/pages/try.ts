/**
 * @module Try-it through the router: one admin upstream session (`servers` exposure) linked to
 * an SDK `Client` in memory, so a tool call from the UI takes the same path as a client's —
 * catalog lookup, container launch, audit. The client declares elicitation and sampling: what a
 * server asks while a call runs waits in the call's record for the admin to answer. Every call,
 * resource read and prompt get is a {@link CallRecord} with its progress and raw messages.
 */
import { Client, InMemoryTransport, type RequestOptions } from "@modelcontextprotocol/client";
import type { SessionHub } from "../mcp/hub.ts";
import type { UpstreamSession } from "../mcp/contracts.ts";
import { wrapUri } from "../mcp/names.ts";
import type { ServerRecord } from "../schemas/server.ts";
import type { ToolResultView } from "../../views/types.ts";
import { VERSION } from "../version.ts";
import { createLogger } from "../../runtime/foundation/log.ts";
import { uiErrorMessage } from "./ui_errors.ts";
import { CallTap, UI_CALL_META } from "./call_tap.ts";
import { CallJobs, type CallKind, type CallRecord } from "./call_jobs.ts";
import { promptView, type RawResult, resourceView, resultView } from "./result_view.ts";

export { resultView } from "./result_view.ts";

const logger = createLogger("ui.try");

interface Linked {
  session: UpstreamSession;
  client: Client;
}

/** What the UI's client declares: it can answer form elicitations and sampling (by a human). */
const UI_CLIENT_CAPABILITIES = { elicitation: { form: {} }, sampling: {} };

/** Calls tools, reads resources and gets prompts of stored servers through one admin session. */
export class AdminToolCaller {
  #linked: Promise<Linked> | null = null;
  /** The UI calls of this process (progress, pending answers, history). */
  readonly jobs = new CallJobs();
  readonly #tap = new CallTap((id, tapped) => this.jobs.record(id, tapped));

  /**
   * @param hub the session hub (its catalog and downstream pool are the router's)
   * @param options `timeoutMs` per call (default 10 minutes: first launches build images)
   */
  constructor(
    private readonly hub: SessionHub,
    private readonly options: { timeoutMs?: number } = {},
  ) {}

  #link(): Promise<Linked> {
    this.#linked ??= (async () => {
      const session = this.hub.open({ actor: "admin", expose: "servers" });
      const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
      await session.server.connect(serverSide);
      this.#tap.attach(serverSide);
      const client = new Client(
        { name: "mcp-router-admin-ui", version: VERSION },
        { capabilities: UI_CLIENT_CAPABILITIES },
      );
      client.setRequestHandler(
        "elicitation/create",
        (r, ctx) => this.#ask("elicitation", r.params, ctx.mcpReq.id, ctx.mcpReq.signal) as never,
      );
      client.setRequestHandler(
        "sampling/createMessage",
        (r, ctx) => this.#ask("sampling", r.params, ctx.mcpReq.id, ctx.mcpReq.signal) as never,
      );
      await client.connect(clientSide);
      client.onclose = () => {
        this.#linked = null;
      };
      return { session, client };
    })().catch((error) => {
      this.#linked = null;
      throw error;
    });
    return this.#linked;
  }

  /** A router→UI request: filed under the call it came in, answered when the admin does. */
  #ask(
    kind: "elicitation" | "sampling",
    params: unknown,
    requestId: string | number,
    signal: AbortSignal,
  ): Promise<Record<string, unknown>> {
    const callId = this.#tap.callOfServerRequest(requestId) ?? this.jobs.latestRunning()?.id;
    if (!callId) {
      if (kind === "elicitation") return Promise.resolve({ action: "cancel" });
      return Promise.reject(new Error("no Try-it call is waiting for a sampling answer"));
    }
    return this.jobs.ask(callId, kind, (params ?? {}) as Record<string, unknown>, signal);
  }

  /** Per-request options: a long timeout, reset by progress (asking for progress at all). */
  #requestOptions(): RequestOptions {
    const timeout = this.options.timeoutMs ?? 600_000;
    return {
      timeout,
      maxTotalTimeout: timeout,
      resetTimeoutOnProgress: true,
      onprogress: () => {}, // the tap files the notifications under the call
    };
  }

  /** Run `send` as UI call `record` in the background; its outcome lands in the record. */
  #run(
    record: CallRecord,
    send: (client: Client, meta: Record<string, unknown>) => Promise<ToolResultView>,
  ): CallRecord {
    const meta = { [UI_CALL_META]: record.id };
    (async () => {
      try {
        const { client } = await this.#link();
        const view = await send(client, meta);
        this.jobs.finish(
          record.id,
          { ...view, durationMs: Date.now() - record.startedAt },
          !view.isError,
        );
      } catch (error) {
        logger.info("try-it request failed", { kind: record.kind, target: record.label, error });
        this.jobs.finish(
          record.id,
          {
            tool: record.label,
            kind: record.kind,
            isError: true,
            blocks: [],
            error: uiErrorMessage(error),
            durationMs: Date.now() - record.startedAt,
          } satisfies ToolResultView,
          false,
        );
      }
    })();
    return record;
  }

  /** A call that could not be sent (server not exposed), recorded as failed. */
  #refused(server: ServerRecord, kind: CallKind, label: string, why: string): CallRecord {
    const record = this.jobs.open(server.id, kind, label);
    this.jobs.finish(
      record.id,
      { tool: label, kind, isError: true, blocks: [], error: why },
      false,
    );
    return record;
  }

  #notExposed(server: ServerRecord): string {
    return server.active
      ? `the router does not expose ${server.name} right now`
      : `${server.name} is inactive: activate it to use it through the router`;
  }

  /**
   * Start calling `tool` of `server` through the router.
   * @returns the call's record (poll it; it may wait for an elicitation or sampling answer)
   */
  async callTool(
    server: ServerRecord,
    tool: string,
    args: Record<string, unknown>,
  ): Promise<CallRecord> {
    // Names depend on every server (clashes are disambiguated), so resolve on the full catalog.
    const full = await this.hub.catalog("servers");
    const exposed = full.tools.find((t) =>
      t.target.kind !== "builtin" && t.target.server.id === server.id &&
      (t.target.kind === "server" || t.target.tool === tool)
    );
    if (!exposed) return this.#refused(server, "tool", tool, this.#notExposed(server));
    const params = exposed.target.kind === "server"
      ? { name: exposed.tool.name, arguments: { tool, arguments: args } }
      : { name: exposed.tool.name, arguments: args };
    const record = this.jobs.open(server.id, "tool", tool);
    return this.#run(record, async (client, meta) => {
      const result = await client.callTool(
        { ...params, _meta: meta },
        this.#requestOptions(),
      ) as RawResult;
      return resultView(tool, result);
    });
  }

  /**
   * Start reading resource `uri` (the server's own URI) of `server` through the router.
   * @returns the read's record
   */
  async readResource(server: ServerRecord, uri: string): Promise<CallRecord> {
    const full = await this.hub.catalog("servers");
    if (!full.serverByName.has(server.name)) {
      return this.#refused(server, "resource", uri, this.#notExposed(server));
    }
    const routed = server.namespace === "none" ? uri : wrapUri(server.name, uri);
    const record = this.jobs.open(server.id, "resource", uri);
    return this.#run(record, async (client, meta) => {
      const result = await client.readResource(
        { uri: routed, _meta: meta },
        this.#requestOptions(),
      );
      return resourceView(uri, result);
    });
  }

  /**
   * Start getting prompt `name` (the server's own name) of `server` with `args`.
   * @returns the get's record
   */
  async getPrompt(
    server: ServerRecord,
    name: string,
    args: Record<string, string>,
  ): Promise<CallRecord> {
    const full = await this.hub.catalog("servers");
    const exposed = full.prompts.find((p) => p.server.id === server.id && p.original === name);
    if (!exposed) return this.#refused(server, "prompt", name, this.#notExposed(server));
    const record = this.jobs.open(server.id, "prompt", name);
    return this.#run(record, async (client, meta) => {
      const result = await client.getPrompt(
        { name: exposed.prompt.name, arguments: args, _meta: meta },
        this.#requestOptions(),
      );
      return promptView(name, result);
    });
  }

  /** End the admin session. */
  async close(): Promise<void> {
    const linked = await this.#linked?.catch(() => null);
    this.#linked = null;
    if (!linked) return;
    await linked.client.close().catch(() => {});
    await this.hub.close(linked.session.sessionId).catch(() => {});
  }
}
