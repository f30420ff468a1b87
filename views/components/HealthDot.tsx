/**
 * @module Health dot: the result of a server's last test (ok, failed, never tested).
 */
import type { Health } from "../../server/schemas/server.ts";

/** A coloured dot with a text label (colour is never the only signal). */
export function HealthDot({ health }: { health: Health | null }) {
  if (!health) {
    return (
      <span class="dot dot-none" title="never tested">
        <span class="dot-label">untested</span>
      </span>
    );
  }
  const when = health.checked_at.replace("T", " ").slice(0, 16);
  return health.ok
    ? (
      <span class="dot dot-ok" title={`last test ok at ${when}`}>
        <span class="dot-label">ok</span>
      </span>
    )
    : (
      <span class="dot dot-bad" title={`last test failed at ${when}: ${health.error ?? ""}`}>
        <span class="dot-label">failed</span>
      </span>
    );
}
