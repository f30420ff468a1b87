/**
 * @module Degraded runtime: used when Podman is absent or its socket does not answer. The UI,
 * API and analysis keep working; health says exactly what is missing.
 */
import { runtimeUnavailable } from "../errors.ts";
import type { RuntimeFacade, RuntimeStatus } from "../composition/contracts.ts";

/** The apt command users need when Podman is not installed. */
export const PODMAN_INSTALL_HINT =
  "install rootless Podman: `sudo apt-get install podman uidmap slirp4netns` (or run runtime/setup.sh), then `systemctl --user start podman.socket` or restart the router";

/** A runtime facade that reports why containers cannot run. */
export class UnavailableRuntime implements RuntimeFacade {
  /**
   * @param reason why the runtime is unavailable (shown in health and 503 errors)
   * @param installHint what to install, when Podman itself is missing
   */
  constructor(readonly reason: string, readonly installHint: string | null = null) {}

  /** Degraded status with the reason. */
  status(): Promise<RuntimeStatus> {
    return Promise.resolve({
      ok: false,
      reason: this.reason,
      version: null,
      limits: "unsupported: no container runtime",
      limitsInForce: [],
      images: {},
      installHint: this.installHint,
    });
  }

  /** Always 503. */
  test(): never {
    throw runtimeUnavailable(this.reason);
  }

  /** No logs without containers. */
  logs(): string[] {
    return [];
  }

  /** Nothing to remove. */
  removeServer(): Promise<void> {
    return Promise.resolve();
  }
}
