/**
 * @module General rules that weigh launch candidates against each other: whether a package
 * belongs to the repository at all (a copied block of another server does not), which packages
 * the README installs globally (so a bare binary maps onto them), and hosted endpoints stated only
 * in prose.
 */
import type { ShellCommand } from "./shell_lines.ts";
import { imageBaseName, npmBaseName, pypiBaseName } from "./launch.ts";
import { unwrapClaudeMcpAdd } from "./client_add.ts";
import type { ReadmeBlock } from "./readme_blocks.ts";
import { configEntries } from "./config_entries.ts";
import { shellCommands } from "./shell_lines.ts";
import { DEV_SECTION_RE } from "./sections.ts";
import { type ManifestFacts, readManifests } from "./manifests.ts";

/** Words too common in MCP names to tell one server from another. */
const GENERIC_TOKENS = new Set([
  "mcp",
  "server",
  "servers",
  "model",
  "context",
  "protocol",
  "modelcontextprotocol",
  "the",
  "js",
  "ts",
  "py",
  "node",
  "python",
  "official",
  "cli",
  "tool",
  "tools",
  "api",
  "app",
  "src",
  "docker",
  "image",
  "latest",
  "io",
  "com",
  "ghcr",
]);

/** The distinctive lower-case words of a name (`@scope/mcp-server-foo` → scope, foo). */
export function distinctiveTokens(name: string): Set<string> {
  return new Set(
    name.toLowerCase().split(/[^a-z0-9]+/).filter((t) => t.length >= 2 && !GENERIC_TOKENS.has(t)),
  );
}

/**
 * Whether a package/image shares no distinctive word with the repository (owner, name, folder).
 * @param identity tokens of the repository (see {@linkcode distinctiveTokens})
 */
export function sharesNoToken(pkg: string, identity: Set<string>): boolean {
  const tokens = distinctiveTokens(pkg);
  if (!tokens.size || !identity.size) return false;
  for (const t of tokens) {
    if (identity.has(t)) return false;
    // Joined spellings: `dnstwist` vs `dns-twist`, `sonarqube` vs `sonar`.
    for (const i of identity) {
      if (i.length >= 4 && t.length >= 4 && (i.includes(t) || t.includes(i))) return false;
    }
  }
  return true;
}

/** Packages a README installs as tools (`npm install -g`, `pip install`, `uv tool install`…). */
export interface GlobalInstalls {
  npm: Set<string>;
  pypi: Set<string>;
  /** `go install MODULE@version`: binary name → module. */
  go?: Map<string, string>;
  /** `npm install -g .` / `npm link`: the checkout's own binaries, not a published package's. */
  npmCheckout?: boolean;
}

/**
 * The packages the README's shell lines install globally (dev sections left out).
 * @param shells shell lines from `shellCommands`
 * @param isDev whether a section is about developing the server
 */
export function globalInstalls(
  shells: ShellCommand[],
  isDev: (section: string) => boolean,
): GlobalInstalls {
  const out: GlobalInstalls = { npm: new Set(), pypi: new Set(), go: new Map() };
  for (const sh of shells) {
    if (isDev(sh.block.section)) continue;
    const w = sh.words;
    if (w[0] === "go" && w[1] === "install") {
      const mod = w.slice(2).find((x) => !x.startsWith("-"))?.replace(/@[^/]*$/, "");
      if (mod && mod.includes("/")) out.go!.set(mod.split("/").pop()!, mod);
      continue;
    }
    const after = (k: number) => w.slice(k).filter((x) => !x.startsWith("-") && x !== "global");
    const checkoutPath = (x: string) => /^\.{1,2}(\/|$)/.test(x);
    if (/^(npm|pnpm|yarn|bun)$/.test(w[0]) && w[1] === "link" && after(2).length === 0) {
      out.npmCheckout = true;
      continue;
    }
    const verb = w.findIndex((x) => /^(install|i|add)$/.test(x));
    if (verb < 0) continue;
    if (/^(npm|pnpm|yarn|bun)$/.test(w[0]) && w.some((x) => /^(-g|--global|global)$/.test(x))) {
      for (const p of after(verb + 1)) {
        if (checkoutPath(p)) out.npmCheckout = true;
        else out.npm.add(npmBaseName(p));
      }
      continue;
    }
    const pip = /^(pip3?|pipx)$/.test(w[0]) || (w[0] === "uv" && /^(tool|pip)$/.test(w[1])) ||
      (/^python3?$/.test(w[0]) && w[1] === "-m" && w[2] === "pip");
    if (!pip || w[verb] !== "install" || w.some((x) => /^(-r|-e|--editable)$/.test(x))) continue;
    after(verb + 1).filter((p) => /^[A-Za-z0-9]/.test(p) && !/^mcp(\[|$)/.test(p))
      .forEach((p) => out.pypi.add(pypiBaseName(p)));
  }
  return out;
}

const ENDPOINT_RE =
  /\bhttps:\/\/[A-Za-z0-9.-]+(?::\d+)?(?:\/[A-Za-z0-9._~%/-]*)?\/(?:mcp|sse)\/?(?=[\s`'")\]>.,;]|$)/g;
const ENDPOINT_CONTEXT_RE =
  /\b(mcp server|endpoint|hosted|remote|available at|server url|connect to|url)\b/i;

/**
 * Hosted MCP endpoints the README states only in prose or inline code (`…/mcp`, `…/sse`), when
 * the sentence says it is the server's endpoint.
 * @param text README markdown
 */
export function proseEndpoints(text: string): { url: string; line: number; section: string }[] {
  const out: { url: string; line: number; section: string }[] = [];
  const headings: string[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const h = line.match(/^(#{1,6})\s+(.*)$/);
    if (h) {
      headings.length = Math.min(headings.length, h[1].length - 1);
      headings[h[1].length - 1] = h[2].trim();
      return;
    }
    if (!ENDPOINT_CONTEXT_RE.test(line)) return;
    for (const m of line.matchAll(ENDPOINT_RE)) {
      const url = m[0];
      if (/(github\.com|localhost|127\.0\.0\.1|example\.com|docs\.)/i.test(url)) continue;
      // A markdown link's target (`[setup guides](https://x.com/mcp)`) is a web page.
      if (line.slice(Math.max(0, m.index! - 2), m.index!) === "](") continue;
      if (!out.some((o) => o.url === url)) {
        out.push({ url, line: i + 1, section: headings.filter(Boolean).join(" > ") });
      }
    }
  });
  return out;
}

