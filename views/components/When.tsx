/**
 * @module A point in time: `<time datetime>` reading `2026-12-01 14:05:12 UTC`; the page script
 * shows it in the browser's zone (with the zone named) and keeps the UTC text as its title.
 */
import { utcText } from "../activity_format.ts";

/** A time with its zone; `iso` is an ISO 8601 instant. */
export function When({ iso }: { iso: string }) {
  const text = utcText(iso);
  return <time datetime={iso} data-local="" title={text} class="nowrap">{text}</time>;
}
