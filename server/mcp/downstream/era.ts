/**
 * @module Which MCP protocol generation the router speaks to a downstream. A server whose
 * capabilities cache says it spoke the 2025 era (`initialize`) is connected exactly that way
 * again; any other (never seen, or 2026-07-28) is asked once with `server/discover` (the SDK's
 * `versionNegotiation: "auto"`: a modern answer selects 2026-07-28, anything else falls back to
 * `initialize` on the same connection — stdio containers probe in place, never a second
 * container). The verdict lands in the cache with the next capabilities snapshot
 * (`protocol_era`, `protocol_version`), so the probe runs once per server.
 *
 * A stdio server that starts slower than the probe window but serves 2026-07-28 (Python SDK 2.x
 * pins a connection's era on its first request) answers the late probe and then refuses the
 * fallback `initialize`: `refusesInitialize` recognises that answer so the caller can start it
 * again as a 2026 server, whose probe has the whole start deadline.
 */
import {
  type ClientOptions,
  ProtocolErrorCode,
  UnsupportedProtocolVersionError,
} from "@modelcontextprotocol/client";
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
  // A server known to speak 2026-07-28 is waited for (the connect's deadline): a short window
  // would send `initialize` to a slow start that then refuses it.
  const shortProbe = transport === "stdio" && known?.protocol_era !== "modern";
  return {
    ...DOWNSTREAM_CLIENT_OPTIONS,
    // The router bridges a 2026 server's input_required itself (see `bridge/bridging.ts`).
    inputRequired: { autoFulfill: false },
    versionNegotiation: {
      mode: "auto",
      ...(shortProbe ? { probe: { timeoutMs: STDIO_PROBE_TIMEOUT_MS } } : {}),
    },
  };
}

/** The first 2026-era protocol revision: date-named versions compare as strings. */
const MODERN_ERA_START = "2026-07-28";

/**
 * Whether `error` (or one of its causes) is a server refusing `initialize` because it serves only
 * 2026-07-28 or later: error -32022 whose `data.supported` lists no 2025-era version.
 * @param error what a failed connect threw, possibly wrapped (`cause` chain)
 */
export function refusesInitialize(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    const { code, data, cause } = e as { code?: unknown; data?: unknown; cause?: unknown };
    if (
      e instanceof UnsupportedProtocolVersionError ||
      code === ProtocolErrorCode.UnsupportedProtocolVersion
    ) {
      const supported = (data as { supported?: unknown } | undefined)?.supported;
      return Array.isArray(supported) && supported.length > 0 &&
        supported.every((v) => typeof v === "string" && v >= MODERN_ERA_START);
    }
    e = cause;
  }
  return false;
}
