/**
 * @module Runtime banner: Podman health, its reason when degraded, the limits string and what is
 * in force instead.
 */
import type { RuntimeStatus } from "../../server/composition/contracts.ts";

/** Shows whether containers can run here. */
export function RuntimeBanner({ status }: { status: RuntimeStatus }) {
  if (status.ok) {
    return (
      <p class="banner banner-ok" role="status">
        <span class="dot dot-ok" aria-hidden="true"></span>
        <span>
          Podman {status.version ?? ""} ready · limits: <code>{status.limits}</code>
          {status.limitsInForce.length ? <>· in force: {status.limitsInForce.join(", ")}</> : null}
        </span>
      </p>
    );
  }
  return (
    <div class="banner banner-warn" role="status">
      <p>
        <strong>Container runtime degraded:</strong> {status.reason ?? "unknown reason"}
      </p>
      <p>
        Remote servers still work; others cannot be tested or launched. Limits:{" "}
        <code>{status.limits}</code>
      </p>
      {status.installHint ? <p class="hint">{status.installHint}</p> : null}
    </div>
  );
}
