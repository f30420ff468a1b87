/**
 * @module Health dot: a server's state — needs setup (a required env value missing: amber,
 * linking to its env form; a remote server waiting for an OAuth authorization: amber, linking
 * to its Authorize button), or the result of its last test (ok, failed, never tested).
 */
import type { Health } from "../../server/schemas/server.ts";

/** Props of {@linkcode HealthDot}. */
export interface HealthDotProps {
  /** The last test's result (null when never tested). */
  health: Health | null;
  /** Required env keys without a value or default: the server needs setup when any. */
  missing?: readonly string[];
  /** Where its env form is (the badge links there when it needs setup). */
  envHref?: string;
}

/** A coloured dot with a text label (colour is never the only signal). */
export function HealthDot({ health, missing = [], envHref }: HealthDotProps) {
  if (missing.length > 0) {
    const label = `Needs setup: set ${missing.join(", ")}`;
    const title = "not offered to MCP clients until these values are set";
    return envHref
      ? (
        <a class="dot dot-setup" href={envHref} title={title} data-status="needs_setup">
          <span class="dot-label">{label}</span>
        </a>
      )
      : (
        <span class="dot dot-setup" title={title} data-status="needs_setup">
          <span class="dot-label">{label}</span>
        </span>
      );
  }
  if (health?.needs_authorization) {
    const title = health.error ?? "the server signs users in with OAuth";
    return (
      <a
        class="dot dot-setup"
        href={envHref?.replace(/#env$/, "#authorization") ?? "#authorization"}
        title={title}
        data-status="needs_setup"
      >
        <span class="dot-label">Needs authorization</span>
      </a>
    );
  }
  if (!health) {
    return (
      <span class="dot dot-none" title="never tested" data-status="untested">
        <span class="dot-label">untested</span>
      </span>
    );
  }
  const when = health.checked_at.replace("T", " ").slice(0, 16);
  return health.ok
    ? (
      <span class="dot dot-ok" title={`last test ok at ${when}`} data-status="ok">
        <span class="dot-label">ok</span>
      </span>
    )
    : (
      <span
        class="dot dot-bad"
        title={`last test failed at ${when}: ${health.error ?? ""}`}
        data-status="failed"
      >
        <span class="dot-label">failed</span>
      </span>
    );
}
