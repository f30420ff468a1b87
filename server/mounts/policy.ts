/**
 * @module Mount policy: the router's settings as a {@linkcode MountPolicy} (roots from
 * `MCP_ROUTER_MOUNT_ROOTS`; the data dir and the Podman socket refused whatever the roots say),
 * and the save-time check every way of saving a plan runs (REST, admin UI, CLI). The same
 * policy is applied again at each launch (`server/mcp/downstream/open_container.ts`).
 */
import { dirname } from "node:path";
import {
  type MountPolicy,
  MountRefusedError,
  type MountRequest,
  type ResolvedMount,
  resolveMounts,
} from "../../runtime/mounts.ts";
import { AppError } from "../errors.ts";
import type { Settings } from "../settings.ts";

/** The setting that lists the host folders mounts may come from. */
export const MOUNT_ROOTS_SETTING = "MCP_ROUTER_MOUNT_ROOTS";

/**
 * The mount policy of these settings.
 * @param settings the router's settings (`mountRoots`, `dataDir`, `podmanSocket`)
 */
export async function mountPolicy(
  settings: Pick<Settings, "mountRoots" | "dataDir" | "podmanSocket">,
): Promise<MountPolicy> {
  const socket = await Deno.stat(settings.podmanSocket).catch(() => null);
  return {
    roots: settings.mountRoots,
    rootsSetting: MOUNT_ROOTS_SETTING,
    privatePaths: [
      { path: settings.dataDir, what: "the router's data dir" },
      { path: settings.podmanSocket, what: "the Podman socket" },
      { path: dirname(settings.podmanSocket), what: "the Podman socket's folder" },
    ],
    podmanUser: socket?.uid != null && socket.gid != null
      ? { uid: socket.uid, gid: socket.gid }
      : null,
  };
}

/**
 * Judge a plan's mounts as the launch will (sources resolved, roots, private paths, access).
 * @param settings the router's settings
 * @param plan the plan (or merged record) about to be saved
 * @returns the resolved mounts
 * @throws {AppError} 400 `validation_failed` naming the mount (`mounts.N.source`), the rule,
 *   and `MCP_ROUTER_MOUNT_ROOTS` when the roots decide
 */
export async function checkPlanMounts(
  settings: Pick<Settings, "mountRoots" | "dataDir" | "podmanSocket">,
  plan: { mounts?: readonly MountRequest[] | null },
): Promise<ResolvedMount[]> {
  const mounts = plan.mounts ?? [];
  if (mounts.length === 0) return [];
  try {
    return await resolveMounts(mounts, await mountPolicy(settings));
  } catch (error) {
    throw error instanceof MountRefusedError ? mountRefusal(error) : error;
  }
}

/**
 * A refused mount as the API's 400: `details` holds the field (`mounts.0.source`) and message,
 * like schema issues.
 * @param error the refusal
 */
export function mountRefusal(error: MountRefusedError): AppError {
  const path = ["mounts", String(error.where.index), error.where.field].filter(Boolean).join(".");
  return new AppError("validation_failed", 400, `${path}: ${error.message}`, {
    details: [{ path, message: error.message }],
    cause: error,
  });
}
