/**
 * @module The isolation unit of stateless (MCP 2026-07-28) clients: which downstream containers a
 * request without a session may use.
 *
 * A 2025-era client opens a session (`initialize`, `Mcp-Session-Id`, or the stdio process), and
 * the session owns its containers. A 2026-07-28 client has no session: every request stands
 * alone and the spec names no client-instance identifier (state spanning requests must be
 * referenced explicitly; a connection is not a session). So the router defines the unit as:
 *
 * - **the principal**: the API key's id (`key:<id>`), or `local` when authentication is off;
 * - **plus the client's self-description**: `name` and `version` of the request's
 *   `_meta["io.modelcontextprotocol/clientInfo"]` (missing → empty).
 *
 * Requests of one unit share the downstream pool session `stateless-<hash of the unit>`, so a
 * `lifecycle: session` server keeps its state (variables, handles it minted) from one request to
 * the next. The unit has no end message: its containers are reaped by the pool's idle timeout
 * like any idle session, and end at once when the key is revoked. `lifecycle: call` still gets a
 * fresh container per call and `shared` one container for everyone. Two API keys never share a
 * unit (the key id is part of it); two clients of one key that describe themselves identically
 * do share one — give them different keys (or client names) to keep them apart. Over stdio the
 * process is the unit, whatever era it speaks.
 */
import { CLIENT_INFO_META_KEY } from "@modelcontextprotocol/server";
import { z } from "zod";
import { sha256Hex } from "../../runtime/foundation/bytes.ts";

/** The client's `_meta` self-description, as far as the unit uses it. */
const ClientInfoSchema = z.object({
  name: z.string().max(256).catch(""),
  version: z.string().max(256).catch(""),
}).partial();

/** Prefix of every stateless pool session id. */
export const STATELESS_SESSION_PREFIX = "stateless-";

/**
 * The principal part of a unit.
 * @param keyId the authenticated API key's id, or null (authentication off)
 */
export function principalOf(keyId: string | null): string {
  return keyId === null ? "local" : `key:${keyId}`;
}

/** The `clientInfo` of a JSON-RPC request body's `_meta` (empty fields when absent or odd). */
export function clientInfoOf(body: unknown): { name: string; version: string } {
  const first = Array.isArray(body) ? body[0] : body;
  const params = (first as { params?: { _meta?: Record<string, unknown> } } | null)?.params;
  const parsed = ClientInfoSchema.safeParse(params?._meta?.[CLIENT_INFO_META_KEY]);
  return { name: parsed.data?.name ?? "", version: parsed.data?.version ?? "" };
}

/**
 * The downstream pool session id of a stateless request.
 * @param keyId the authenticated API key's id, or null
 * @param body the request's parsed JSON body
 */
export function statelessSessionId(keyId: string | null, body: unknown): string {
  const info = clientInfoOf(body);
  const unit = [principalOf(keyId), info.name, info.version].join("\0");
  return STATELESS_SESSION_PREFIX + sha256Hex(unit).slice(0, 32);
}
