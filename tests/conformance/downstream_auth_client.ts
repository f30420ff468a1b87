/**
 * @module The client command `conformance client --suite auth` runs: it connects to the
 * scenario's MCP server through the router's own remote-server code path (`openDownstream` →
 * `connectHttp` with the router's OAuth provider over an in-memory store), authorizes headlessly
 * when the connection says `needs authorization: open <url>` (it requests that URL itself, takes
 * the `code` from the redirect and finishes through the router's callback logic), then lists
 * and calls tools as the scenario wants.
 *
 *   deno run -A tests/conformance/downstream_auth_client.ts http://localhost:PORT/mcp
 *
 * `MCP_CONFORMANCE_SCENARIO` names the scenario; `MCP_CONFORMANCE_CONTEXT` carries pre-registered
 * credentials (`auth/pre-registration`), which the command enters as an admin would on the
 * server's page. The router's public origin is `https://conformance-test.local` so that it has a
 * Client ID Metadata Document URL to offer (`auth/basic-cimd`); the redirect to it is read, never
 * followed.
 */
import { z } from "zod";
import { UnauthorizedError } from "@modelcontextprotocol/client";
import { KvStore } from "../../server/store/kv_store.ts";
import { testSettings } from "../../server/settings.ts";
import { PlanSchema } from "../../server/schemas/server.ts";
import { openDownstream } from "../../server/mcp/downstream/connect.ts";
import { DownstreamError } from "../../server/mcp/downstream/errors.ts";
import type { OpenedDownstream } from "../../server/mcp/downstream/types.ts";
import { createOutboundGuard } from "../../server/http/outbound_guard.ts";
import { createGuardedFetch } from "../../server/http/guarded_fetch.ts";
import {
  ADMIN_PRINCIPAL,
  type DownstreamAuthDeps,
  finishAuthorization,
  remoteAuthOf,
} from "../../server/downstream_auth/flow.ts";
import { followAuthorization } from "./headless_authorize.ts";

const ContextSchema = z.object({
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
}).passthrough();

/** Connect, authorizing headlessly up to `rounds` times. */
async function connect(
  open: () => Promise<OpenedDownstream>,
  authorize: (url: string) => Promise<void>,
  rounds = 3,
): Promise<OpenedDownstream> {
  for (let round = 0;; round++) {
    try {
      return await open();
    } catch (error) {
      const url = error instanceof DownstreamError && error.kind === "needs_authorization"
        ? /open (\S+)$/.exec(error.message)?.[1]
        : undefined;
      if (!url || round >= rounds) throw error;
      await authorize(url);
    }
  }
}

async function main(): Promise<void> {
  const serverUrl = Deno.args[0];
  if (!serverUrl) {
    console.error("usage: downstream_auth_client.ts SERVER_URL");
    Deno.exit(2);
  }
  const scenario = Deno.env.get("MCP_CONFORMANCE_SCENARIO") ?? "";
  const context = ContextSchema.parse(JSON.parse(Deno.env.get("MCP_CONFORMANCE_CONTEXT") ?? "{}"));
  const settings = testSettings({ startTimeoutMs: 20_000, callTimeoutMs: 20_000 });
  const store = await KvStore.open({ dataDir: ":memory:" });
  const guard = createOutboundGuard(settings);
  const deps: DownstreamAuthDeps = {
    store: store.downstreamAuth,
    settings,
    fetch: createGuardedFetch(guard, { oauthErrors: true }),
    baseUrl: "https://conformance-test.local",
    // auth/basic-cimd expects this exact client id (the router's own is its CLIENT_METADATA_PATH).
    clientMetadataUrl: "https://conformance-test.local/client-metadata.json",
  };
  const server = await store.createServer(PlanSchema.parse({
    name: "conformance",
    runtime: "remote",
    transport: "http",
    url: serverUrl,
  }));
  if (context.client_id) {
    await store.downstreamAuth.putConfig(server.id, {
      mode: "per_principal",
      client_id: context.client_id,
    }, context.client_secret ?? null);
  }
  const authorize = async (url: string) => {
    const params = await followAuthorization(url);
    await finishAuthorization(
      deps,
      params,
      (id) => Promise.resolve(id === server.id ? { server, url: new URL(serverUrl) } : null),
    );
  };
  const opened = await connect(() =>
    openDownstream(server, {}, {
      backend: null,
      settings,
      sessionId: "conformance",
      resolveImage: () => Promise.resolve(""),
      clientInfo: { name: "mcp-router-conformance", version: "1.0.0" },
      outboundGuard: guard,
      principal: ADMIN_PRINCIPAL,
      remoteAuth: remoteAuthOf(deps),
    }), authorize);
  // A call may need more (step-up): authorize again, as a user told so would, and retry once.
  const call = async (name: string) => {
    try {
      return await opened.client.callTool({ name, arguments: {} });
    } catch (error) {
      const url = opened.auth?.authorizationUrl;
      if (!(error instanceof UnauthorizedError) || !url) throw error;
      await authorize(url.href);
      return await opened.client.callTool({ name, arguments: {} });
    }
  };
  try {
    const { tools } = await opened.client.listTools();
    for (const tool of tools) {
      if (tool.name === "test-tool" || scenario.startsWith("auth/scope-")) await call(tool.name);
    }
  } finally {
    await opened.close();
    store.close();
  }
}

try {
  await main();
  Deno.exit(0);
} catch (error) {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  Deno.exit(1);
}
