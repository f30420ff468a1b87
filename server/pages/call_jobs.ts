/**
 * @module UI calls: every request the admin UI makes through the router (a tool call, a
 * resource read, a prompt get) as a record the pages can poll — its progress, the elicitation
 * or sampling request it waits on, its outcome and its raw JSON-RPC messages — plus a short
 * history per server. In memory only: a restart forgets them.
 */
import type { TappedMessage } from "./call_tap.ts";

/** What a UI call asks of the router. */
export type CallKind = "tool" | "resource" | "prompt";

/** Progress a server reported (`notifications/progress`). */
export interface CallProgress {
  progress: number;
  total?: number;
  message?: string;
}

/** A router→UI request waiting for the admin (elicitation or sampling). */
export interface PendingInput {
  /** Unguessable key the answer form carries. */
  key: string;
  kind: "elicitation" | "sampling";
  params: Record<string, unknown>;
  /** Answer the request (the result sent back to the server). */
  answer(result: Record<string, unknown>): void;
  /** Refuse it (sampling declined). */
  refuse(error: Error): void;
}

/** One UI call. */
export interface CallRecord {
  id: string;
  serverId: string;
  kind: CallKind;
  /** Tool name, resource URI or prompt name. */
  label: string;
  startedAt: number;
  finishedAt?: number;
  progress?: CallProgress;
  /** Requests waiting for an answer, oldest first. */
  inputs: PendingInput[];
  /** What the call came to (a view model; set when done). */
  outcome?: unknown;
  ok?: boolean;
  done: boolean;
  /** The JSON-RPC messages of the call, in order (large ones shortened). */
  messages: TappedMessage[];
  /** The form as it was sent (shown again with the call's page). */
  values?: Record<string, string>;
}

/** Calls kept per server for the history. */
export const HISTORY_PER_SERVER = 10;
/** Messages kept per call. */
const MAX_MESSAGES = 60;
/** A message longer than this (as JSON) is kept shortened. */
const MAX_MESSAGE_CHARS = 200_000;

/** The UI calls of this process. */
export class CallJobs {
  readonly #calls = new Map<string, CallRecord>();
  readonly #listeners = new Map<string, Set<() => void>>();

  /** Open a record for a call about to be sent. */
  open(serverId: string, kind: CallKind, label: string): CallRecord {
    const record: CallRecord = {
      id: crypto.randomUUID(),
      serverId,
      kind,
      label,
      startedAt: Date.now(),
      inputs: [],
      done: false,
      messages: [],
    };
    this.#calls.set(record.id, record);
    this.#prune(serverId);
    return record;
  }

  /** A call by id (undefined when unknown or forgotten). */
  get(id: string): CallRecord | undefined {
    return this.#calls.get(id);
  }

  /** The last calls to `serverId`, newest first. */
  history(serverId: string): CallRecord[] {
    return [...this.#calls.values()].filter((c) => c.serverId === serverId).reverse();
  }

  /** The newest call still running (for a router→UI request that names none). */
  latestRunning(): CallRecord | undefined {
    return [...this.#calls.values()].reverse().find((c) => !c.done);
  }

  /** File a JSON-RPC message under call `id` (progress notifications also update it). */
  record(id: string, tapped: TappedMessage): void {
    const call = this.#calls.get(id);
    if (!call) return;
    const m = tapped.message as { method?: string; params?: Record<string, unknown> };
    if (m.method === "notifications/progress" && m.params) {
      const { progress, total, message } = m.params;
      if (typeof progress === "number") {
        call.progress = {
          progress,
          total: typeof total === "number" ? total : undefined,
          message: typeof message === "string" ? message : undefined,
        };
      }
    }
    if (call.messages.length < MAX_MESSAGES) call.messages.push(shorten(tapped));
    this.#changed(call);
  }

  /** Add a request the admin must answer; resolves with the answer. */
  ask(
    id: string,
    kind: PendingInput["kind"],
    params: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<Record<string, unknown>> {
    const call = this.#calls.get(id);
    if (!call) return Promise.reject(new Error("the call asking is gone"));
    return new Promise((resolve, reject) => {
      const remove = () => {
        call.inputs = call.inputs.filter((i) => i !== input);
        signal.removeEventListener("abort", onAbort);
        this.#changed(call);
      };
      const onAbort = () => {
        remove();
        reject(signal.reason ?? new Error("cancelled"));
      };
      const input: PendingInput = {
        key: crypto.randomUUID(),
        kind,
        params,
        answer: (result) => {
          remove();
          resolve(result);
        },
        refuse: (error) => {
          remove();
          reject(error);
        },
      };
      signal.addEventListener("abort", onAbort, { once: true });
      call.inputs.push(input);
      this.#changed(call);
    });
  }

  /** Mark call `id` done with its outcome. */
  finish(id: string, outcome: unknown, ok: boolean): void {
    const call = this.#calls.get(id);
    if (!call) return;
    Object.assign(call, { outcome, ok, done: true, finishedAt: Date.now() });
    this.#changed(call);
  }

  /**
   * Wait until call `id` is done or waits for an answer, or `ms` passed.
   * @returns the record (undefined when unknown)
   */
  async settled(id: string, ms: number): Promise<CallRecord | undefined> {
    const deadline = Date.now() + ms;
    for (;;) {
      const call = this.#calls.get(id);
      if (!call || call.done || call.inputs.length > 0) return call;
      const left = deadline - Date.now();
      if (left <= 0) return call;
      await this.#next(id, left);
    }
  }

  #next(id: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.#listeners.get(id) ?? new Set();
      this.#listeners.set(id, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
    });
  }

  #changed(call: CallRecord): void {
    const set = this.#listeners.get(call.id);
    if (!set) return;
    this.#listeners.delete(call.id);
    for (const listener of set) listener();
  }

  /** Keep the last {@linkcode HISTORY_PER_SERVER} calls of a server (running ones stay). */
  #prune(serverId: string): void {
    const mine = [...this.#calls.values()].filter((c) => c.serverId === serverId);
    for (const old of mine.slice(0, Math.max(0, mine.length - HISTORY_PER_SERVER))) {
      if (old.done) this.#calls.delete(old.id);
    }
  }
}

function shorten(tapped: TappedMessage): TappedMessage {
  const json = JSON.stringify(tapped.message);
  if (json.length <= MAX_MESSAGE_CHARS) return tapped;
  return {
    direction: tapped.direction,
    message: {
      ...tapped.message,
      ...("result" in tapped.message
        ? { result: { note: `${json.length} characters, shortened` } }
        : {}),
    } as TappedMessage["message"],
  };
}
