/**
 * @module The live sessions of one MCP HTTP endpoint (`/mcp` or `/sse`), each bound to the API
 * key that opened it, with the two ways they end: all at shutdown, or a key's at its revocation.
 */

/** A session that knows its key and can be closed (its streams and containers end). */
export interface KeyedSession {
  keyId: string | null;
  transport: { close(): Promise<void> };
}

/**
 * Close every session opened with `keyId`.
 * @returns how many were closed
 */
export async function closeSessionsOfKey(
  sessions: Map<string, KeyedSession>,
  keyId: string,
): Promise<number> {
  const owned = [...sessions.values()].filter((s) => s.keyId === keyId);
  await Promise.allSettled(owned.map((s) => s.transport.close()));
  return owned.length;
}

/** Close every session and forget them. */
export async function closeAllSessions(sessions: Map<string, KeyedSession>): Promise<void> {
  await Promise.allSettled([...sessions.values()].map((s) => s.transport.close()));
  sessions.clear();
}
