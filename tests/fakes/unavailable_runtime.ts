/**
 * @module Degraded runtime for tests: a runtime facade whose Podman is absent. The UI, API and
 * analysis keep working; health says exactly what is missing.
 */
import { runtimeUnavailable } from "../../server/errors.ts";
import type { RuntimeFacade, RuntimeStatus } from "../../server/composition/contracts.ts";

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
