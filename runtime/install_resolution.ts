/**
 * @module Install resolutions of uvx servers: a plan's `install_resolution` (`as-of YYYY-MM-DD`)
 * turned into uv's `UV_EXCLUDE_NEWER` cut-off, and the resolution named after a release's upload
 * time. Pure.
 */

const AS_OF_RE = /^as-of (\d{4}-\d{2}-\d{2})$/;

/**
 * The `as-of` resolution of a release uploaded at `uploadedAt` (its UTC date).
 * @example asOfResolution("2025-12-31T13:24:01.189Z") // "as-of 2025-12-31"
 */
export function asOfResolution(uploadedAt: string): string {
  const at = new Date(uploadedAt);
  if (Number.isNaN(at.getTime())) throw new RangeError(`not a timestamp: ${uploadedAt}`);
  return `as-of ${at.toISOString().slice(0, 10)}`;
}

/** The date of an `as-of` resolution, or null when it names none. */
export function asOfDate(resolution: string | null | undefined): string | null {
  return AS_OF_RE.exec(resolution ?? "")?.[1] ?? null;
}

/**
 * uv's `--exclude-newer` cut-off for a resolution: the end of its day in UTC (an RFC 3339
 * timestamp, never a bare date, which uv would read in the local time zone), so the release of
 * that day itself is included.
 * @returns the timestamp, or null for a fresh resolution
 */
export function excludeNewerOf(resolution: string | null | undefined): string | null {
  const date = asOfDate(resolution);
  if (!date) return null;
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().replace(".000Z", "Z");
}
