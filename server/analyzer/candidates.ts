/**
 * @module Launch candidates: every launch found in README config blocks, shell lines, server.json
 * and manifests, marked "own" when it runs the repository's own package, and scored.
 */
import type { ManifestFacts } from "./manifests.ts";
import type { ReadmeBlock } from "./readme_blocks.ts";
import { configEntries } from "./config_entries.ts";
import { shellCommands } from "./shell_lines.ts";
import {
  checkoutLaunch,
  imageBaseName,
  interpretLaunch,
  type Launch,
  npmBaseName,
  pypiBaseName,
} from "./launch.ts";
import { unwrapClaudeMcpAdd } from "./client_add.ts";
import { DEV_SECTION_RE } from "./env_vars.ts";
import {
  distinctiveTokens,
  type GlobalInstalls,
  globalInstalls,
  nestedManifests,
  proseEndpoints,
} from "./candidate_rules.ts";

/** A launch found somewhere, with where it came from and how much we trust it. */
export interface Candidate extends Launch {
  kind: "config_block" | "shell" | "server_json" | "manifest" | "prose";
  container: "mcpServers" | "servers" | "other" | null;
  file: string;
  line: number | undefined;
  section: string;
  context: string;
  /** The launch runs the repository's own package / image / binary. */
  own: boolean;
  install: string[];
  score: number;
}

/** Input of {@linkcode gatherEvidence}: what was read from the repository folder. */
export interface EvidenceInput {
  readme: { path: string; text: string } | null;
  files: Record<string, string>;
  repoName: string;
  subpath: string | null;
  /** Repository owner (weighs packages named after someone else's project). */
  owner?: string;
}

/** The heuristic plan fields (no name/description: the caller adds those). */
/** README name used when the snapshot has none. */
export const README_FILE = "README.md";

/** The repository's own npm/PyPI/image names and binaries. */
export function ownIdentity(facts: ManifestFacts, input: EvidenceInput) {
  const npm = new Set<string>();
  const pypi = new Set<string>();
  const images = new Set<string>();
  const bins = new Set<string>();
  if (facts.npm) {
    npm.add(facts.npm.name);
    facts.npm.bins.forEach((b) => bins.add(b));
  }
  if (facts.python) {
    pypi.add(pypiBaseName(facts.python.name));
    facts.python.scripts.forEach((s) => bins.add(s));
  }
  for (const p of facts.serverJson?.packages ?? []) {
    if (p.registry === "npm") npm.add(p.identifier);
    if (p.registry === "pypi") pypi.add(pypiBaseName(p.identifier));
    if (p.registry === "oci") images.add(imageBaseName(p.identifier));
  }
  if (facts.goModule) bins.add(facts.goModule.split("/").pop()!);
  /** Scripts of sub-folder Python manifests → their folder. */
  const nestedScripts = new Map<string, string>();
  for (const { dir, facts: sub } of nestedManifests(input.files)) {
    if (sub.npm) npm.add(sub.npm.name);
    if (sub.python) {
      pypi.add(pypiBaseName(sub.python.name));
      sub.python.scripts.forEach((s) => nestedScripts.set(s, dir));
    }
  }
  bins.add(input.repoName);
  if (input.subpath) bins.add(input.subpath.split("/").pop()!);
  const tokens = distinctiveTokens(
    [input.owner ?? "", input.repoName, input.subpath ?? "", ...npm, ...pypi, ...images].join(" "),
  );
  return { npm, pypi, images, bins, tokens, nestedScripts };
}

/** Result of {@linkcode ownIdentity}. */
export type Identity = ReturnType<typeof ownIdentity>;

function isOwn(l: Launch, id: Identity): boolean {
  if (l.runtime === "npx") return id.npm.has(npmBaseName(l.package ?? ""));
  if (l.runtime === "uvx") return id.pypi.has(pypiBaseName(l.package ?? ""));
  if (l.runtime === "image") return id.images.has(imageBaseName(l.image ?? ""));
  // `uv --directory …/DIR run SCRIPT`: the script of this repository's sub-folder manifest.
  if (l.runtime === "source" && l.command === "uv") {
    const dir = id.nestedScripts.get(l.args[l.args.indexOf("run") + 1] ?? "");
    const at = l.args.indexOf("--directory");
    return !!dir && at >= 0 && (l.args[at + 1] ?? "").replace(/\/+$/, "").endsWith(`/${dir}`);
  }
  return false;
}

