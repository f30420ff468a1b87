/**
 * @module Try-it through the router: one admin upstream session (`servers` exposure) linked to
 * an SDK `Client` in memory, so a tool call from the UI takes the same path as a client's —
 * catalog lookup, container launch, audit.
 */
import { Client, InMemoryTransport } from "@modelcontextprotocol/client";
import type { SessionHub } from "../mcp/hub.ts";
import type { UpstreamSession } from "../mcp/contracts.ts";
import type { ServerRecord } from "../schemas/server.ts";
import type { ResultBlock, ToolResultView } from "../../views/types.ts";
import { VERSION } from "../version.ts";
import { createLogger } from "../../runtime/foundation/log.ts";
import { errorMessage } from "../errors.ts";

const logger = createLogger("ui.try");

/** A tool result as the SDK returns it (loosely typed; rendered defensively). */
type RawResult = {
  content?: unknown;
  structuredContent?: unknown;
  isError?: unknown;
};

interface Linked {
  session: UpstreamSession;
  client: Client;
}

/** Calls tools of stored servers through one admin session of the router. */
export class AdminToolCaller {
  #linked: Promise<Linked> | null = null;

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
      const client = new Client({ name: "mcp-router-admin-ui", version: VERSION });
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

  /**
   * Call `tool` of `server` through the router.
   * @returns the rendered result (call failures become `error`)
   */
  async call(
    server: ServerRecord,
    tool: string,
    args: Record<string, unknown>,
  ): Promise<ToolResultView> {
    const started = performance.now();
    // Names depend on every server (clashes are disambiguated), so resolve on the full catalog.
    const full = await this.hub.catalog("servers");
    const exposed = full.tools.find((t) =>
      t.target.kind !== "builtin" && t.target.server.id === server.id &&
      (t.target.kind === "server" || t.target.tool === tool)
    );
    if (!exposed) {
      return {
        tool,
        isError: true,
        blocks: [],
        error: server.active
          ? `the router does not expose ${server.name} right now`
          : `${server.name} is inactive: activate it to call its tools through the router`,
      };
    }
    const params = exposed.target.kind === "server"
      ? { name: exposed.tool.name, arguments: { tool, arguments: args } }
      : { name: exposed.tool.name, arguments: args };
    try {
      const { client } = await this.#link();
      const timeout = this.options.timeoutMs ?? 600_000;
      const result = await client.callTool(params, {
        timeout,
        maxTotalTimeout: timeout,
        resetTimeoutOnProgress: true,
      }) as RawResult;
      return { ...resultView(tool, result), durationMs: Math.round(performance.now() - started) };
    } catch (error) {
      logger.info("try-it call failed", { server: server.name, tool, error });
      return {
        tool,
        isError: true,
        blocks: [],
        error: errorMessage(error),
        durationMs: Math.round(performance.now() - started),
      };
    }
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

const MIME = /^[a-z]+\/[a-z0-9.+-]+$/i;
const BASE64 = /^[A-Za-z0-9+/=\s]*$/;

function record(v: unknown): Record<string, unknown> {
  return v && typeof v === "object" && !Array.isArray(v) ? v as Record<string, unknown> : {};
}

/** Turn a `CallToolResult` into blocks the view can render safely. */
export function resultView(tool: string, result: RawResult): ToolResultView {
  const content = Array.isArray(result.content) ? result.content : [];
  const blocks: ResultBlock[] = content.map((raw): ResultBlock => {
    const b = record(raw);
    const mimeType = typeof b.mimeType === "string" ? b.mimeType : "";
    const data = typeof b.data === "string" ? b.data : "";
    if (b.type === "text" && typeof b.text === "string") return { type: "text", text: b.text };
    if (
      (b.type === "image" || b.type === "audio") && MIME.test(mimeType) && BASE64.test(data) &&
      mimeType.startsWith(`${b.type}/`)
    ) {
      return {
        type: b.type,
        mimeType,
        src: `data:${mimeType};base64,${data.replace(/\s+/g, "")}`,
      };
    }
    if (b.type === "resource") {
      const res = record(b.resource);
      return {
        type: "resource",
        uri: String(res.uri ?? ""),
        text: typeof res.text === "string" ? res.text : undefined,
      };
    }
    if (b.type === "resource_link") return { type: "resource", uri: String(b.uri ?? "") };
    return { type: "other", json: JSON.stringify(raw, null, 2) };
  });
  return {
    tool,
    isError: result.isError === true,
    blocks,
    structured: result.structuredContent !== undefined
      ? JSON.stringify(result.structuredContent, null, 2)
      : undefined,
  };
}
