/**
 * @module Capabilities that fit the cache: a catalogue is stored whole up to
 * {@linkcode MAX_CAPS_BYTES}; beyond that descriptions are shortened, then output schemas dropped,
 * then tools (and resources, prompts) cut from the end, so caching never fails on a server's data.
 * Calls still go to the live server, which knows every tool.
 */
import type { Capabilities } from "../schemas/server.ts";
import { truncateText } from "./kv_values.ts";

/** Largest catalogue kept, in bytes of its JSON as UTF-8 (about 140 KV chunks). */
export const MAX_CAPS_BYTES = 8 * 1024 * 1024;

const encoder = new TextEncoder();

/** The catalogue as UTF-8 JSON bytes. */
export function encodeCapabilities(caps: Capabilities): Uint8Array {
  return encoder.encode(JSON.stringify(caps));
}

/** Every `description` string in a JSON value, cut to `maxChars`. */
function shortenDescriptions(value: unknown, maxChars: number): unknown {
  if (Array.isArray(value)) return value.map((v) => shortenDescriptions(v, maxChars));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        k === "description" && typeof v === "string"
          ? truncateText(v, maxChars)
          : shortenDescriptions(v, maxChars),
      ]),
    );
  }
  return value;
}

/** The first `keep` entries of each list. */
function firstOf(caps: Capabilities, keep: number): Capabilities {
  return {
    ...caps,
    tools: caps.tools.slice(0, keep),
    resources: caps.resources.slice(0, keep),
    resource_templates: caps.resource_templates.slice(0, keep),
    prompts: caps.prompts.slice(0, keep),
  };
}

/** Keep the longest prefix of each list that fits (binary search on its length). */
function cutLists(caps: Capabilities, maxBytes: number): Capabilities {
  let fits = 0;
  let over = Math.max(
    caps.tools.length,
    caps.resources.length,
    caps.prompts.length,
    caps.resource_templates.length,
  ) + 1;
  while (over - fits > 1) {
    const mid = Math.floor((fits + over) / 2);
    if (encodeCapabilities(firstOf(caps, mid)).byteLength <= maxBytes) fits = mid;
    else over = mid;
  }
  return firstOf(caps, fits);
}

/**
 * The catalogue to cache, trimmed to `maxBytes` when it is larger.
 * @param caps the server's capabilities snapshot
 * @param maxBytes the most UTF-8 JSON bytes (default {@linkcode MAX_CAPS_BYTES})
 * @returns the bytes to store and, when trimmed, a note saying how
 */
export function fitCapabilities(
  caps: Capabilities,
  maxBytes: number = MAX_CAPS_BYTES,
): { bytes: Uint8Array; trimmed: string | null } {
  const whole = encodeCapabilities(caps);
  if (whole.byteLength <= maxBytes) return { bytes: whole, trimmed: null };
  const size = `${Math.ceil(whole.byteLength / 1024)} KiB`;
  for (const maxChars of [1000, 200, 64]) {
    const short = shortenDescriptions(caps, maxChars) as Capabilities;
    const bytes = encodeCapabilities(short);
    if (bytes.byteLength <= maxBytes) {
      return { bytes, trimmed: `catalogue of ${size}: descriptions cut to ${maxChars} characters` };
    }
  }
  const lean = shortenDescriptions({
    ...caps,
    tools: caps.tools.map(({ outputSchema: _o, ...t }) => t),
  }, 64) as Capabilities;
  const leanBytes = encodeCapabilities(lean);
  if (leanBytes.byteLength <= maxBytes) {
    return {
      bytes: leanBytes,
      trimmed: `catalogue of ${size}: descriptions and output schemas cut`,
    };
  }
  const cut = cutLists(lean, maxBytes);
  return {
    bytes: encodeCapabilities(cut),
    trimmed: `catalogue of ${size}: only the first ${cut.tools.length} of ${caps.tools.length} ` +
      `tools cached`,
  };
}
