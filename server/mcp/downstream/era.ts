/**
 * @module Which MCP protocol generation the router speaks to a downstream. A server whose
 * capabilities cache says it spoke the 2025 era (`initialize`) is connected exactly that way
 * again; any other (never seen, or 2026-07-28) is asked once with `server/discover` (the SDK's
 * `versionNegotiation: "auto"`: a modern answer selects 2026-07-28, anything else falls back to
 * `initialize` on the same connection — stdio containers probe in place, never a second
 * container). The verdict lands in the cache with the next capabilities snapshot
 * (`protocol_era`, `protocol_version`), so the probe runs once per server.
 */
import type { ClientOptions } from "@modelcontextprotocol/client";
import type { Capabilities } from "../../schemas/server.ts";
import { DOWNSTREAM_CLIENT_OPTIONS } from "../client_options.ts";

/**
 * How long a stdio server may take to answer the `server/discover` probe before it counts as a
 * 2025-era server (one that ignores requests before `initialize`); the `initialize` then sent
 * has the whole start deadline.
 */
export const STDIO_PROBE_TIMEOUT_MS = 5_000;

/**
 * SDK client options for connecting to a server.
 * @param known the server's cached capabilities (its remembered era), if any
 * @param transport `stdio` (a container's stdin/stdout: a silent probe means 2025) or `http`
 *   (a probe that times out is a failed connect, as an `initialize` would be)
 */
export function downstreamClientOptions(
  known: Capabilities | null | undefined,
  transport: "stdio" | "http",
): ClientOptions {
  if (known?.protocol_era === "legacy") return DOWNSTREAM_CLIENT_OPTIONS;
  return {
    ...DOWNSTREAM_CLIENT_OPTIONS,
    // The router bridges a 2026 server's input_required itself (see `bridge/bridging.ts`).
    inputRequired: { autoFulfill: false },
    versionNegotiation: {
      mode: "auto",
      ...(transport === "stdio" ? { probe: { timeoutMs: STDIO_PROBE_TIMEOUT_MS } } : {}),
    },
  };
}
