/**
 * @module The transport a launch line serves: from its arguments (`--transport sse`, a `http`
 * sub-command) or, when those say nothing, from its env (`MCP_TRANSPORT=http`).
 */
import type { Transport } from "../schemas/server.ts";

/**
 * The transport a launch's arguments select (`--transport=http`, `-t sse`, `server http`).
 * @param args the launch's arguments
 */
export function transportFromArgs(args: string[]): Transport {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = a.match(/^--?transport=(.*)$/);
    const v = eq ? eq[1] : /^(--?transport|-t)$/.test(a)
      ? args[i + 1]
      // `--server http`, `--mode sse`: only a transport's own name counts.
      : /^--(server|mode)$/.test(a) && /^(sse|https?|streamable[-_]?http)$/i.test(args[i + 1] ?? "")
      ? args[i + 1]
      // A transport sub-command (`server http --port 8080`, `server sse`).
      : /^(sse|http|streamable[-_]?http)$/i.test(a) && !(args[i - 1] ?? "").startsWith("-")
      ? a
      // A transport switch (`--http --port 8901`, `--sse`, `--streamable-http`).
      : /^--(sse|http|streamable[-_]?http)$/i.test(a)
      ? a.slice(2)
      : null;
    if (v) {
      if (/^sse$/i.test(v)) return "sse";
      if (/http/i.test(v)) return "http";
    }
  }
  return "stdio";
}

/**
 * The transport a launch's env selects (`MCP_TRANSPORT=http`, `TRANSPORT_TYPE=sse`); stdio else.
 * @param env the launch's env
 */
export function transportFromEnv(env: Record<string, string>): Transport {
  for (const [key, value] of Object.entries(env)) {
    if (!/TRANSPORT/i.test(key)) continue;
    if (/^sse$/i.test(value)) return "sse";
    if (/^(https?|streamable[-_]?http)$/i.test(value)) return "http";
  }
  return "stdio";
}

/** Flags of an HTTP listener, meaningless over stdio (`--port 8080`, `--host=0.0.0.0`). */
const LISTENER_FLAG_RE = /^--(port|host|bind|listen|hostname)(=|$)/;

/**
 * The stdio twin of a launch whose `--transport http|sse` flag the README also documents with
 * `stdio` (`--transport stdio` elsewhere): the same launch over stdio, its listener flags dropped.
 * @param args the launch's arguments
 * @param readme the README text
 * @returns the stdio arguments, or null when the README shows no stdio value for that flag
 */
export function stdioTwinArgs(args: string[], readme: string): string[] | null {
  const at = args.findIndex((a) => /^--transport(=|$)/.test(a));
  if (at < 0 || !/--transport[= ]["']?stdio\b/.test(readme)) return null;
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (i === at) {
      out.push(...(a.includes("=") ? ["--transport=stdio"] : ["--transport", "stdio"]));
      if (!a.includes("=")) i++;
    } else if (LISTENER_FLAG_RE.test(a)) {
      if (!a.includes("=")) i++;
    } else out.push(a);
  }
  return out;
}

const HTTP_DEFAULT_RE = [
  /--transport\b[^\n]*\bdefault\b[:\s]*["'`]?(http|sse|streamable)/i,
  /\b(http|sse|streamable[- ]http)\b[^.\n]{0,40}\bas the default\b/i,
  /\bdefault (transport|mode)\b[^.\n]{0,30}\b(is|:)\s*["'`]?(http|sse|streamable)/i,
  // "By default, this will: - Start an HTTP server on `localhost:8000`" (no stdio said between).
  /\bby default\b(?:(?!stdio)[^.;]){0,80}?\b(start|run|serve|launch|listen)s?\b(?:(?!stdio)[^.;]){0,30}?\b(http|sse|streamable)\b/i,
];

/** True when the README says the server defaults to an HTTP transport. */
export function defaultsToHttp(readme: string): boolean {
  return HTTP_DEFAULT_RE.some((re) => re.test(readme));
}
