/**
 * @module What belongs to the analysed repository: its own npm/PyPI/image names and binaries,
 * whether a launch runs them, and the package or path behind a bare binary (installed globally,
 * declared in a manifest, put on PATH by an installer, or built to a path the README names).
 */
import type { ManifestFacts } from "./manifests.ts";
import { imageBaseName, type Launch, npmBaseName, pypiBaseName } from "./launch.ts";
import { distinctiveTokens, type GlobalInstalls, nestedManifests } from "./candidate_rules.ts";

/** Input of {@linkcode gatherEvidence}: what was read from the repository folder. */
export interface EvidenceInput {
  readme: { path: string; text: string } | null;
  files: Record<string, string>;
  repoName: string;
  subpath: string | null;
  /** Repository owner (weighs packages named after someone else's project). */
  owner?: string;
  /**
   * The registry package the user chose (`uvx:NAME`): the README's best stdio launch of it is
   * the plan, even where the README recommends its hosted endpoint.
   */
  launches?: { runtime: "npx" | "uvx"; package: string };
}

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
  // Whether the README names the package.json's package itself (an install line, a badge).
  const text = input.readme?.text ?? "";
  const npmNamed = !!facts.npm &&
    (text.includes(facts.npm.name) || text.includes(encodeURIComponent(facts.npm.name)));
  return { npm, pypi, images, bins, tokens, nestedScripts, npmNamed };
}

/** Result of {@linkcode ownIdentity}. */
export type Identity = ReturnType<typeof ownIdentity>;

/** Whether a launch runs the repository's own package, image or sub-folder script. */
export function isOwn(l: Launch, id: Identity): boolean {
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

/** Launchers and package managers a README installs before running the server with them. */
const TOOLCHAIN_RE =
  /^(uv|uvx|pip3?|pipx|poetry|pdm|hatch|rye|npm|npx|pnpm|yarn|bun|bunx|deno|node|python3?)$/;

/** A bare binary mapped to the package that provides it (installed globally, own manifest, go install). */
export function resolveBinary(
  l: Launch,
  facts: ManifestFacts,
  id: Identity,
  installed?: GlobalInstalls,
): Launch {
  const rescoped = id.npmNamed ? ownScope(l, facts) : null;
  if (rescoped) return rescoped;
  if (l.runtime !== "source" || !l.command) return l;
  const fromModule = moduleOfInstalled(l, installed);
  if (fromModule) return fromModule;
  const bin = l.command.split(/[\\/]/).pop()!;
  // `pip install uv`, `npm install -g pnpm`: the toolchain, never the server's package.
  if (TOOLCHAIN_RE.test(bin)) return l;
  if (l.command.includes("/") || l.command.includes("\\")) {
    // `/Users/me/go/bin/mcp-x`: this repository's binary where `go install` puts it.
    const goBin = /(^|[\\/])go[\\/]bin[\\/]|\$\{?GOPATH\}?[\\/]bin[\\/]/.test(l.command);
    const module = !goBin
      ? undefined
      : facts.goModule && id.bins.has(bin)
      ? facts.goModule
      : installed?.go?.get(bin);
    return module ? { ...l, package: module } : l;
  }
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
  // `npm install -g @scope/slack-mcp-server`, then `slack-mcp`: the one installed package whose
  // name starts with the binary's provides it.
  const npmProvider = /^[a-z][a-z0-9._-]*$/.test(bin) && !facts.npm
    ? [...installed?.npm ?? []].filter((p) => p.replace(/^@[^/]+\//, "").startsWith(`${bin}-`))
    : [];
  if (npmProvider.length === 1) {
    const pkg = npmProvider[0];
    return { ...l, runtime: "npx", command: "npx", package: pkg, args: ["-y", pkg, ...l.args] };
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
  // (Not after `npm install -g .` alone: the README runs its checkout's binary, maybe unpublished.)
  const checkoutOnly = !!installed?.npmCheckout && !!facts.npm &&
    !installed.npm.has(facts.npm.name);
  if (facts.npm && facts.npm.bins.includes(bin) && !facts.npm.private && !checkoutOnly) {
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
    if (installed?.pypi.has(pypiBaseName(facts.python.name))) {
      return { ...l, runtime: "uvx", package: facts.python.name };
    }
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

/**
 * `npx -y @modelcontextprotocol/server-llm-txt` in the README of the package.json named
 * `@mcp-get-community/server-llm-txt`, which the README names too: the same package under its old
 * scope — the folder's own.
 */
function ownScope(l: Launch, facts: ManifestFacts): Launch | null {
  const own = facts.npm && !facts.npm.private && facts.npm.bins.length ? facts.npm.name : null;
  const pkg = l.package;
  const unscoped = (n: string) => n.replace(/^@[^/]+\//, "");
  if (
    l.runtime !== "npx" || !own || !pkg || pkg === own || !pkg.startsWith("@") ||
    unscoped(pkg) !== unscoped(own)
  ) return null;
  const args = l.args.map((a) =>
    a === pkg || a.startsWith(`${pkg}@`) ? own + a.slice(pkg.length) : a
  );
  return { ...l, package: own, args };
}

/**
 * `pip install PKG`, then `python -m PKG_MODULE`: the installed package's module, run as the README
 * writes it (a uvx plan of PKG whose command is that `python`: the install image puts the
 * package's venv first on PATH).
 */
function moduleOfInstalled(l: Launch, installed?: GlobalInstalls): Launch | null {
  if (!/^python3?$/.test(l.command ?? "") || l.args[0] !== "-m" || !l.args[1]) return null;
  const module = l.args[1];
  const pkg = [...installed?.pypi ?? []].find((p) => pypiBaseName(p) === pypiBaseName(module));
  return pkg ? { ...l, runtime: "uvx", package: pkg } : null;
}

/** The repository binary an install line puts on PATH, if it is one of `bins`. */
export function installedBinary(words: string[], raw: string, bins: Set<string>): string | null {
  const name = words[0] === "brew" && words[1] === "install"
    ? words.slice(2).find((w) => !w.startsWith("-"))?.split("/").pop()
    : words[0] === "cargo" && words[1] === "install"
    ? words.slice(2).find((w) => !w.startsWith("-"))
    : raw.match(/\/([\w.-]+?)-installer\.sh\b[^|]*\|\s*(ba)?sh\b/)?.[1];
  return name && bins.has(name) ? name : null;
}

/** Where a README says a build puts a binary (`target/release/NAME`, `./bin/NAME`), if it does. */
export function builtBinaryPath(text: string, name: string): string | null {
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = text.match(
    new RegExp(`\`((?:\\.{1,2}/)?(?:[\\w.-]+/)*(?:target/release|bin|build|dist)/${esc})\``),
  );
  return m ? m[1] : null;
}

/** `git+REPO_URL` (or `git+https://github.com/<you>/…`) in a README: this repository's URL. */
export function ownGitUrl(text: string, input: EvidenceInput): string {
  if (!input.owner || input.subpath) return text;
  const own = `git+https://github.com/${input.owner}/${input.repoName}`;
  return text.replace(
    /git\+(REPO_URL|<[^>\s]*>|https:\/\/github\.com\/(<[^>]+>|your[\w-]*)\/[\w.-]+)/gi,
    own,
  );
}
