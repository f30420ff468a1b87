/**
 * @module Store consistency checks shared by the fuzz and crash-safety tests: every server
 * record has its name index and vice versa, every env value belongs to an existing server, and
 * every record parses with its schema.
 */
import { ServerRecordSchema } from "../../server/schemas/server.ts";
import { EnvValueSchema } from "../../server/schemas/records.ts";

/** What {@linkcode storeProblems} found, plus counts. */
export interface StoreReport {
  problems: string[];
  servers: number;
  envValues: number;
}

/**
 * List every inconsistency in the store (empty when consistent).
 * @param kv the router's KV handle
 */
export async function storeProblems(kv: Deno.Kv): Promise<StoreReport> {
  const problems: string[] = [];
  const servers = new Map<string, string>();
  for await (const e of kv.list({ prefix: ["servers"] })) {
    const parsed = ServerRecordSchema.safeParse(e.value);
    if (!parsed.success) {
      problems.push(`server ${String(e.key[1])} does not parse: ${parsed.error.message}`);
      continue;
    }
    if (parsed.data.id !== e.key[1]) {
      problems.push(`server key ${String(e.key[1])} holds id ${parsed.data.id}`);
    }
    servers.set(parsed.data.id, parsed.data.name);
  }
  const names = new Map<string, string>();
  for await (const e of kv.list<string>({ prefix: ["server_names"] })) {
    names.set(String(e.key[1]), e.value);
  }
  for (const [id, name] of servers) {
    if (names.get(name) !== id) problems.push(`server ${id} (${name}) has no name index`);
  }
  for (const [name, id] of names) {
    if (servers.get(id) !== name) problems.push(`name index ${name} → ${id} has no server`);
  }
  let envValues = 0;
  for await (const e of kv.list({ prefix: ["env"] })) {
    envValues++;
    const parsed = EnvValueSchema.safeParse(e.value);
    if (!parsed.success) problems.push(`env ${JSON.stringify(e.key)} does not parse`);
    const serverId = String(e.key[1]);
    if (!servers.has(serverId)) problems.push(`env ${JSON.stringify(e.key)} has no server`);
    if (parsed.success && (parsed.data.server_id !== serverId || parsed.data.key !== e.key[2])) {
      problems.push(
        `env ${JSON.stringify(e.key)} holds ${parsed.data.server_id}/${parsed.data.key}`,
      );
    }
  }
  for await (const e of kv.list({ prefix: ["server_children"] })) {
    if (!servers.has(String(e.key[1]))) problems.push(`${JSON.stringify(e.key)} has no server`);
  }
  for await (const e of kv.list({ prefix: ["caps"] })) {
    if (!servers.has(String(e.key[1]))) {
      problems.push(`caps ${JSON.stringify(e.key)} has no server`);
    }
  }
  return { problems, servers: servers.size, envValues };
}
