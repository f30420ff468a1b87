/**
 * @module The tasks extension (`io.modelcontextprotocol/tasks`, 2026-07-28) on the router's
 * stateless instances: `tasks/get`, `tasks/update` and `tasks/cancel` go to the downstream that
 * created the task (see `bridge/task_routes.ts`), with the client's declared capabilities, and its
 * answers and errors come back unchanged. The router itself checks only that the client declared
 * the extension (else -32021) and that the task is one of this principal's (else -32602). Task
 * creation is the downstream's: a task-augmented `tools/call` passes through the bridging.
 */
import {
  CLIENT_CAPABILITIES_META_KEY,
  MissingRequiredClientCapabilityError,
  ProtocolError,
  ProtocolErrorCode,
  type Server,
} from "@modelcontextprotocol/server";
import { z } from "zod";
import type { ServerRecord } from "../schemas/server.ts";
import type { Catalog } from "./catalog.ts";
import type { Extra } from "./contracts.ts";
import { principalOfRequest } from "./bridge/bridging.ts";
import { type TaskRoute, type TaskRoutes, TASKS_EXTENSION } from "./bridge/task_routes.ts";
import type { SessionLink } from "./session_link.ts";

/** The task methods the router forwards. */
export const TASK_METHODS = ["tasks/get", "tasks/update", "tasks/cancel"] as const;

const TaskParamsSchema = z.object({ taskId: z.string() }).passthrough();
const AnyResultSchema = z.object({}).passthrough();

/** Whether a downstream in `catalog` spoke 2026-07-28 and advertised the tasks extension. */
export function catalogOffersTasks(catalog: Catalog): boolean {
  return [...catalog.serverByName.values()].some((s) => serverOffersTasks(s));
}

/** Whether `server`'s cached capabilities advertise the tasks extension on the 2026 era. */
export function serverOffersTasks(server: ServerRecord): boolean {
  const caps = server.capabilities;
  if (caps?.protocol_era !== "modern") return false;
  const ext = (caps.server_capabilities as { extensions?: Record<string, unknown> } | undefined)
    ?.extensions;
  return typeof ext === "object" && ext !== null && ext[TASKS_EXTENSION] !== undefined;
}

/** The client capabilities a 2026 request declared in its `_meta` envelope. */
function declaredCapabilities(extra: Extra): Record<string, unknown> | undefined {
  const envelope = extra.mcpReq.envelope as Record<string, unknown> | undefined;
  const caps = envelope?.[CLIENT_CAPABILITIES_META_KEY];
  return typeof caps === "object" && caps !== null ? caps as Record<string, unknown> : undefined;
}

/** Whether the request's client declared the tasks extension. */
export function declaresTasks(extra: Extra): boolean {
  const ext = declaredCapabilities(extra)?.extensions as Record<string, unknown> | undefined;
  return typeof ext === "object" && ext !== null && ext[TASKS_EXTENSION] !== undefined;
}

/** What {@link registerTaskMethods} needs of the upstream session. */
export interface TaskMethodDeps {
  routes: TaskRoutes;
  link: SessionLink;
  /** The catalogue this session sees (the task's server must still be in it). */
  catalog: () => Promise<Catalog>;
}

/**
 * Advertise the tasks extension on `server` and answer its methods by forwarding them.
 * @param server a stateless (2026-07-28) instance, before it serves its request
 * @param deps routes, session link and catalogue
 */
export function registerTaskMethods(server: Server, deps: TaskMethodDeps): void {
  server.registerCapabilities({ extensions: { [TASKS_EXTENSION]: {} } } as never);
  for (const method of TASK_METHODS) {
    server.setRequestHandler(
      method,
      { params: TaskParamsSchema, result: AnyResultSchema },
      async (params, extra) => await forwardTaskRequest(method, params, extra as Extra, deps),
    );
  }
}

async function forwardTaskRequest(
  method: (typeof TASK_METHODS)[number],
  params: z.infer<typeof TaskParamsSchema>,
  extra: Extra,
  deps: TaskMethodDeps,
): Promise<Record<string, unknown>> {
  if (!declaresTasks(extra)) {
    throw new MissingRequiredClientCapabilityError(
      { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } } as never,
    );
  }
  const route = deps.routes.find(principalOfRequest(extra), params.taskId);
  const server = route ? await serverOf(route, deps) : undefined;
  if (!route || !server) {
    throw new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown taskId: ${params.taskId}`);
  }
  const { _meta: _m, ...rest } = params;
  // The SDK lifts a custom method's `inputResponses` out of params into the context.
  const inputResponses = method === "tasks/update"
    ? rest.inputResponses ?? extra.mcpReq.inputResponses
    : undefined;
  const caps = declaredCapabilities(extra);
  const downstreamParams = {
    ...rest,
    ...(inputResponses !== undefined ? { inputResponses } : {}),
    ...(caps ? { _meta: { [CLIENT_CAPABILITIES_META_KEY]: caps } } : {}),
  };
  return await deps.link.request(
    server,
    extra,
    (client, options) =>
      client.request({ method, params: downstreamParams } as never, AnyResultSchema, options),
    route.sessionId,
  ) as Record<string, unknown>;
}

/** The task's server, if this session's catalogue still shows it. */
async function serverOf(route: TaskRoute, deps: TaskMethodDeps): Promise<ServerRecord | undefined> {
  const server = (await deps.catalog()).serverByName.get(route.serverName);
  return server?.id === route.serverId ? server : undefined;
}
