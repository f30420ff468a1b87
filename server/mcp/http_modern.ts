/**
 * @module The MCP 2026-07-28 leg of `/mcp`: requests that carry the per-request `_meta` envelope
 * (no `initialize`, no `Mcp-Session-Id`) are served by the SDK's `createMcpHandler` with
 * `legacy: "reject"` — `server/discover`, `UnsupportedProtocolVersion`, the `Mcp-Method` /
 * `Mcp-Name` header checks, the envelope and `subscriptions/listen` are the SDK's. Each request
 * gets a fresh router server instance bound to its isolation unit (see `stateless_unit.ts`): the
 * principal comes from the auth middleware as `authInfo`, and the unit's pool session holds the
 * containers between requests. List changes reach open `subscriptions/listen` streams.
 */
import { principalOfKey } from "../downstream_auth/principal.ts";
import { type AuthInfo, createMcpHandler } from "@modelcontextprotocol/server";
import { createLogger } from "../../runtime/foundation/log.ts";
import type { ExposeMode } from "./catalog.ts";
import type { SessionHub } from "./hub.ts";
import { principalOf, statelessSessionId } from "./stateless_unit.ts";
import { catalogOffersTasks } from "./task_methods.ts";

const logger = createLogger("mcp.http.modern");

/** Units remembered per key for revocation (the pool's idle timeout reaps them anyway). */
const MAX_UNITS_PER_KEY = 1024;

/** Who sent a request, as the auth middleware established it. */
export interface RequestPrincipal {
  /** The API key's id, or null when authentication is off. */
  keyId: string | null;
  /** Audit name (`local`, `key:<name>`). */
  actor: string;
  /** `?expose=` of the request, if any. */
  expose?: ExposeMode;
}

/** What the factory learns of a request through `authInfo.extra`. */
interface UnitInfo {
  sessionId: string;
  actor: string;
  /** Whose downstream OAuth tokens remote servers get. */
  principal: string;
  expose?: ExposeMode;
  /** Serve the tasks extension (a downstream in this request's catalogue offers it). */
  tasks?: boolean;
}

/** The modern leg of `/mcp`. */
export interface ModernEndpoint {
  /** Serve one 2026-07-28 request (its JSON body already read under the limits). */
  handle(request: Request, parsedBody: unknown, who: RequestPrincipal): Promise<Response>;
  /** End the containers of every unit of API key `keyId` (revocation); returns how many. */
  closeKey(keyId: string): Promise<number>;
  /** Stop serving and end every unit's containers. */
  close(): Promise<void>;
}

/**
 * Build the modern leg.
 * @param hub the session hub (catalogue, downstream pool, list-change broadcasts)
 */
export function createModernEndpoint(hub: SessionHub): ModernEndpoint {
  /** Pool sessions of the stateless units seen, by key id ("" for local). */
  const units = new Map<string, Set<string>>();
  const handler = createMcpHandler((ctx) => {
    const unit = ctx.authInfo?.extra as UnitInfo | undefined;
    if (!unit) throw new Error("no isolation unit for this request");
    return hub.instance(unit).server;
  }, {
    legacy: "reject",
    maxRequestBodySize: hub.ctx.settings.maxBodyBytes,
    onerror: (error) => logger.debug("modern request failed", { error }),
  });
  const stopListening = hub.onListsChanged((lists) => {
    if (lists.includes("tools")) handler.notify.toolsChanged();
    if (lists.includes("prompts")) handler.notify.promptsChanged();
    if (lists.includes("resources")) handler.notify.resourcesChanged();
  });
  const endUnit = async (sessionId: string) => {
    await Promise.allSettled([
      hub.ctx.downstream.endSession(sessionId),
      ...hub.ctx.builtins.map((b) => b.endSession(sessionId)),
    ]);
  };
  const endUnitsOf = async (key: string): Promise<number> => {
    const ids = units.get(key);
    units.delete(key);
    if (!ids) return 0;
    await Promise.all([...ids].map(endUnit));
    return ids.size;
  };
  /** Whether a downstream of the catalogue offers the tasks extension (bridging on). */
  const offersTasks = async (expose: ExposeMode | undefined): Promise<boolean> => {
    if (!hub.ctx.bridging) return false;
    const catalog = await hub.ctx.catalog(expose ?? hub.ctx.settings.expose).catch(() => null);
    return catalog !== null && catalogOffersTasks(catalog);
  };
  return {
    async handle(request, parsedBody, who) {
      const sessionId = statelessSessionId(who.keyId, parsedBody);
      const key = who.keyId ?? "";
      const seen = units.get(key) ?? new Set<string>();
      units.set(key, seen);
      if (!seen.has(sessionId) && seen.size >= MAX_UNITS_PER_KEY) {
        seen.delete(seen.values().next().value!);
      }
      seen.add(sessionId);
      const extra: UnitInfo = {
        sessionId,
        actor: who.actor,
        principal: principalOfKey(who.keyId),
        expose: who.expose,
        tasks: await offersTasks(who.expose),
      };
      const authInfo: AuthInfo = {
        token: "",
        clientId: principalOf(who.keyId),
        scopes: [],
        extra: extra as unknown as Record<string, unknown>,
      };
      return await handler.fetch(request, { authInfo, parsedBody });
    },
    closeKey: (keyId) => endUnitsOf(keyId),
    async close() {
      stopListening();
      await handler.close();
      await Promise.all([...units.keys()].map(endUnitsOf));
    },
  };
}
