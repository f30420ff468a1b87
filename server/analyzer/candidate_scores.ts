/**
 * @module Scores of launch candidates: the repository's own package, a client-config block, a
 * Claude section, consensus between examples; penalties for dev, Windows, other clients'
 * sections, images where a package exists, and blocks of other servers.
 */
import { fromInstallLink } from "./install_links.ts";
import type { Candidate, Identity } from "./candidates.ts";
import { DEV_SECTION_RE } from "./sections.ts";
import { isPlaceholder } from "./env_names.ts";
import { sharesNoToken } from "./candidate_rules.ts";
import { lastSentence } from "./env_hints.ts";

function launchKey(c: Candidate): string {
  return JSON.stringify([c.runtime, c.package ?? c.url, c.args]);
}

/** Sections about upkeep of an install, not serving it. */
const UPKEEP_SECTION_RE =
  /\b(uninstall\w*|remov(e|al|ing)|updat(e|es|ing)|upgrad\w*|troubleshoot\w*|debug\w*)\b/i;

/** Sub-commands that manage an install or an account instead of serving. */
const MANAGEMENT_WORDS = new Set([
  "setup",
  "remove",
  "uninstall",
  "install",
  "update",
  "upgrade",
  "login",
  "logout",
  "auth",
  "init",
  "doctor",
  "version",
  "--version",
  "help",
  "--help",
]);

/** A launch whose last word after its package is a management sub-command. */
function managementCommand(c: Candidate): boolean {
  const pkg = c.package ?? c.image;
  const at = pkg ? c.args.findIndex((a) => a === pkg || a.startsWith(`${pkg}@`)) : -1;
  // An image's args are already what follows it (`docker run … IMAGE init`).
  const rest = c.runtime === "image" ? c.args : at >= 0 ? c.args.slice(at + 1) : [];
  return managesInstall(rest);
}

/**
 * Whether a launch's arguments after its package manage the install or an account (`setup`,
 * `login`, `--update`, `--help`) instead of serving.
 * @param rest the arguments after the package (or image)
 */
export function managesInstall(rest: readonly string[]): boolean {
  // (`… --setup`, `… --login`: the same words as flags run a wizard, not the server.)
  return rest.length > 0 &&
    (MANAGEMENT_WORDS.has(rest[0]) ||
      rest.some((a) =>
        /^--(setup|login|logout|init|configure|install|uninstall|update|upgrade|version|help|doctor|list(-[a-z-]+)?|(print|show)-config)$/
          .test(a)
      ));
}

/** An npm spec fetched from git (`github:o/r`, `git+https://…`), not the registry. */
const GIT_SPEC_RE = /^(github:|gitlab:|bitbucket:|git\+|git:|https?:)/;

/** Section headings about one particular non-Claude client: its block is that client's variant. */
const OTHER_CLIENT_RE =
  /\b(codex|cursor|vs ?code|visual studio code|windsurf|kiro|cline|roo ?code|zed|gemini|continue\.dev|copilot|goose|opencode|amp)\b/i;

/**
 * A development section — but not the "Development/Unpublished Servers Configuration" of the
 * Python server template (how a server not on PyPI runs from its checkout), nor a way
 * "Recommended for Development".
 */
function devSection(section: string): boolean {
  return DEV_SECTION_RE.test(
    section.replace(/\bdevelopment\/unpublished\b/gi, "unpublished")
      // "Option 1: uv (Recommended for Development)" is a way to run it, not how to develop it.
      .replace(/\brecommended for (local )?development\b/gi, "recommended")
      // "Installation > 1. From Source": a way to install, not how to develop it.
      .replace(
        /\b(install\w*|setup|getting started)( > [^>]*)?( > [^>]*\bfrom source\b)/gi,
        "$1$2",
      ),
  );
}

