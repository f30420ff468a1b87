/**
 * @module Verification kept on save: a plan saved as it was verified keeps what the launch found
 * — its capabilities (tools with their schemas) and its health — so a just-saved server is not
 * "untested". A plan whose launch was edited before saving keeps nothing (it was not verified).
 */
import { z } from "zod";
import { CapabilitiesSchema, type ServerRecord } from "../schemas/server.ts";
import type { CapabilityStore, ServerStore } from "../store/store.ts";
import { errorMessage } from "../errors.ts";
import { withoutLogsHint } from "../mcp/downstream/errors.ts";
import { createLogger } from "../../runtime/foundation/log.ts";

const logger = createLogger("verification");

/** The part of an analysis's `verification` report that is kept. */
const KeptReportSchema = z.object({
  ok: z.boolean(),
  error: z.string().nullish(),
  capabilities: CapabilitiesSchema.nullish(),
});

/** Plan fields that decide what is launched (an edit to one voids the verification). */
const LAUNCH_FIELDS = [
  "runtime",
  "package",
  "image",
  "install",
  "command",
  "args",
  "transport",
  "port",
  "path",
  "url",
  "headers",
  "build",
  "install_resolution",
] as const;

/** A field's value, with absent, null, "" and empty lists and objects alike. */
function comparable(value: unknown): unknown {
  if (value === undefined || value === null || value === "") return null;
  if (typeof value === "object" && Object.keys(value).length === 0) return null;
  return value;
}

/** The launch a plan describes, as a comparable string. */
function launchOf(plan: object): string {
  const fields = plan as Record<string, unknown>;
  return JSON.stringify(LAUNCH_FIELDS.map((k) => comparable(fields[k])));
}

/**
 * Store what an analysis's verification found for a server just saved from its plan: health
 * (ok, or failed with the cause) and, when it launched, the capabilities it listed. Nothing is
 * stored when there was no verification or the launch was edited; failures are logged, never
 * thrown (the server is saved either way).
 * @param store where capabilities and health go
 * @param saved the server as created
 * @param analyzed the plan the analysis returned (with its `verification` report)
 * @returns whether the verification was kept
 */
export async function keepVerification(
  store: Pick<CapabilityStore, "setCapabilities"> & Pick<ServerStore, "setHealth">,
  saved: ServerRecord,
  analyzed: Record<string, unknown> | null | undefined,
): Promise<boolean> {
  const report = KeptReportSchema.safeParse(analyzed?.verification);
  if (!analyzed || !report.success) return false;
  if (launchOf(saved) !== launchOf(analyzed)) return false;
  const { ok, error, capabilities } = report.data;
  const { id } = saved;
  try {
    if (ok && capabilities) await store.setCapabilities(id, capabilities);
    await store.setHealth(id, {
      ok,
      checked_at: new Date().toISOString(),
      // The verification's logs were the throw-away container's: no link to them.
      error: ok ? null : withoutLogsHint(error ?? "the verification launch failed"),
    });
    return true;
  } catch (e) {
    logger.warn("could not keep the verification", { server: id, error: errorMessage(e) });
    return false;
  }
}
