/**
 * @module Live tool lists of the servers loaded in one session: what each live server said it
 * offers, with at most one snapshot in flight per server. A list change heard while a snapshot
 * runs asks for exactly one more after it (a server announcing a burst of changes at start-up
 * costs two snapshots, not one per notification), and a change heard while a call to that server
 * is in flight is read once no call is and its audit entry is written (neither the call's reply
 * nor its way back to the client waits behind four lists).
 */
import type { CallToolResult, Tool } from "@modelcontextprotocol/server";
import type { ServerRecord } from "../schemas/server.ts";
import type { LinkedConnection } from "./contracts.ts";
import { toolError } from "./mcp_errors.ts";

/** Takes one snapshot of a live server and returns its tools (it also updates the cache). */
export type ToolSnapshot = (server: ServerRecord, conn: LinkedConnection) => Promise<Tool[]>;

/** Hears of a failed snapshot nobody awaited (taken again after a list change, or after a call). */
export type SnapshotFailure = (server: ServerRecord, error: unknown) => void;

/** One session's live tool lists; see module doc. */
export class LiveToolLists {
  readonly #known: Map<string, Tool[]>;
  readonly #snapshot: ToolSnapshot;
  readonly #onError: SnapshotFailure;
  readonly #inflight = new Map<string, Promise<Tool[]>>();
  readonly #again = new Set<string>();
  /** Calls in flight by server name. */
  readonly #calls = new Map<string, number>();
  /** List changes heard during a call, read when the last call ends. */
  readonly #postponed = new Map<string, { server: ServerRecord; conn: LinkedConnection }>();

  /**
   * @param known the lists by server id (shared by the sessions of one stateless unit)
   * @param snapshot how a list is read from a live server
   * @param onError told of a failed snapshot nobody awaited (default: ignored)
   */
  constructor(
    known: Map<string, Tool[]>,
    snapshot: ToolSnapshot,
    onError: SnapshotFailure = () => {},
  ) {
    this.#known = known;
    this.#snapshot = snapshot;
    this.#onError = onError;
  }

  /** The live tools of a server, if a snapshot of its current connection finished. */
  get(serverId: string): Tool[] | undefined {
    return this.#known.get(serverId);
  }

  /** The live tools of a server: the known list, else that of the snapshot in flight, if any. */
  async settled(serverId: string): Promise<Tool[] | undefined> {
    const known = this.#known.get(serverId);
    if (known) return known;
    return await this.#inflight.get(serverId)?.catch(() => undefined);
  }

  /** Forget a server's list (a new connection, or the server said its tools changed). */
  forget(serverId: string): void {
    this.#known.delete(serverId);
  }

  /** The server's tools: the known list, the snapshot in flight, or a new snapshot. */
  current(server: ServerRecord, conn: LinkedConnection): Promise<Tool[]> {
    const known = this.#known.get(server.id);
    if (known) return Promise.resolve(known);
    return this.#inflight.get(server.id) ?? this.refresh(server, conn);
  }

  /** A list of the server changed: take a snapshot, once no call to it is in flight. */
  changed(server: ServerRecord, conn: LinkedConnection): void {
    if (this.#calls.has(server.name)) this.#postponed.set(server.name, { server, conn });
    else this.refresh(server, conn).catch((error) => this.#onError(server, error));
  }

  /** Run a call to server `serverName`, counted as in flight (see {@linkcode changed}). */
  async during<T>(serverName: string, fn: () => Promise<T>): Promise<T> {
    this.#calls.set(serverName, (this.#calls.get(serverName) ?? 0) + 1);
    try {
      return await fn();
    } finally {
      const left = (this.#calls.get(serverName) ?? 1) - 1;
      if (left > 0) this.#calls.set(serverName, left);
      else this.#calls.delete(serverName);
      const postponed = left > 0 ? undefined : this.#postponed.get(serverName);
      if (postponed) {
        this.#postponed.delete(serverName);
        this.changed(postponed.server, postponed.conn);
      }
    }
  }

  /**
   * Take a snapshot now, or once more after the one in flight (whose result it returns).
   * @returns the tools of the snapshot that answers
   */
  refresh(server: ServerRecord, conn: LinkedConnection): Promise<Tool[]> {
    const running = this.#inflight.get(server.id);
    if (running) {
      this.#again.add(server.id);
      return running;
    }
    const run = (async () => {
      try {
        const tools = await this.#snapshot(server, conn);
        this.#known.set(server.id, tools);
        return tools;
      } finally {
        this.#inflight.delete(server.id);
        if (this.#again.delete(server.id)) {
          this.refresh(server, conn).catch((error) => this.#onError(server, error));
        }
      }
    })();
    this.#inflight.set(server.id, run);
    return run;
  }

  /**
   * Call `tool` of a server exposed as one tool, so a name it lacks gets an error naming the
   * ones it has. A name the cached catalogue knows is sent at once and the live list read after
   * the call (a cold start waits for no snapshot; a failed call whose tool the live list lacks
   * still gets that error); any other name is checked against the live list first.
   * @param send forwards the call
   */
  async call(
    server: ServerRecord,
    conn: LinkedConnection,
    tool: string,
    send: () => Promise<CallToolResult>,
  ): Promise<CallToolResult> {
    const lacks = (tools: Tool[] | null) => tools !== null && !tools.some((t) => t.name === tool);
    const cached = (server.capabilities?.tools ?? []).some((t) => t.name === tool);
    if (this.#known.has(server.id) || !cached) {
      const tools = await this.current(server, conn);
      return lacks(tools) ? noSuchTool(server, tool, tools) : await send();
    }
    let result: CallToolResult;
    try {
      result = await send();
    } catch (error) {
      const tools = await this.current(server, conn).catch(() => null);
      if (lacks(tools)) return noSuchTool(server, tool, tools!);
      throw error;
    }
    // A `call` container goes with this call: its snapshot is taken before it is removed.
    if (!result.isError && server.lifecycle !== "call") {
      if (!this.#known.has(server.id) && !this.#inflight.has(server.id)) {
        this.changed(server, conn);
      }
      return result;
    }
    const tools = await this.current(server, conn).catch(() => null);
    return result.isError && lacks(tools) ? noSuchTool(server, tool, tools!) : result;
  }
}

/** The tool error for a name a server does not have, naming the ones it has. */
function noSuchTool(server: ServerRecord, tool: string, tools: Tool[]): CallToolResult {
  return toolError(
    `Server '${server.name}' has no tool '${tool}'. Valid tools: ${
      tools.map((t) => t.name).join(", ") || "(none)"
    }`,
  );
}
