/**
 * @module Config route: `/api/config/claude-desktop` returns the `mcpServers` entry for Claude
 * Desktop (stdio, or `mcp-remote` bridge for remote use).
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { ClaudeConfigQuerySchema } from "../schemas/api.ts";
import type { AppDeps } from "../composition/contracts.ts";
import type { AppEnv } from "../app/app_env.ts";
import {
  claudeDesktopConfigPath,
  currentLauncher,
  ENTRY_NAME,
  remoteEntry,
  stdioEntry,
} from "../config/claude_desktop.ts";

const EntrySchema = z.object({
  command: z.string(),
  args: z.array(z.string()),
  env: z.record(z.string(), z.string()).optional(),
});

/** The router's public `/mcp` URL as seen by the requester. */
export function mcpUrl(requestUrl: string): string {
  const url = new URL(requestUrl);
  return `${url.protocol}//${url.host}/mcp`;
}

/** Mount `GET /api/config/claude-desktop`. */
export function mountConfigRoutes(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  app.openapi(
    createRoute({
      method: "get",
      path: "/api/config/claude-desktop",
      summary: "The mcpServers entry that connects Claude Desktop to this router",
      request: { query: ClaudeConfigQuerySchema },
      responses: {
        200: {
          description: "Config snippet",
          content: {
            "application/json": {
              schema: z.object({
                mcpServers: z.record(z.string(), EntrySchema),
                config_path: z.string(),
                url: z.string(),
              }),
            },
          },
        },
      },
    }),
    (c) => {
      const { mode } = c.req.valid("query");
      const url = mcpUrl(c.req.url);
      const entry = mode === "remote"
        ? remoteEntry(url)
        : stdioEntry(deps.entry ?? currentLauncher(), deps.settings.dataDir, Deno.env.toObject());
      return c.json({
        mcpServers: { [ENTRY_NAME]: entry },
        config_path: claudeDesktopConfigPath(Deno.build.os, Deno.env.toObject()),
        url,
      }, 200);
    },
  );
}