/** Map a bare binary onto the package that provides it (npm bin, Python script, Go module). */
function resolveBinary(
  l: Launch,
  facts: ManifestFacts,
  id: Identity,
  installed?: GlobalInstalls,
): Launch {
  if (l.runtime !== "source" || !l.command) return l;
  const bin = l.command.split(/[\\/]/).pop()!;
  if (l.command.includes("/") || l.command.includes("\\")) return l;
  // `npm install -g PKG` / `pip install PKG`, then a config block running PKG's binary.
  const npmPkg = [...installed?.npm ?? []].find((p) => p.replace(/^@[^/]+\//, "") === bin);
  if (npmPkg && !facts.npm) {
    return {
      ...l,
      runtime: "npx",
      command: "npx",
      package: npmPkg,
      args: ["-y", npmPkg, ...l.args],
    };
  }
  if (installed?.pypi.has(pypiBaseName(bin)) && !facts.python) {
    return { ...l, runtime: "uvx", command: "uvx", package: bin, args: [bin, ...l.args] };
  }
  // `uv tool install swiss-weather-mcp`, then `swiss-weather-mcp-server`: the one installed
  // package whose name starts the binary's provides it (`uvx --from PKG BIN`).
  const norm = (s: string) => s.toLowerCase().replace(/[-_.]+/g, "-");
  const provider = /^[a-z][a-z0-9._-]*$/.test(bin)
    ? [...installed?.pypi ?? []].filter((p) => norm(bin).startsWith(`${norm(p)}-`))
    : [];
  if (provider.length === 1 && !facts.python) {
    const pkg = provider[0];
    return {
      ...l,
      runtime: "uvx",
      command: "uvx",
      package: pkg,
      args: ["--from", pkg, bin, ...l.args],
    };
  }
  if (facts.npm && facts.npm.bins.includes(bin) && !facts.npm.private) {
    const single = facts.npm.bins.length === 1;
    return {
      ...l,
      runtime: "npx",
      command: "npx",
      package: facts.npm.name,
      args: single
        ? ["-y", facts.npm.name, ...l.args]
        : ["-y", "--package", facts.npm.name, bin, ...l.args],
    };
  }
  if (facts.python && facts.python.scripts.includes(bin)) {
    const same = pypiBaseName(bin) === pypiBaseName(facts.python.name);
    return {
      ...l,
      runtime: "uvx",
      command: "uvx",
      package: facts.python.name,
      args: same ? [bin, ...l.args] : ["--from", facts.python.name, bin, ...l.args],
    };
  }
  if (facts.goModule && id.bins.has(bin)) {
    return { ...l, package: facts.goModule };
  }
  // `go install github.com/x/mcp-x@latest`, then a block running `mcp-x`.
  const goModule = installed?.go?.get(bin);
  if (goModule) return { ...l, package: goModule };
  return l;
}

/** Scripts that build or set up a checkout, never the server itself. */
const BUILD_SCRIPT_RE =
  /(^|\/)(build|install|setup|bootstrap|deploy|test|lint|configure)[\w-]*\.sh$/i;

/** Endpoints on the user's own machine or a placeholder host: what a self-hosted launch serves. */
export const LOCAL_HOST_RE =
  /^https?:\/\/(localhost|127\.|0\.0\.0\.0|\[::1\]|host\.docker\.internal|(host|server|machine|docker)[-_]?(ip|address|host)\b|ip[-_]?address\b|hostname\b|your[-_.]|my[-_]?server\b|<|\{|\$\{?[A-Za-z_]|([\w-]+\.)*[\w]+-name\.|([\w-]+\.)*example\.(com|org|net)\b)/i;

/** Every launch the README, server.json and manifests describe, as unscored candidates. */
export function collectCandidates(
  blocks: ReadmeBlock[],
  facts: ManifestFacts,
  id: Identity,
  input: EvidenceInput,
): Candidate[] {
  const readmeFile = input.readme?.path ?? README_FILE;
  const out: Candidate[] = [];
  const shells = shellCommands(blocks);
  const installed = globalInstalls(shells, (section) => DEV_SECTION_RE.test(section));
  const add = (
    l: Launch | null,
    meta: Omit<Candidate, keyof Launch | "own" | "score" | "install">,
  ) => {
    if (!l) return;
    if (l.runtime === "remote" && LOCAL_HOST_RE.test(l.url ?? "")) return;
    const resolved = resolveBinary(l, facts, id, installed);
    const own = isOwn(resolved, id) || (resolved.runtime === "source" && !!resolved.package) ||
      (meta.kind === "server_json");
    out.push({ ...resolved, ...meta, own, install: [], score: 0 });
  };

  const { entries } = configEntries(blocks);
  for (const e of entries) {
    const env = { ...e.env };
    for (const v of Object.values(e.headers)) {
      const m = v.match(/\$\{?([A-Z][A-Z0-9_]{2,})\}?/);
      if (m) env[m[1]] = "";
    }
    const launch = interpretLaunch(e.command, e.args, {
      env,
      url: e.url,
      type: e.type,
      verbatim: true,
    }) ?? (e.command ? checkoutLaunch(e.command, e.args) : null);
    if (launch && !Object.keys(launch.env).length) launch.env = env;
    if (launch && launch.runtime === "remote" && Object.keys(e.headers).length) {
      launch.headers = headerTemplates(e.headers);
    } else if (launch?.runtime === "remote" && launch.headers) {
      launch.headers = headerTemplates(launch.headers);
    }
    add(launch, {
      kind: "config_block",
      container: e.container,
      file: readmeFile,
      line: e.line,
      section: e.block.section,
      context: e.block.context,
    });
  }

  for (const sh of shells) {
    let words = sh.words;
    let env = sh.env;
    const meta = {
      kind: "shell" as const,
      container: null,
      file: readmeFile,
      line: sh.line,
      section: sh.block.section,
      context: sh.block.context,
    };
    const unwrapped = unwrapClaudeMcpAdd(words);
    if (unwrapped && /^https?:\/\//i.test(unwrapped.command)) {
      // `claude mcp add -t http NAME URL [-H …]`: a hosted server.
      const type = /sse/i.test(unwrapped.transport ?? "") ? "sse" : "http";
      const remote = interpretLaunch(null, [], { url: unwrapped.command, type });
      if (remote && Object.keys(unwrapped.headers).length) {
        remote.headers = headerTemplates(unwrapped.headers);
        for (const v of Object.values(unwrapped.headers)) {
          const m = v.match(/\$\{?([A-Z][A-Z0-9_]{2,})\}?/);
          if (m) remote.env[m[1]] = "";
        }
      }
      add(remote, meta);
      continue;
    }
    if (unwrapped) {
      words = [unwrapped.command, ...unwrapped.args];
      env = { ...env, ...unwrapped.env };
    }
    if (words.length === 1 && words[0].includes(" ")) words = words[0].split(/\s+/);
    const l = interpretLaunch(words[0], words.slice(1), { env });
    if (!l) {
      // A clone's own launch written as a shell line (`uv run mcp run server.py -t stdio`), as
      // config blocks are read.
      const local = DEV_SECTION_RE.test(sh.block.section) ||
          (sh.block.kind === "inline" && !/^(python3?|node|uv|deno|bun)$/.test(words[0]))
        ? null
        : checkoutLaunch(words[0], words.slice(1));
      if (local) add({ ...local, env }, meta);
      continue;
    }
    if (l.runtime === "remote") continue;
    const resolved = resolveBinary(l, facts, id, installed);
    // A word in inline code (`semgrep_scan` in a tool list) is no launch of an installed package.
    if (sh.block.kind === "inline" && resolved !== l && !isOwn(resolved, id)) continue;
    // Bare binaries only count when they belong to the repository (mapped above); a checkout's
    // own scripts and built binaries (`python server.py`, `./bin/server`) run from source.
    if (resolved.runtime === "source" && !resolved.package) {
      // The repository's own binary run bare (`gatus-mcp-rs stdio`) after a build the README
      // places (`target/release/gatus-mcp-rs`): run the built path from a checkout.
      const built = sh.block.kind !== "inline" && id.bins.has(words[0])
        ? builtBinaryPath(input.readme?.text ?? "", words[0])
        : null;
      if (built && !DEV_SECTION_RE.test(sh.block.section)) {
        add({ ...resolved, command: built, env }, meta);
        continue;
      }
      const skip = DEV_SECTION_RE.test(sh.block.section) || BUILD_SCRIPT_RE.test(words[0]) ||
        (sh.block.kind === "inline" && !/^(python3?|node|uv|deno|bun)$/.test(words[0]));
      const local = skip ? null : checkoutLaunch(words[0], words.slice(1));
      if (local) add({ ...local, env }, meta);
      continue;
    }
    add(l, meta);
  }

  for (const p of facts.serverJson?.packages ?? []) {
    const env = Object.fromEntries(p.env.map((e) => [e.name, ""]));
    const meta = {
      kind: "server_json" as const,
      container: null,
      file: "server.json",
      line: undefined,
      section: "",
      context: "",
    };
    const spec = p.version && p.registry !== "oci" ? p.identifier : p.identifier;
    if (p.registry === "npm") add(interpretLaunch("npx", ["-y", spec], { env }), meta);
    else if (p.registry === "pypi") add(interpretLaunch("uvx", [spec], { env }), meta);
    else if (p.registry === "oci") {
      add(interpretLaunch("docker", ["run", "-i", "--rm", spec], { env }), meta);
    }
  }
  for (const r of facts.serverJson?.remotes ?? []) {
    add(
      interpretLaunch(null, [], { url: r.url, type: r.transport.includes("sse") ? "sse" : "http" }),
      {
        kind: "server_json",
        container: null,
        file: "server.json",
        line: undefined,
        section: "",
        context: "",
      },
    );
  }

  const manifestMeta = (file: string) => ({
    kind: "manifest" as const,
    container: null,
    file,
    line: undefined,
    section: "",
    context: "",
  });
  if (facts.npm && facts.npm.bins.length && !facts.npm.private) {
    add(interpretLaunch("npx", ["-y", facts.npm.name]), manifestMeta("package.json"));
  }
  if (facts.python && facts.python.scripts.length) {
    const script = facts.python.scripts.find((s) =>
      pypiBaseName(s) === pypiBaseName(facts.python!.name)
    );
    const args = script ? [script] : ["--from", facts.python.name, facts.python.scripts[0]];
    add(interpretLaunch("uvx", args), manifestMeta("pyproject.toml"));
  }
  if (facts.goModule) {
    const bin = facts.goModule.split("/").pop()!;
    add(interpretLaunch(bin, []), manifestMeta("go.mod"));
  }
  if (!out.length) {
    // The server lives in a sub-folder with its own manifest: run its script from the checkout.
    for (const { dir, facts: sub } of nestedManifests(input.files)) {
      const script = sub.python?.scripts[0];
      if (!script) continue;
      add(
        checkoutLaunch("uv", ["--directory", dir, "run", script]),
        manifestMeta(`${dir}/pyproject.toml`),
      );
    }
  }
  if (!out.length && input.readme) {
    // Nothing to launch, but the README names its hosted endpoint in a sentence.
    for (const e of proseEndpoints(input.readme.text)) {
      const type = /\/sse\/?$/.test(e.url) ? "sse" : "http";
      add(interpretLaunch(null, [], { url: e.url, type }), {
        kind: "prose",
        container: null,
        file: readmeFile,
        line: e.line,
        section: e.section,
        context: "",
      });
    }
  }
  if (!out.length) {
    // Nothing to launch, but the README installs the repository's own binary (`brew install
    // tap/NAME`, `cargo install NAME`, a release `NAME-installer.sh | sh`): run it by name.
    for (const sh of shells) {
      if (DEV_SECTION_RE.test(sh.block.section) || sh.block.kind === "inline") continue;
      const bin = installedBinary(sh.words, sh.raw, id.bins);
      if (!bin) continue;
      const l = interpretLaunch(bin, []);
      if (l) {
        add(l, {
          kind: "prose",
          container: null,
          file: readmeFile,
          line: sh.line,
          section: sh.block.section,
          context: "",
        });
        // The install line is the plan's install step.
        if (out.length) out[out.length - 1].install = [sh.raw];
      }
      break;
    }
  }
  return out;
}

/** The repository binary an install line puts on PATH, if it is one of `bins`. */
function installedBinary(words: string[], raw: string, bins: Set<string>): string | null {
  const name = words[0] === "brew" && words[1] === "install"
    ? words.slice(2).find((w) => !w.startsWith("-"))?.split("/").pop()
    : words[0] === "cargo" && words[1] === "install"
    ? words.slice(2).find((w) => !w.startsWith("-"))
    : raw.match(/\/([\w.-]+?)-installer\.sh\b[^|]*\|\s*(ba)?sh\b/)?.[1];
  return name && bins.has(name) ? name : null;
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

/** Where a README says a build puts a binary (`target/release/NAME`, `./bin/NAME`), if it does. */
function builtBinaryPath(text: string, name: string): string | null {
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = text.match(
    new RegExp(`\`((?:\\.{1,2}/)?(?:[\\w.-]+/)*(?:target/release|bin|build|dist)/${esc})\``),
  );
  return m ? m[1] : null;
}