/**
 * Hosted endpoints a Claude section adds as a custom connector ("Settings → Connectors → Add
 * custom connector", then "Enter `https://…/mcp`"): Claude Desktop's own way to reach a remote.
 * @param text README markdown
 */
export function claudeConnectorEndpoints(
  text: string,
): { url: string; line: number; section: string }[] {
  const out: { url: string; line: number; section: string }[] = [];
  const headings: string[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    const h = line.match(/^(#{1,6})\s+(.*)$/);
    if (h) {
      headings.length = Math.min(headings.length, h[1].length - 1);
      headings[h[1].length - 1] = h[2].trim();
      return;
    }
    const section = headings.filter(Boolean).join(" > ");
    // A Claude sub-section (the README's own title may name Claude for its plugin).
    if (!/claude/i.test(headings.slice(1).filter(Boolean).join(" "))) return;
    if (!/\bconnectors?\b/i.test(lines.slice(Math.max(0, i - 4), i + 1).join(" "))) return;
    for (const m of line.matchAll(ENDPOINT_RE)) {
      if (/(github\.com|localhost|127\.0\.0\.1|example\.com|docs\.)/i.test(m[0])) continue;
      if (line.slice(Math.max(0, m.index! - 2), m.index!) === "](") continue;
      if (!out.some((o) => o.url === m[0])) out.push({ url: m[0], line: i + 1, section });
    }
  });
  return out;
}

/**
 * The command of a `docker exec [-i|-t…] CONTAINER CMD…` attach (words after `docker`), or null.
 */
export function dockerExecCommand(args: string[]): string[] | null {
  if (args[0] !== "exec") return null;
  let i = 1;
  while (i < args.length && args[i].startsWith("-")) {
    if (/^(-e|--env|-w|--workdir|-u|--user)$/.test(args[i])) i++;
    i++;
  }
  const cmd = args.slice(i + 1);
  return cmd.length ? cmd : null;
}

/**
 * The command of a `docker compose [-f FILE] run [--rm -T …] SERVICE [CMD…]` launch (words after
 * `docker`; also `docker-compose`'s words): the service built from the checkout's Dockerfile,
 * running CMD (empty: the image's own). Null for anything else.
 */
export function dockerComposeRunCommand(args: string[]): string[] | null {
  if (args[0] !== "compose") return null;
  return composeRun(args.slice(1));
}

/** Where a compose sub-command starts, after global options (`-f FILE`, `-p NAME`). */
function composeVerbAt(words: string[]): number {
  let i = 0;
  while (i < words.length && words[i].startsWith("-")) {
    if (/^(-f|--file|-p|--project-name|--project-directory|--env-file|--profile)$/.test(words[i])) {
      i++;
    }
    i++;
  }
  return i;
}

/**
 * Whether `docker compose [-f FILE] up [-d] --build` (words after `docker`) builds the checkout's
 * image and serves it with the image's own command.
 */
export function composeUpBuilds(args: string[]): boolean {
  if (args[0] !== "compose") return false;
  const words = args.slice(1);
  const i = composeVerbAt(words);
  return words[i] === "up" && words.slice(i + 1).includes("--build");
}

function composeRun(words: string[]): string[] | null {
  let i = composeVerbAt(words);
  if (words[i] !== "run") return null;
  i++;
  while (i < words.length && words[i].startsWith("-")) {
    if (
      /^(-e|--env|-w|--workdir|-u|--user|-v|--volume|--name|--entrypoint|-p|--publish)$/.test(
        words[i],
      )
    ) i++;
    i++;
  }
  if (i >= words.length) return null;
  return words.slice(i + 1);
}

/** What a README runs in a container built from its own checkout, with the env it passes. */
export interface BuiltImageAttach {
  /** The command run in the image (empty: the image's own entrypoint). */
  command: string[];
  env: Record<string, string>;
  line: number;
  section: string;
  context: string;
}

/**
 * The command a README runs inside a container built from its own checkout (`docker exec -i NAME
 * CMD…` or `docker compose run SERVICE` in a config block, or a `claude mcp add` line): the same
 * server as the image built from the folder's Dockerfile.
 */
export function readmeBuiltImageAttach(blocks: ReadmeBlock[]): BuiltImageAttach | null {
  for (const e of configEntries(blocks).entries) {
    if (DEV_SECTION_RE.test(e.block.section)) continue;
    const cmd = e.command === "docker"
      ? dockerExecCommand(e.args) ?? dockerComposeRunCommand(e.args)
      : e.command === "docker-compose"
      ? composeRun(e.args)
      : null;
    if (cmd) {
      const { section, context } = e.block;
      return { command: cmd, env: { ...e.env }, line: e.line ?? e.block.line, section, context };
    }
  }
  for (const sh of shellCommands(blocks)) {
    if (DEV_SECTION_RE.test(sh.block.section)) continue;
    const inner = unwrapClaudeMcpAdd(sh.words);
    let words = inner ? [inner.command, ...inner.args] : sh.words;
    if (words.length === 1) words = words[0].split(/\s+/);
    // Only an attach added to a client: a bare `docker compose run` line may be a one-off task.
    const cmd = words[0] === "docker"
      ? dockerExecCommand(words.slice(1)) ??
        (inner ? dockerComposeRunCommand(words.slice(1)) : null)
      : null;
    if (cmd) {
      const { section, context, line } = sh.block;
      return { command: cmd, env: { ...sh.env, ...(inner?.env ?? {}) }, line, section, context };
    }
  }
  return null;
}

/** The manifests of sub-folders (`server/pyproject.toml` → dir `server`), one entry per folder. */
export function nestedManifests(
  files: Record<string, string>,
): { dir: string; facts: ManifestFacts }[] {
  const byDir = new Map<string, Record<string, string>>();
  for (const [path, text] of Object.entries(files)) {
    const cut = path.lastIndexOf("/");
    if (cut <= 0) continue;
    const dir = path.slice(0, cut);
    byDir.set(dir, { ...byDir.get(dir), [path.slice(cut + 1)]: text });
  }
  return [...byDir].map(([dir, f]) => ({ dir, facts: readManifests(f) }));
}

/**
 * A sentence telling the user to drop or avoid what it names (remove, uninstall, no longer, do not
 * install, avoid; 删除, 停用).
 */
export const DISCARDED_RE =
  /\b(remove|delete|disable|uninstall|deprecated|no longer|stop using|do not (install|use|run)|don'?t (install|use|run)|avoid)\b|删除|停用|移除|卸载|削除|無効/i;

/** Images the README builds itself (`docker build -t NAME .`): they need the checkout too. */
export function locallyBuiltImages(shells: ShellCommand[]): Set<string> {
  const out = new Set<string>();
  for (const sh of shells) {
    if (!/^(docker|podman)$/.test(sh.words[0] ?? "") || sh.words[1] !== "build") continue;
    const at = sh.words.findIndex((w) => w === "-t" || w === "--tag");
    const tag = at > 0 ? sh.words[at + 1] : sh.words.find((w) => /^--tag=/.test(w))?.slice(6);
    if (tag) out.add(imageBaseName(tag));
  }
  return out;
}

/**
 * Whether an image is built from the checkout: one the README builds (`locallyBuiltImages`), or a
 * name with no namespace (`mouser-mcp:latest`), which no registry publishes as an MCP server.
 */
export function isLocalBuild(image: string, built: ReadonlySet<string>): boolean {
  const name = imageBaseName(image);
  return built.has(name) || !name.includes("/");
}
