/**
 * @module Relays from one downstream server to one upstream session: its log messages, resource
 * updates and list changes become notifications to the upstream client, and its server→client
 * requests (sampling, elicitation, roots) are asked of the upstream client — inside the upstream
 * request in flight for that server when there is one, so the client can tie them to it.
 */
import type { Client } from "@modelcontextprotocol/client";
import type { Server } from "@modelcontextprotocol/server";
import type { ServerRecord } from "../schemas/server.ts";
import { createLogger } from "../../runtime/foundation/log.ts";
import type { Extra, ListKind } from "./contracts.ts";
import { wrapUri } from "./names.ts";

const logger = createLogger("mcp.relays");

/** A server→client request a downstream sent (sampling, elicitation, roots). */
export interface DownstreamRequest {
  method: "sampling/createMessage" | "elicitation/create" | "roots/list";
  params: Record<string, unknown> | undefined;
}

/** A fast-path call in flight (`fast_path.ts`): its upstream request id and reply stream. */
export interface FastRelay {
  /** The upstream request id (what the SDK server relates its messages to). */
  requestId: string | number;
  /** Pass a notification for the client on, on the call's reply. */
  notify(notification: Record<string, unknown>): void;
}

/** Where a downstream's notifications and requests go. */
export interface RelayTarget {
  /** The upstream SDK server of the session. */
  upstream: Server;
  /** The upstream request in flight for this server, if any. */
  activeExtra(): Extra | undefined;
  /**
   * The fast-path call in flight for this server (when no SDK request is in flight), if any:
   * notifications and server→client requests go on its reply.
   */
  activeRelay?(): FastRelay | undefined;
  /** The downstream announced a list change (relayed to the upstream client right after). */
  onListChanged?(list: ListKind): void;
  /**
   * Bridging hook (issue #12): answer a downstream's server→client request some other way than
   * asking the upstream client directly — e.g. turn it into an `input_required` result for a
   * 2026-era client. Return null to ask the upstream client as usual.
   */
  bridgeRequest?(request: DownstreamRequest, extra: Extra | undefined): Promise<unknown> | null;
}

/**
 * Relay `client`'s notifications and server→client requests to the upstream session.
 * @param server the downstream's record (its name labels logs; its namespace decides URIs)
 * @param client the downstream's SDK client
 * @param target the upstream session
 */
export function relayDownstream(server: ServerRecord, client: Client, target: RelayTarget): void {
  const plain = server.namespace === "none";
  const up = target.upstream;
  client.setNotificationHandler("notifications/message", (n) => {
    const params = { ...n.params, logger: n.params.logger ?? server.name };
    const extra = target.activeExtra();
    const relay = extra ? undefined : target.activeRelay?.();
    if (relay) return relay.notify({ jsonrpc: "2.0", method: "notifications/message", params });
    // A 2026-07-28 request carries its own log level in `_meta`; the SDK's log() honours it.
    const send = extra?.mcpReq.envelope !== undefined
      ? extra.mcpReq.log(params.level, params.data, params.logger)
      : extra
      ? extra.mcpReq.notify({ method: "notifications/message", params })
      : up.sendLoggingMessage(params);
    return Promise.resolve(send).catch(() => {});
  });
  client.setNotificationHandler("notifications/resources/updated", (n) =>
    up.sendResourceUpdated({
      ...n.params,
      uri: plain ? n.params.uri : wrapUri(server.name, n.params.uri),
    }).catch(() => {}));
  const listChanged = (list: ListKind, send: () => Promise<void>) => () => {
    target.onListChanged?.(list);
    send().catch(() => {});
  };
  client.setNotificationHandler(
    "notifications/tools/list_changed",
    listChanged("tools", () => up.sendToolListChanged()),
  );
  client.setNotificationHandler(
    "notifications/prompts/list_changed",
    listChanged("prompts", () => up.sendPromptListChanged()),
  );
  client.setNotificationHandler(
    "notifications/resources/list_changed",
    listChanged("resources", () => up.sendResourceListChanged()),
  );
  // HOOK (bridging, issue #12): every downstream server→client request arrives here.
  const forward = (request: DownstreamRequest): Promise<never> => {
    const extra = target.activeExtra();
    const bridged = target.bridgeRequest?.(request, extra) ?? null;
    if (bridged) return bridged as Promise<never>;
    const message = { method: request.method, params: request.params };
    if (extra) return extra.mcpReq.send(message as never) as Promise<never>;
    // Related to a fast-path call, the SDK server's request goes out on that call's reply.
    const relay = target.activeRelay?.();
    const related = relay ? { relatedRequestId: relay.requestId } : undefined;
    return up.request(message as never, related as never) as Promise<never>;
  };
  try {
    client.setRequestHandler(
      "sampling/createMessage",
      (r) => forward({ method: "sampling/createMessage", params: r.params }),
    );
    client.setRequestHandler(
      "elicitation/create",
      (r) => forward({ method: "elicitation/create", params: r.params }),
    );
    client.setRequestHandler(
      "roots/list",
      (r) => forward({ method: "roots/list", params: r.params }),
    );
  } catch (error) {
    logger.debug("client does not declare sampling/elicitation/roots", { error });
  }
}