/** Score candidates in place (own package, client-config block, Claude section, consensus…). */
export function scoreCandidates(
  cands: Candidate[],
  id?: Identity,
  recommended: Set<Candidate["runtime"]> = new Set(),
): void {
  const counts = new Map<string, number>();
  // One-click install links repeat a client's entry, stdio twins an HTTP launch: they add no
  // weight of repetition.
  for (const c of cands) {
    if (fromInstallLink(c) || c.stdioTwin) continue;
    counts.set(launchKey(c), (counts.get(launchKey(c)) ?? 0) + 1);
  }
  const documented = (c: Candidate) =>
    (c.kind === "config_block" || c.kind === "shell") && !c.windowsWrapper &&
    !devSection(c.section) && !/windows/i.test(c.section);
  // A package the README documents beats any image (the image is an alternative).
  // Blocks of other servers copied into a README share no name with the repository.
  const named = (c: Candidate) => c.package ?? c.image;
  const foreign = (c: Candidate) => !!id && !!named(c) && sharesNoToken(named(c)!, id.tokens);
  // (A tool a shell line runs, e.g. `uvx pre-commit`, counts only when it is the repository's.)
  const packaged = cands.some((c) =>
    (c.runtime === "npx" || c.runtime === "uvx") && documented(c) &&
    !GIT_SPEC_RE.test(c.package ?? "") &&
    (c.kind === "config_block" || !foreign(c))
  );
  const kin = new Set(
    cands.filter((c) => named(c) && !foreign(c) && documented(c)).map((c) => c.runtime),
  );
  const readmeLaunches = cands.some((c) => documented(c) && c.kind === "config_block");
  // "Alternatively, set environment variables": the same package's launch with its settings in
  // `env` beats the one passing them as placeholder flags (`--username <your-username>`).
  const envTwin = (c: Candidate) =>
    placeholderFlags(c) > 0 &&
    cands.some((o) =>
      o !== c && o.runtime === c.runtime && o.package === c.package && o.kind === c.kind &&
      placeholderFlags(o) === 0 && Object.keys(o.env).length > 0
    );
  for (const c of cands) {
    let s = 0;
    // Sections about removing, updating or fixing an install, and management sub-commands
    // (`… remove`, `… setup`, `… login`), are not how the server is served.
    const upkeep = UPKEEP_SECTION_RE.test(c.section) || managementCommand(c);
    if (upkeep) s -= 40;
    // What the README recommends wins over the package-beats-image rule.
    const recommends = !upkeep && recommended.has(c.runtime) ||
      // "(Recommended)", not "recommended for self-hosting" (a recommendation within one way).
      ((/\brecommended\b(?!\s+(for|if|when)\b)/i.test(c.section) ||
        recommendedForThisWay(c)) &&
        !/\bnot recommended\b/i.test(c.section) &&
        // "Usage with Cursor > Option 2 (Recommended)" recommends within that client only,
        // "Docker > Shared server (recommended)" within that way.
        !OTHER_CLIENT_RE.test(c.section.replace(/\bclaude\b.*/i, "")) && !withinWay(c)) ||
      // A block introduced by "recommended:" / "(recommended)".
      (/(^|[^\w])\(?recommended\)?[^.!?]{0,40}:?\s*$/i.test(c.context) &&
        !/\bnot\s+recommended\b[^.!?]{0,40}$/i.test(c.context));
    if (packaged && c.runtime === "image" && !c.own && !recommends) s -= 40;
    if (recommends && documented(c)) s += 55;
    // A hosted endpoint is the plan when the README offers nothing else (or recommends it).
    if (c.runtime === "remote" && (kin.has("npx") || kin.has("uvx")) && !recommends) s -= 5;
    if (kin.has(c.runtime) && foreign(c) && !c.own) s -= 30;
    // A manifest alone (no README line runs it) only backs up what the README says.
    // One the README never shows published, beside a launch of the checkout: not runnable as is.
    // (`npx github:o/r`: a checkout fetched from git, no published package.)
    if (c.unpublished || (c.runtime === "npx" && GIT_SPEC_RE.test(c.package ?? ""))) s -= 30;
    else if (c.own) s += c.kind === "manifest" && readmeLaunches ? 10 : 50;
    if (c.kind === "config_block") {
      s += 20 + (c.container === "mcpServers" ? 5 : c.container === "servers" ? 2 : 0);
    } else if (c.kind === "shell") s += 5;
    else if (c.kind === "server_json") {
      s += 15;
      // A hosted endpoint only the registry entry names, beside the README's own client blocks.
      const inReadme = cands.some((d) => d.kind !== "server_json" && d.url === c.url);
      if (c.runtime === "remote" && readmeLaunches && !inReadme) s -= 40;
    } else s += 2;
    // A checkout binary only a manifest names (a Go module's), beside the README's own blocks.
    if (c.kind === "manifest" && c.runtime === "source" && readmeLaunches) s -= 25;
    // (Claude Code's `claude mcp add` line is another client's way; its config block is Claude's.)
    const claudeRe = c.kind === "shell" ? /claude(?![\s-]*code)/i : /claude/i;
    // (A client block written for Claude Desktop is the README's own answer for it.)
    // (Prose before a block in another client's section — "#### Cursor", "Usage with Windsurf >
    // Using Docker Image" right after the Claude section's "Add to `claude_desktop_config.json`:"
    // — speaks of the section before.)
    const otherClientHere = OTHER_CLIENT_RE.test(c.section);
    if (claudeRe.test(c.section) || (!otherClientHere && claudeRe.test(c.context))) {
      s += c.kind === "config_block" ? 35 : 15;
    } else if (OTHER_CLIENT_RE.test(c.section)) s -= 10;
    // Windows' variant: a `cmd /c` wrapper, a Windows section, or a Windows path as the command
    // (`C:\\…\\python.exe`).
    if (
      c.windowsWrapper || /windows/i.test(c.section) ||
      /^[A-Za-z]:\\|\.exe$/i.test(c.command ?? "")
    ) s -= 30;
    if (devSection(c.section)) s -= 25;
    // "Stdio support (fallback)", "If you are unable to use the remote MCP …": the other way wins.
    if (
      /\bfallback\b/i.test(c.section.split(" > ").at(-1) ?? "") ||
      /\bif you (are unable|can'?t|cannot) (to )?use the\b/i.test(c.context)
    ) s -= 30;
    if (c.args.some((a) => a.includes("${"))) s -= 10;
    // "Or with Docker:", "Alternatively, …": another way offered after the README's first one
    // (not the same package by another launcher: "Or using uv:").
    if (
      /^\W*(or|alternatively)\b/i.test(lastSentence(c.context)) &&
      !cands.some((o) =>
        o !== c && !!c.package && o.package === c.package && o.section === c.section
      )
    ) s -= 10;
    if (envTwin(c)) s -= 8;
    // `python -m pkg` read as the pip-installed package (`uvx --from PKG python -m …`) yields to a
    // launch the README writes with the package's own launcher.
    if (c.runtime === "uvx" && c.command === "uvx" && /^python3?$/.test(c.args[2] ?? "")) s -= 5;
    // (So do `python -m pkg` and the package's own script after `pip install PKG`, beside a
    // `uvx PKG` block of the README's.)
    if (
      c.runtime === "uvx" && !/^(uvx?|pipx)$/.test(c.command ?? "") &&
      cands.some((o) =>
        /^uvx?$/.test(o.command ?? "") && o.package === c.package && o.kind !== "manifest"
      )
    ) s -= 10;
    if (c.runtime !== "remote" && c.transport !== "stdio") s -= 15;
    // Separate programs per transport (`cmd/mcp-stdio/main.go` beside `cmd/mcp-http/…`).
    else if (
      c.runtime === "source" && c.args.some((a) => /\/.*stdio|stdio.*\//.test(a) && !/^-/.test(a))
    ) s += 3;
    if (c.runtime === "remote" && /[?&]/.test(c.url ?? "")) s -= 5;
    // Built from the checkout either way: a locally built image weighs like a source launch.
    if (c.runtime === "source" && !c.package) s -= 20;
    else if (c.builtLocally && !recommends) s -= 25;
    else if (c.kind === "prose") s -= 5;
    // A hosted endpoint Claude's own section adds as a custom connector is Claude's way.
    if (c.kind === "prose" && c.context === "claude connector") s += 55;
    if (c.inferred) s -= 25;
    // A one-click install link yields to the same client's entry written out.
    if (fromInstallLink(c)) s -= 6;
    if (c.kind === "prose" && c.context === "recommended endpoint" && recommends) s += 45;
    s += Math.min(12, 3 * ((counts.get(launchKey(c)) ?? 1) - 1));
    s -= (c.line ?? 0) / 100_000;
    c.score = s;
  }
}

/** The words a README uses for a candidate's way of running ("Recommended for npx"). */
const WAY_WORDS: Partial<Record<Candidate["runtime"], string>> = {
  npx: "npx|npm|node(\\.js)?",
  uvx: "uvx|uv|pip|python",
  image: "docker|podman|containers?",
};

/**
 * A section recommending its way for the candidate's own runtime or for Claude ("Method 2: Using
 * command-line arguments (Recommended for npx)", "Recommended for Claude Desktop", "for most
 * users"): the recommendation applies to this launch.
 */
function recommendedForThisWay(c: Candidate): boolean {
  const way = WAY_WORDS[c.runtime];
  const words = `claude(?![\\s-]*code)|most users${way ? `|${way}` : ""}`;
  return new RegExp(`\\brecommended\\s+for\\s+(${words})\\b`, "i").test(c.section);
}

/**
 * Whether a section's "(recommended)" sits below a heading naming the candidate's own way
 * ("Docker > Shared server (recommended)"): one variant of that way, not the way over others.
 */
function withinWay(c: Candidate): boolean {
  const way = WAY_WORDS[c.runtime];
  const heads = c.section.split(" > ");
  const at = heads.findIndex((h) => /\brecommended\b/i.test(h));
  return !!way && at > 0 &&
    heads.slice(0, at).some((h) => new RegExp(`^\\W*(${way})\\W*$`, "i").test(h.trim()));
}

/** How many `--flag VALUE` pairs of a launch carry a placeholder value (`<your-username>`, `xxxx`). */
function placeholderFlags(c: Candidate): number {
  let n = 0;
  for (let i = 0; i < c.args.length - 1; i++) {
    const v = c.args[i + 1];
    if (
      /^--?[a-z]/i.test(c.args[i]) && !v.startsWith("-") && (isPlaceholder(v) || /x{4}/i.test(v))
    ) n++;
  }
  return n;
}
