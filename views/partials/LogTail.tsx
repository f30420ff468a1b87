/**
 * @module Log tail: the last stderr lines of a server's containers; htmx refreshes it every
 * 2 seconds.
 */

/** The log lines only (what the polling request swaps in). */
export function LogLines({ lines }: { lines: string[] }) {
  return lines.length
    ? <pre class="logs">{lines.join("\n")}</pre>
    : <p class="muted small">No log lines yet. Logs appear once a container runs.</p>;
}

/** The polling log panel. */
export function LogTail({ serverId, lines }: { serverId: string; lines: string[] }) {
  const url = `/servers/${encodeURIComponent(serverId)}/logs`;
  return (
    <div id="log-tail" hx-get={url} hx-trigger="every 2s" hx-swap="innerHTML" aria-live="off">
      <LogLines lines={lines} />
    </div>
  );
}
