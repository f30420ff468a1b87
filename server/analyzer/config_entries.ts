/**
 * @module Client-config entries: the server entries (`mcpServers`, `servers`, `mcp.servers`, bare
 * entries) and `"env"` fragments of a README's JSON-ish blocks.
 */
import { parseJsonish } from "./jsonish.ts";
import type { ReadmeBlock } from "./readme_blocks.ts";

/** A server entry found in a client-config JSON block. */
export interface ConfigEntry {
  name: string;
  command: string | null;
  args: string[];
  env: Record<string, string>;
  url: string | null;
  type: string | null;
  headers: Record<string, string>;
  /** Which client-config shape held the entry. */
  container: "mcpServers" | "servers" | "other";
  block: ReadmeBlock;
  line: number;
}

/** An `"env": {…}` fragment with no command (e.g. "add this to your configuration"). */
export interface EnvFragment {
  env: Record<string, string>;
  block: ReadmeBlock;
}

function asRecordOfStrings(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (v && typeof v === "object" && !Array.isArray(v)) {
    for (const [k, val] of Object.entries(v)) {
      if (typeof val === "string" || typeof val === "number" || typeof val === "boolean") {
        out[k] = String(val);
      }
    }
  }
  return out;
}

function lineOf(block: ReadmeBlock, needle: string): number {
  const idx = block.text.indexOf(needle);
  if (idx < 0) return block.line;
  return block.line + block.text.slice(0, idx).split("\n").length - 1;
}

/**
 * Extract server entries and env fragments from JSON-ish README blocks.
 * @param blocks blocks from `readmeBlocks`
 */
export function configEntries(blocks: ReadmeBlock[]): {
  entries: ConfigEntry[];
  fragments: EnvFragment[];
} {
  const entries: ConfigEntry[] = [];
  const fragments: EnvFragment[] = [];
  for (const block of blocks) {
    if (block.kind === "inline") continue;
    const parsed = parseJsonish(block.text);
    if (parsed === undefined || typeof parsed !== "object" || parsed === null) continue;
    const walk = (value: unknown, path: string[], depth: number) => {
      if (depth > 8 || !value || typeof value !== "object" || Array.isArray(value)) return;
      const obj = value as Record<string, unknown>;
      const command = typeof obj.command === "string" ? obj.command : null;
      const url = typeof obj.url === "string"
        ? obj.url
        : typeof obj.serverUrl === "string"
        ? obj.serverUrl
        : null;
      // A tool call's arguments (`{"name": "summarize", "arguments": {"url": …}}`) or a JSON-RPC
      // request's params name no server.
      const inCall = path.some((p) => /^(arguments|params|input|parameters)$/i.test(p));
      if ((command || url) && !inCall) {
        const name = path[path.length - 1] ?? "";
        const joined = path.join(".").toLowerCase();
        const container = /mcpservers|mcp_servers/.test(joined)
          ? "mcpServers"
          : /servers/.test(joined)
          ? "servers"
          : "other";
        entries.push({
          name,
          command,
          args: Array.isArray(obj.args) ? obj.args.flatMap((a) => splitFlagValue(String(a))) : [],
          env: asRecordOfStrings(obj.env),
          url,
          type: typeof obj.type === "string"
            ? obj.type
            : typeof obj.transport === "string"
            ? obj.transport
            : null,
          headers: url && !command ? remoteHeaders(obj) : asRecordOfStrings(obj.headers),
          container,
          block,
          line: lineOf(block, command ? `"command"` : `"url"`),
        });
        return;
      }
      if (path.length === 0 && obj.env && typeof obj.env === "object") {
        const env = asRecordOfStrings(obj.env);
        if (Object.keys(env).length) fragments.push({ env, block });
      }
      for (const [k, v] of Object.entries(obj)) walk(v, [...path, k], depth + 1);
    };
    walk(parsed, [], 0);
  }
  return { entries, fragments };
}

/** A credential field some clients take beside `url` (`"apiKey": "YOUR_WANDB_API_KEY"`). */
const KEY_FIELD_RE = /^(api[_-]?key|token|bearer[_-]?token|access[_-]?token)$/i;

/**
 * A hosted entry's headers, its placeholders named (`Bearer YOUR_WANDB_API_KEY` →
 * `Bearer ${WANDB_API_KEY}`, VS Code's `${input:x-api-key}` → `${X_API_KEY}`), and an `apiKey` field
 * sent as the bearer token it stands for.
 */
function remoteHeaders(obj: Record<string, unknown>): Record<string, string> {
  const headers = asRecordOfStrings(obj.headers);
  const field = Object.entries(obj).find(([k, v]) => KEY_FIELD_RE.test(k) && typeof v === "string");
  if (field && !Object.keys(headers).some((h) => /^authorization$/i.test(h))) {
    headers.Authorization = `Bearer ${field[1]}`;
  }
  for (const [name, value] of Object.entries(headers)) {
    headers[name] = value.replace(/<?\bYOUR_([A-Z][A-Z0-9_]{2,})\b>?/g, "${$1}")
      // VS Code's prompt `${input:postman-api-key}` stands for POSTMAN_API_KEY.
      .replace(
        /\$\{input:([\w.-]{3,})\}/g,
        (_m, id: string) => `\${${id.toUpperCase().replace(/[-.]/g, "_")}}`,
      );
  }
  return headers;
}

/**
 * Normalize README header values to `${VAR}` templates: `Bearer <$KEY>`, `Bearer $KEY` and
 * `Bearer ${KEY}` all become `Bearer ${KEY}`; literal values are kept.
 */
export function headerTemplates(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!/^[A-Za-z0-9-]{1,100}$/.test(name)) continue;
    out[name] = value.replace(/<?\$\{?([A-Z][A-Z0-9_]{2,})\}?>?/g, "${$1}").slice(0, 4000);
  }
  return out;
}

/**
 * `"--allowed-directories /tmp"` written as one array element: the flag and its value, as the
 * server's option parser needs them (a value with more spaces, or quotes, stays one argument).
 */
function splitFlagValue(arg: string): string[] {
  const m = arg.match(/^(--?[A-Za-z][\w-]*) ([^\s"']+)$/);
  return m ? [m[1], m[2]] : [arg];
}
