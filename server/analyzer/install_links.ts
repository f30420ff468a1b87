/**
 * @module One-click install links of a README ("Add to Cursor", "Install in VS Code", LM Studio,
 * install-mcp badges): each carries a client's server entry — `command`/`args`/`env` or `url` —
 * as base64 or URL-encoded JSON. Decoded, they are config blocks like any other.
 */
import { shellWords } from "./shell_words.ts";

/** How the section of an install link's block ends (`… > Cursor install link`). */
const SECTION_MARK = " install link";

/** The section an install link of `client` gives its block, under the README's `section`. */
export function installLinkSection(section: string, client: string): string {
  return [section, `${client}${SECTION_MARK}`].filter(Boolean).join(" > ");
}

/** Whether a candidate (or block) comes from a one-click install link. */
export function fromInstallLink(c: { section: string }): boolean {
  return c.section.endsWith(SECTION_MARK);
}

/** A server entry decoded from one install link. */
export interface InstallLink {
  /** The client the link installs into (`Cursor`, `VS Code`, `LM Studio`, `install-mcp`). */
  client: string;
  /** The entry's name (the link's `name`), or `server`. */
  name: string;
  /** The entry: `command`, `args`, `env`, `url`, `type`… as the client reads them. */
  config: Record<string, unknown>;
}

const LINK_RE =
  /\b(?:cursor:\/\/anysphere\.cursor-deeplink\/mcp\/install|https?:\/\/(?:www\.)?cursor\.com\/(?:[a-z]{2}\/)?install-mcp|https?:\/\/lmstudio\.ai\/install-mcp|https?:\/\/adamjones\.me\/install-mcp\/?|https?:\/\/(?:www\.)?installthismcp\.com\/[^?\s)"'<>\]]*|vscode(?:-insiders)?:mcp\/install|https?:\/\/(?:insiders\.)?vscode\.dev\/redirect\/mcp\/install)\?[^\s)"'<>\]]+/g;

function clientOf(link: string): string {
  if (/cursor/i.test(link)) return "Cursor";
  if (/vscode/i.test(link)) return "VS Code";
  if (/lmstudio/i.test(link)) return "LM Studio";
  if (/installthismcp/i.test(link)) return "installthismcp";
  return "install-mcp";
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** JSON of an object, else null. */
function objectOf(text: string | null): Record<string, unknown> | null {
  if (!text || !/^\s*\{/.test(text)) return null;
  try {
    const v = JSON.parse(text);
    return v && typeof v === "object" && !Array.isArray(v) ? v as Record<string, unknown> : null;
  } catch {
    return null;
  }
}

/** A link's `config` value: base64 JSON (Cursor, LM Studio), maybe URL-encoded inside. */
function decodeConfig(raw: string): Record<string, unknown> | null {
  const plain = objectOf(safeDecode(raw));
  if (plain) return plain;
  let b64 = (safeDecode(raw) ?? raw).replace(/-/g, "+").replace(/_/g, "/");
  b64 += "=".repeat((4 - b64.length % 4) % 4);
  let text: string;
  try {
    text = new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
  return objectOf(text) ?? objectOf(/^%7B/i.test(text) ? safeDecode(text) : null);
}

/** `"command": "npx -y pkg"` with no `args`: Cursor's one-string form, split into words. */
function splitCommand(config: Record<string, unknown>): Record<string, unknown> {
  const { command, args } = config;
  if (typeof command !== "string" || !/\s/.test(command.trim()) || Array.isArray(args)) {
    return config;
  }
  const { words } = shellWords(command.trim());
  return { ...config, command: words[0], args: words.slice(1) };
}

/**
 * The install links of one README line, decoded; links whose payload is no JSON object (a
 * template such as `${encodeURIComponent(…)}`) are skipped.
 * @param line one line of README markdown
 */
export function installLinks(line: string): InstallLink[] {
  if (!/install/i.test(line)) return [];
  const out: InstallLink[] = [];
  for (const m of line.matchAll(LINK_RE)) {
    const link = m[0].replace(/&amp;/g, "&");
    const query = link.slice(link.indexOf("?") + 1);
    const client = clientOf(link);
    let name = "server";
    let config: Record<string, unknown> | null = null;
    if (/^vscode(?:-insiders)?:/.test(link)) {
      // `vscode:mcp/install?{…}`: the whole query is the entry, its name inside.
      config = objectOf(safeDecode(query));
      if (config && typeof config.name === "string") name = config.name;
    } else {
      const params = new URLSearchParams(query);
      name = params.get("name") ?? name;
      const raw = query.match(/(?:^|&)config=([^&]*)/)?.[1];
      config = raw ? decodeConfig(raw) : null;
      // `installthismcp.com/Name?url=https%3A%2F%2F…`: a hosted server's endpoint.
      const url = params.get("url");
      if (!config && url && /^https?:\/\//.test(url)) {
        config = { url };
        const path = safeDecode(link.slice(0, link.indexOf("?")).split("/").pop() ?? "");
        if (path && name === "server") name = path;
      }
    }
    if (!config) continue;
    const { name: _n, gallery: _g, ...entry } = config;
    if (typeof entry.command !== "string" && typeof entry.url !== "string") continue;
    out.push({ client, name: name.trim() || "server", config: splitCommand(entry) });
  }
  return out;
}
