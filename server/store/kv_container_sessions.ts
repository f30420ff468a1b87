/**
 * @module Container session records over Deno KV: one per (client session, server) container,
 * under time-ordered ids, listed newest first.
 */
import { type ContainerSession, ContainerSessionSchema } from "../schemas/records.ts";
import type { ContainerSessionStore } from "./store.ts";
import { K } from "./kv_keys.ts";
import { truncateText } from "./kv_values.ts";
import { HEALTH_ERROR_MAX } from "./server_records.ts";

/** Container session records in KV. */
export class KvContainerSessions implements ContainerSessionStore {
  /** @param kv the KV handle */
  constructor(private readonly kv: Deno.Kv) {}

  /** Insert or update a container session record (a long error is cut, head and tail kept). */
  async putSession(session: ContainerSession): Promise<void> {
    const parsed = ContainerSessionSchema.parse(session);
    await this.kv.set(K.session(session.id), {
      ...parsed,
      error: parsed.error === null ? null : truncateText(parsed.error, HEALTH_ERROR_MAX),
    });
  }

  /** Container sessions newest first. */
  async listSessions(
    options: { limit?: number; before?: string } = {},
  ): Promise<ContainerSession[]> {
    const out: ContainerSession[] = [];
    const iter = this.kv.list(
      options.before
        ? { prefix: K.sessions, end: K.session(options.before) }
        : { prefix: K.sessions },
      { reverse: true, limit: options.limit ?? 50 },
    );
    for await (const e of iter) {
      const parsed = ContainerSessionSchema.safeParse(e.value);
      if (parsed.success) out.push(parsed.data);
    }
    return out;
  }
}
