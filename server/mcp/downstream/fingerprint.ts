/**
 * @module Connection fingerprint: what makes a pooled downstream connection stale — the launch
 * fields of its record, the record's version and the env values it was started with.
 */
import type { ServerRecord } from "../../schemas/server.ts";
import { installIdentity } from "../../../runtime/launch_target.ts";
import { sha256Hex } from "../../../runtime/foundation/bytes.ts";

/**
 * The fingerprint of a launch: equal fingerprints may share one connection.
 * @param server the server's record
 * @param env the env values it is started with (hashed, never kept in clear)
 */
export function fingerprintOf(server: ServerRecord, env: Record<string, string>): string {
  const hit = computed.get(env);
  if (hit && hit.server === server) return hit.fingerprint;
  const fingerprint = compute(server, env);
  computed.set(env, { server, fingerprint });
  return fingerprint;
}

/** The last fingerprint of an env object (launch envs are reused while unchanged). */
const computed = new WeakMap<object, { server: ServerRecord; fingerprint: string }>();

function compute(server: ServerRecord, env: Record<string, string>): string {
  const envHash = sha256Hex(
    JSON.stringify(Object.entries(env).sort(([a], [b]) => a.localeCompare(b))),
  );
  return JSON.stringify([
    installIdentity(server),
    server.transport,
    server.port ?? null,
    server.path ?? null,
    server.url ?? null,
    server.updated_at,
    envHash,
  ]);
}
