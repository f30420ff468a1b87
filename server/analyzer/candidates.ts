/**
 * @module Launch candidates: every launch found in README config blocks, shell lines, server.json
 * and manifests, marked "own" when it runs the repository's own package, and scored.
 */
import type { ManifestFacts } from "./manifests.ts";
import type { ReadmeBlock } from "./readme_blocks.ts";
import { configEntries, headerTemplates } from "./config_entries.ts";
import { shellCommands } from "./shell_lines.ts";
import { stdioTwinArgs } from "./launch_transport.ts";
import {
  checkoutLaunch,
  interpretLaunch,
  type Launch,
  pypiBaseName,
  sourceLaunch,
} from "./launch.ts";
import { sdkInstallAsRun, unwrapClaudeMcpAdd } from "./client_add.ts";
import { DEV_SECTION_RE } from "./sections.ts";
import { recommendedRuntimes } from "./recommendations.ts";
import {
  claudeConnectorEndpoints,
  DISCARDED_RE,
  globalInstalls,
  isLocalBuild,
  locallyBuiltImages,
  nestedManifests,
  proseEndpoints,
} from "./candidate_rules.ts";
import {
  builtBinaryPath,
  type EvidenceInput,
  type Identity,
  installedBinary,
  isOwn,
  ownIdentity,
  resolveBinary,
} from "./own_launches.ts";

export { ownIdentity };
export type { EvidenceInput, Identity };

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
  /** An image the README builds itself (`docker build -t NAME`), no registry's. */
  builtLocally?: boolean;
  /** A launch the README implies (`mcp install x.py` registers `mcp run x.py`), not writes. */
  inferred?: boolean;
  /** A manifest's package the README never shows published, beside a checkout launch. */
  unpublished?: boolean;
  /** An HTTP launch read as its stdio twin (`--transport stdio`, listener flags dropped). */
  stdioTwin?: boolean;
}

/** The heuristic plan fields (no name/description: the caller adds those). */
/** README name used when the snapshot has none. */
export const README_FILE = "README.md";

