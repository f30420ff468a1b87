/**
 * @module Relays from one downstream server to one upstream session: its log messages, resource
 * updates and list changes become notifications to the upstream client, and its server→client
 * requests (sampling, elicitation, roots) are asked of the upstream client — inside the upstream
 * request in flight for that server when there is one, so the client can tie them to it.
 */
// @ts-types="@modelcontextprotocol/sdk/client/index"
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/server/index"
import type { Server } from "@modelcontextprotocol/sdk/server/index.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import {
  CreateMessageRequestSchema,
  CreateMessageResultSchema,
  ElicitRequestSchema,
  ElicitResultSchema,
  ListRootsRequestSchema,
  ListRootsResultSchema,
  LoggingMessageNotificationSchema,
  PromptListChangedNotificationSchema,
  ResourceListChangedNotificationSchema,
  ResourceUpdatedNotificationSchema,
  type ServerRequest,
  ToolListChangedNotificationSchema,
} from "@modelcontextprotocol/sdk/types.js";
import type { ServerRecord } from "../schemas/server.ts";
import { createLogger } from "../../runtime/foundation/log.ts";
import type { Extra, ListKind } from "./contracts.ts";
import { wrapUri } from "./names.ts";

const logger = createLogger("mcp.relays");

/** Where a downstream's notifications and requests go. */
export interface RelayTarget {
  /** The upstream SDK server of the session. */
  upstream: Server;
  /** The upstream request in flight for this server, if any. */
  activeExtra(): Extra | undefined;
  /** The downstream announced a list change (relayed to the upstream client right after). */
  onListChanged?(list: ListKind): void;
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
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    const params = { ...n.params, logger: n.params.logger ?? server.name };
    const extra = target.activeExtra();
    const send = extra
      ? extra.sendNotification({ method: "notifications/message", params })
      : up.sendLoggingMessage(params);
    return Promise.resolve(send).catch(() => {});
  });
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) =>
    up.sendResourceUpdated({
      ...n.params,
      uri: plain ? n.params.uri : wrapUri(server.name, n.params.uri),
    }).catch(() => {}));
  const listChanged = (list: ListKind, send: () => Promise<void>) => () => {
    target.onListChanged?.(list);
    send().catch(() => {});
  };
  client.setNotificationHandler(
    ToolListChangedNotificationSchema,
    listChanged("tools", () => up.sendToolListChanged()),
  );
  client.setNotificationHandler(
    PromptListChangedNotificationSchema,
    listChanged("prompts", () => up.sendPromptListChanged()),
  );
  client.setNotificationHandler(
    ResourceListChangedNotificationSchema,
    listChanged("resources", () => up.sendResourceListChanged()),
  );
  const forward = <T>(method: string, params: unknown, schema: T) => {
    const extra = target.activeExtra();
    const request = { method, params } as ServerRequest;
    if (extra) return extra.sendRequest(request, schema as never);
    return up.request(request, schema as never);
  };
  try {
    client.setRequestHandler(
      CreateMessageRequestSchema,
      (r) => forward("sampling/createMessage", r.params, CreateMessageResultSchema),
    );
    client.setRequestHandler(
      ElicitRequestSchema,
      (r) => forward("elicitation/create", r.params, ElicitResultSchema),
    );
    client.setRequestHandler(
      ListRootsRequestSchema,
      (r) => forward("roots/list", r.params, ListRootsResultSchema),
    );
  } catch (error) {
    logger.debug("client does not declare sampling/elicitation/roots", { error });
  }
}
