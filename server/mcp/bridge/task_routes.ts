/**
 * @module Where the tasks of the `io.modelcontextprotocol/tasks` extension live: when a 2026
 * downstream answers a `tools/call` with a `CreateTaskResult` (`resultType: "task"`), the router
 * remembers which server and isolation unit created the task, bound to the principal that asked,
 * so `tasks/get`, `tasks/update` and `tasks/cancel` reach that server again. A taskId asked for by
 * another principal is unknown (nothing leaks). The table is bounded (oldest entries go first)
 * and every entry expires (the task's own `ttlMs`, within limits).
 */

/** Extension id of the SEP-2663 tasks extension (2026-07-28). */
export const TASKS_EXTENSION = "io.modelcontextprotocol/tasks";

/** Where one task lives downstream. */
export interface TaskRoute {
  /** The downstream server's id (checked against the catalogue on use). */
  serverId: string;
  /** The downstream server's name at creation. */
  serverName: string;
  /** The isolation unit (pool session) whose connection created the task. */
  sessionId: string;
}

interface Entry extends TaskRoute {
  expiresAt: number;
}

/** Limits of {@link TaskRoutes} (tests shorten them). */
export interface TaskRoutesOptions {
  /** Most routes kept (default 10 000). */
  maxEntries?: number;
  /** Lifetime when the task names none (default 1 h). */
  defaultTtlMs?: number;
  /** Longest lifetime, whatever the task says (default 24 h). */
  maxTtlMs?: number;
  /** Clock (ms). */
  now?: () => number;
}

/** Longest taskId remembered (longer ones are not routed). */
const MAX_TASK_ID_LENGTH = 512;
/** Kept past the task's ttl, so a last `tasks/get` still reaches the server's own answer. */
const GRACE_MS = 60_000;

/** The taskId of a `CreateTaskResult` (`resultType: "task"`), else undefined. */
export function createdTaskId(result: unknown): string | undefined {
  if (typeof result !== "object" || result === null) return undefined;
  const r = result as Record<string, unknown>;
  return r.resultType === "task" && typeof r.taskId === "string" && r.taskId !== ""
    ? r.taskId
    : undefined;
}

/** Principal-bound, bounded, expiring taskId → downstream routes (process-wide). */
export class TaskRoutes {
  readonly #routes = new Map<string, Entry>();
  readonly #max: number;
  readonly #defaultTtl: number;
  readonly #maxTtl: number;
  readonly #now: () => number;

  /** @param options limits and clock */
  constructor(options: TaskRoutesOptions = {}) {
    this.#max = options.maxEntries ?? 10_000;
    this.#defaultTtl = options.defaultTtlMs ?? 3_600_000;
    this.#maxTtl = options.maxTtlMs ?? 86_400_000;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Remember that `taskId`, created for `principal`, lives at `route`.
   * @param ttlMs the task's own lifetime (`ttlMs` of the CreateTaskResult), if it said one
   */
  remember(principal: string, taskId: string, route: TaskRoute, ttlMs?: unknown): void {
    if (taskId.length > MAX_TASK_ID_LENGTH) return;
    const ttl = typeof ttlMs === "number" && Number.isFinite(ttlMs) && ttlMs > 0
      ? Math.min(ttlMs + GRACE_MS, this.#maxTtl)
      : this.#defaultTtl;
    const key = keyOf(principal, taskId);
    this.#routes.delete(key);
    this.#routes.set(key, { ...route, expiresAt: this.#now() + ttl });
    while (this.#routes.size > this.#max) this.#routes.delete(this.#routes.keys().next().value!);
  }

  /** The route of `taskId` for `principal`, or undefined (unknown, expired, another principal's). */
  find(principal: string, taskId: string): TaskRoute | undefined {
    const key = keyOf(principal, taskId);
    const entry = this.#routes.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#routes.delete(key);
      return undefined;
    }
    const { serverId, serverName, sessionId } = entry;
    return { serverId, serverName, sessionId };
  }

  /** How many routes are kept (expired ones included until looked up or pushed out). */
  get size(): number {
    return this.#routes.size;
  }
}

function keyOf(principal: string, taskId: string): string {
  return `${principal}\0${taskId}`;
}