/** Scripts that build or set up a checkout, never the server itself. */
const BUILD_SCRIPT_RE =
  /(^|\/)(build|install|setup|bootstrap|deploy|test|lint|configure|update|upgrade|uninstall|clean|release)[\w-]*\.sh$/i;

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
  const localImages = locallyBuiltImages(shells);
  const add = (
    l: Launch | null,
    meta: Omit<Candidate, keyof Launch | "own" | "score" | "install">,
  ) => {
    if (!l) return;
    if (l.runtime === "remote" && LOCAL_HOST_RE.test(l.url ?? "")) return;
    // `--transport http --port 8080` where the README also documents `--transport stdio`.
    const twin = l.runtime !== "remote" && l.transport !== "stdio"
      ? stdioTwinArgs(l.args, input.readme?.text ?? "")
      : null;
    if (twin) l = { ...l, args: twin, transport: "stdio" };
    let resolved = resolveBinary(l, facts, id, installed);
    // A config block running the pyproject's script bare, in a README that never installs the
    // package from PyPI (`uv tool install git+…`, `pip install -e .`): the checkout's script.
    if (
      meta.kind === "config_block" && l.runtime === "source" && resolved.runtime === "uvx" &&
      facts.python && resolved.package === facts.python.name &&
      !installed.pypi.has(pypiBaseName(facts.python.name)) &&
      !publishedOnPypi(input.readme?.text ?? "", facts.python.name)
    ) resolved = l;
    // `./build/mcp-x` outside a development section: the checkout's build of its Go binary.
    const built = resolved.runtime === "source" && !resolved.package && !!facts.goModule &&
      /^\.\//.test(resolved.command ?? "") && !DEV_SECTION_RE.test(meta.section) &&
      id.bins.has(resolved.command!.split("/").pop()!);
    if (built) resolved = { ...resolved, package: facts.goModule };
    const own = isOwn(resolved, id) || (resolved.runtime === "source" && !!resolved.package) ||
      (meta.kind === "server_json");
    const builtLocally = resolved.runtime === "image" && !!resolved.image &&
      isLocalBuild(resolved.image, localImages);
    out.push({
      ...resolved,
      ...meta,
      own,
      install: [],
      score: 0,
      builtLocally,
      ...(twin ? { stdioTwin: true } : {}),
    });
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
    const sdkRun = sdkInstallAsRun(words);
    if (sdkRun) {
      // Not written by the README: the launch the install registers (a last resort).
      if (!DEV_SECTION_RE.test(sh.block.section)) {
        const l = sourceLaunch(sdkRun.words[0], sdkRun.words.slice(1));
        add({ ...l, env: { ...env, ...sdkRun.env } }, { ...meta, inferred: true });
      }
      continue;
    }
    // "`weather-mcp` lets your agent …": a name in a sentence, not a command to run.
    if (
      sh.block.kind === "inline" && words.length === 1 && !Object.keys(env).length &&
      !/\b(run|start|launch|execut|invok|command|type|call)\w*\b/i.test(sh.block.context)
    ) continue;
    // "Remove any earlier `uvx blender-mcp` config": a launch the README tells the user to drop.
    if (sh.block.kind === "inline" && DISCARDED_RE.test(sh.block.context)) continue;
    const l = interpretLaunch(words[0], words.slice(1), { env, verbatim: true });
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
    let resolved = resolveBinary(l, facts, id, installed);
    // A pyproject script run bare in a README that never installs the package from PyPI (it
    // clones and runs the checkout, `uv --directory … run NAME` in its client block): the bare
    // line runs inside the clone, no proof of a published package.
    if (
      l.runtime === "source" && resolved.runtime === "uvx" && facts.python &&
      resolved.package === facts.python.name &&
      !installed.pypi.has(pypiBaseName(facts.python.name)) &&
      !publishedOnPypi(input.readme?.text ?? "", facts.python.name)
    ) resolved = l;
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
      const goRun = resolved.command === "go"; // (`go run cmd/x/main.go`: the checkout's launch)
      const skip = DEV_SECTION_RE.test(sh.block.section) || BUILD_SCRIPT_RE.test(words[0]) ||
        (sh.block.kind === "inline" && !goRun && !/^(python3?|node|uv|deno|bun)$/.test(words[0]));
      const local = skip ? null : goRun ? resolved : checkoutLaunch(words[0], words.slice(1));
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
    const before = out.length;
    add(interpretLaunch("npx", ["-y", facts.npm.name]), manifestMeta("package.json"));
    // A README that runs its build (`node /path/to/dist/index.js`) and never names the package.
    const nodeRun = out.some((c) =>
      c.runtime === "source" && !c.package && /^(node|bun|deno)$/.test(c.command ?? "") &&
      !DEV_SECTION_RE.test(c.section)
    );
    const unnamed = !(input.readme?.text ?? "").includes(facts.npm.name);
    if (out.length > before && nodeRun && unnamed) out[out.length - 1].unpublished = true;
  }
  if (facts.python && facts.python.scripts.length) {
    // (The script spelled as the package is, `secops-mcp` before its twin `secops_mcp`.)
    const script = facts.python.scripts.find((s) => s === facts.python!.name) ??
      facts.python.scripts.find((s) => pypiBaseName(s) === pypiBaseName(facts.python!.name));
    const args = script ? [script] : ["--from", facts.python.name, facts.python.scripts[0]];
    // A README that runs its checkout (`poetry run python -m …`, `python server.py`) and never
    // shows the package on PyPI: the pyproject's script is no published launch.
    const text = input.readme?.text ?? "";
    // (Also the script itself after an editable install of the checkout, `pip install -e .`.)
    const editable = /\bpip3? install (-e|--editable) \.(\s|$)/.test(text);
    const checkoutRun = out.some((c) =>
      c.runtime === "source" && !c.package && !DEV_SECTION_RE.test(c.section) &&
      (c.kind === "shell" && /^(poetry|pipenv|pdm|hatch|rye|python3?|uv)$/.test(c.command ?? "") ||
        editable && facts.python!.scripts.includes(c.command ?? ""))
    );
    const before = out.length;
    add(interpretLaunch("uvx", args), manifestMeta("pyproject.toml"));
    // (Or installs it from git, `pipx install git+https://…`: a launch from git, not PyPI.)
    const fromGit = /\b(pipx?3?|uv|uvx)\b[^\n`]*\sgit\+https?:\/\//.test(text);
    const unpublished = (checkoutRun || fromGit) && !publishedOnPypi(text, facts.python.name);
    if (out.length > before && unpublished) out[out.length - 1].unpublished = true;
  }
  if (facts.goModule) {
    const bin = facts.goModule.split("/").pop()!;
    const before = out.length;
    add(interpretLaunch(bin, []), manifestMeta("go.mod"));
    // The README runs the checkout (`go run cmd/x/main.go`): the module's binary is a guess.
    const goRun = out.some((c) => c.command === "go" && !DEV_SECTION_RE.test(c.section));
    if (out.length > before && goRun) out[out.length - 1].unpublished = true;
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
  // A hosted endpoint named in prose, as a candidate (`context` says why it is one).
  const addEndpoint = (e: { url: string; line: number; section: string }, context: string) => {
    const type = /\/sse\/?$/.test(e.url) ? "sse" : "http";
    add(interpretLaunch(null, [], { url: e.url, type }), {
      kind: "prose",
      container: null,
      file: readmeFile,
      line: e.line,
      section: e.section,
      context,
    });
  };
  const readmeText = input.readme?.text ?? "";
  if (out.length && recommendedRuntimes(readmeText).has("remote")) {
    // "The hosted server … the fastest way", its URL only in a sentence: the recommended way.
    for (const e of proseEndpoints(readmeText)) {
      if (!out.some((c) => c.url === e.url)) addEndpoint(e, "recommended endpoint");
    }
  }
  // Claude Desktop's own way: "Add custom connector, enter `https://…/mcp`" in a Claude section.
  if (out.length) {
    for (const e of claudeConnectorEndpoints(readmeText)) addEndpoint(e, "claude connector");
  }
  // Nothing to launch, but the README names its hosted endpoint in a sentence.
  if (!out.length) { for (const e of proseEndpoints(readmeText)) addEndpoint(e, ""); }
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

/** Whether a README launches or installs `name` from PyPI (`uvx NAME`, `pip install NAME`, a badge…). */
function publishedOnPypi(text: string, name: string): boolean {
  const esc = name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/[-_.]/g, "[-_.]");
  return new RegExp(
    `\\b(uvx|pipx (run|install)|uv tool (run|install)|pip3? install|uv pip install|uv add)\\s+(--\\S+\\s+)*["']?${esc}\\b|pypi\\.org/(project|pypi)/${esc}\\b|"uvx"[^}]*"${esc}`,
    "i",
  ).test(text);
}
