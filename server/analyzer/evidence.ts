/**
 * @module Deterministic evidence: every launch the README and manifests describe becomes a scored
 * candidate (file + line); the best one, with its environment variables, is the heuristic plan.
 * No LLM is involved.
 */
import type { EnvVarSpec, Evidence, Runtime, Transport } from "../schemas/server.ts";
import {
  configEntries,
  type ReadmeBlock,
  readmeBlocks,
  readmeSummary,
  shellCommands,
} from "./readme_blocks.ts";
import { type ManifestFacts, readManifests } from "./manifests.ts";
import {
  imageBaseName,
  interpretLaunch,
  type Launch,
  npmBaseName,
  pypiBaseName,
  unwrapClaudeMcpAdd,
} from "./launch.ts";
import {
  DEV_SECTION_RE,
  documentedEnv,
  type EnvDoc,
  isPlaceholder,
  looksSecret,
  TOOLCHAIN_ENV,
} from "./env_vars.ts";

/** A launch found somewhere, with where it came from and how much we trust it. */
export interface Candidate extends Launch {
  kind: "config_block" | "shell" | "server_json" | "manifest";
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
}

/** The heuristic plan fields (no name/description: the caller adds those). */
export interface HeuristicPlan {
  runtime: Runtime;
  command: string | null;
  args: string[];
  package: string | null;
  image: string | null;
  url: string | null;
  transport: Transport;
  install: string[];
  env: EnvVarSpec[];
}

/** Everything {@linkcode gatherEvidence} found. */
export interface EvidenceResult {
  /** All candidates, best first. */
  candidates: Candidate[];
  /** The best candidate turned into plan fields, or null when nothing runnable was found. */
  plan: HeuristicPlan | null;
  evidence: Evidence[];
  warnings: string[];
  facts: ManifestFacts;
  readme: { title: string; summary: string };
}

const README_FILE = "README.md";

function ownIdentity(facts: ManifestFacts, input: EvidenceInput) {
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
  bins.add(input.repoName);
  if (input.subpath) bins.add(input.subpath.split("/").pop()!);
  return { npm, pypi, images, bins };
}

type Identity = ReturnType<typeof ownIdentity>;

function isOwn(l: Launch, id: Identity): boolean {
  if (l.runtime === "npx") return id.npm.has(npmBaseName(l.package ?? ""));
  if (l.runtime === "uvx") return id.pypi.has(pypiBaseName(l.package ?? ""));
  if (l.runtime === "image") return id.images.has(imageBaseName(l.image ?? ""));
  return false;
}

/** Map a bare binary onto the package that provides it (npm bin, Python script, Go module). */
function resolveBinary(l: Launch, facts: ManifestFacts, id: Identity): Launch {
  if (l.runtime !== "source" || !l.command) return l;
  const bin = l.command.split(/[\\/]/).pop()!;
  if (l.command.includes("/") || l.command.includes("\\")) return l;
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
  return l;
}

function launchKey(c: Candidate): string {
  return JSON.stringify([c.runtime, c.package ?? c.url, c.args]);
}

function scoreCandidates(cands: Candidate[]): void {
  const counts = new Map<string, number>();
  for (const c of cands) counts.set(launchKey(c), (counts.get(launchKey(c)) ?? 0) + 1);
  for (const c of cands) {
    let s = 0;
    if (c.own) s += 50;
    if (c.kind === "config_block") {
      s += 20 + (c.container === "mcpServers" ? 5 : c.container === "servers" ? 2 : 0);
    } else if (c.kind === "shell") s += 5;
    else if (c.kind === "server_json") s += 15;
    else s += 2;
    if (/claude/i.test(`${c.section} ${c.context}`)) s += 10;
    if (c.windowsWrapper || /windows/i.test(c.section)) s -= 30;
    if (DEV_SECTION_RE.test(c.section)) s -= 25;
    if (c.args.some((a) => a.includes("${"))) s -= 10;
    if (c.runtime !== "remote" && c.transport !== "stdio") s -= 15;
    if (c.runtime === "remote" && /[?&]/.test(c.url ?? "")) s -= 5;
    if (c.runtime === "source" && !c.package) s -= 20;
    s += Math.min(12, 3 * ((counts.get(launchKey(c)) ?? 1) - 1));
    s -= (c.line ?? 0) / 100_000;
    c.score = s;
  }
}

const LOCAL_HOST_RE = /^https?:\/\/(localhost|127\.|0\.0\.0\.0|\[::1\]|host\.docker\.internal)/i;

function collectCandidates(
  blocks: ReadmeBlock[],
  facts: ManifestFacts,
  id: Identity,
  input: EvidenceInput,
): Candidate[] {
  const readmeFile = input.readme?.path ?? README_FILE;
  const out: Candidate[] = [];
  const add = (
    l: Launch | null,
    meta: Omit<Candidate, keyof Launch | "own" | "score" | "install">,
  ) => {
    if (!l) return;
    if (l.runtime === "remote" && LOCAL_HOST_RE.test(l.url ?? "")) return;
    const resolved = resolveBinary(l, facts, id);
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
    add(interpretLaunch(e.command, e.args, { env, url: e.url, type: e.type }), {
      kind: "config_block",
      container: e.container,
      file: readmeFile,
      line: e.line,
      section: e.block.section,
      context: e.block.context,
    });
  }

  for (const sh of shellCommands(blocks)) {
    let words = sh.words;
    let env = sh.env;
    const unwrapped = unwrapClaudeMcpAdd(words);
    if (unwrapped) {
      words = [unwrapped.command, ...unwrapped.args];
      env = { ...env, ...unwrapped.env };
    }
    const l = interpretLaunch(words[0], words.slice(1), { env });
    if (!l || l.runtime === "remote") continue;
    const resolved = resolveBinary(l, facts, id);
    // Shell lines only count when they run the repository's own package or binary.
    if (!isOwn(resolved, id) && !(resolved.runtime === "source" && resolved.package)) continue;
    add(l, {
      kind: "shell",
      container: null,
      file: readmeFile,
      line: sh.line,
      section: sh.block.section,
      context: sh.block.context,
    });
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
  return out;
}

const SECRET_FLAG_RE =
  /^--?([a-z0-9-]*(?:api[-_]?key|token|secret|password|access[-_]?key))(?:=(.*))?$/i;

/** Move `--api-key=VALUE`-style arguments into environment variables the README names. */
function moveSecretArgs(
  best: Candidate,
  knownKeys: Set<string>,
  readmeText: string,
): { args: string[]; env: string[]; warnings: string[] } {
  const args: string[] = [];
  const env: string[] = [];
  const warnings: string[] = [];
  for (let i = 0; i < best.args.length; i++) {
    const a = best.args[i];
    const m = a.match(SECRET_FLAG_RE);
    if (!m || best.runtime === "remote") {
      args.push(a);
      continue;
    }
    const value = m[2] ??
      (best.args[i + 1] && !best.args[i + 1].startsWith("-") ? best.args[i + 1] : "");
    const fromFlag = m[1].toUpperCase().replace(/-/g, "_");
    const fromValue = value.replace(/^YOUR_/, "");
    const mentioned = (k: string) =>
      /^[A-Z][A-Z0-9_]{2,}$/.test(k) &&
      (knownKeys.has(k) || new RegExp(`\\b${k}\\b`).test(readmeText));
    const key = [fromValue, fromFlag].find(mentioned) ??
      [...knownKeys].find((k) => k.endsWith(`_${fromFlag}`) || k === fromFlag);
    if (!key) {
      args.push(a);
      warnings.push(`argument ${m[1]} passes a secret on the command line; edit it before saving`);
      continue;
    }
    if (m[2] === undefined && value) i++;
    env.push(key);
  }
  return { args, env, warnings };
}

const HTTP_DEFAULT_RE = [
  /--transport\b[^\n]*\bdefault\b[:\s]*["'`]?(http|sse|streamable)/i,
  /\b(http|sse|streamable[- ]http)\b[^.\n]{0,40}\bas the default\b/i,
  /\bdefault (transport|mode)\b[^.\n]{0,30}\b(is|:)\s*["'`]?(http|sse|streamable)/i,
];

/** True when the README says the server defaults to an HTTP transport. */
export function defaultsToHttp(readme: string): boolean {
  return HTTP_DEFAULT_RE.some((re) => re.test(readme));
}

/**
 * Gather all deterministic evidence and derive the heuristic plan.
 * @param input README, manifest files and repository naming
 */
export function gatherEvidence(input: EvidenceInput): EvidenceResult {
  const facts = readManifests(input.files);
  const text = input.readme?.text ?? "";
  const readmeFile = input.readme?.path ?? README_FILE;
  const blocks = text ? readmeBlocks(text) : [];
  const id = ownIdentity(facts, input);
  const warnings = [...facts.warnings];
  const candidates = collectCandidates(blocks, facts, id, input);
  scoreCandidates(candidates);
  candidates.sort((a, b) => b.score - a.score);
  const readme = text ? readmeSummary(text) : { title: "", summary: "" };
  const best = candidates[0];
  if (!best) {
    if (facts.dockerfile) {
      warnings.push(
        `only a ${facts.dockerfile.file} was found: build an image from the repository and use the image runtime`,
      );
    }
    warnings.push("no launch command found in the README or manifests");
    return { candidates, plan: null, evidence: [], warnings, facts, readme };
  }

  const evidence: Evidence[] = [];
  const ev = (field: string, c: { file: string; line?: number }, t?: string) =>
    evidence.push({ field, file: c.file, line: c.line, text: t?.slice(0, 300) });
  ev(
    "runtime",
    best,
    `${best.kind}: ${[best.command, ...best.args].filter(Boolean).join(" ") || best.url}`,
  );
  warnings.push(...best.notes);

  // Env docs and the examples equivalent to the chosen launch.
  const docs = text ? documentedEnv(text, blocks) : [];
  const docByKey = new Map<string, EnvDoc>();
  for (const d of docs) if (!docByKey.has(d.key)) docByKey.set(d.key, d);
  const sameLaunch = candidates.filter((c) =>
    c.runtime === best.runtime && (c.package ?? c.url) === (best.package ?? best.url) &&
    c.kind !== "manifest" && c.kind !== "server_json" && !c.windowsWrapper &&
    !/windows/i.test(c.section) && !DEV_SECTION_RE.test(c.section)
  );
  const examples = sameLaunch.length ? sameLaunch : [best];
  const { fragments } = configEntries(blocks);

  const knownKeys = new Set<string>([...docByKey.keys()]);
  for (const c of examples) Object.keys(c.env).forEach((k) => knownKeys.add(k));
  const moved = moveSecretArgs(best, knownKeys, text);
  warnings.push(...moved.warnings);
  let args = moved.args;

  // Transport trap: the server defaults to HTTP but we run it over stdio.
  if (
    best.runtime !== "remote" && best.runtime !== "image" && best.transport === "stdio" &&
    defaultsToHttp(text)
  ) {
    const hasFlag = args.some((a) => a === "--transport" || a.startsWith("--transport="));
    if (!hasFlag && /--transport\b/.test(text)) {
      args = [...args, "--transport", "stdio"];
      warnings.push("the README says the server defaults to HTTP; added --transport stdio");
      evidence.push({
        field: "args",
        file: readmeFile,
        text: "README: HTTP is the default transport",
      });
    }
  } else if (best.runtime === "image" && defaultsToHttp(text)) {
    warnings.push(
      "the README says the server defaults to HTTP; check the image's transport settings",
    );
  }

  // Environment variables.
  const sjEnv = new Map<
    string,
    { isRequired?: boolean; isSecret?: boolean; description?: string; default?: string }
  >();
  for (const p of facts.serverJson?.packages ?? []) for (const e of p.env) sjEnv.set(e.name, e);
  const keys: string[] = [];
  const addKey = (k: string) => {
    if (!TOOLCHAIN_ENV.has(k) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) && !keys.includes(k)) {
      keys.push(k);
    }
  };
  Object.keys(best.env).forEach(addKey);
  moved.env.forEach(addKey);
  for (const c of examples) Object.keys(c.env).forEach(addKey);
  if (best.runtime === "image" || best.kind === "server_json" || sjEnv.size) {
    [...sjEnv.keys()].forEach(addKey);
  }
  for (const f of fragments) {
    if (!DEV_SECTION_RE.test(f.block.section) && !/windows/i.test(f.block.section)) {
      Object.keys(f.env).forEach(addKey);
    }
  }
  if (best.runtime !== "remote") docs.forEach((d) => addKey(d.key));

  const env: EnvVarSpec[] = keys.slice(0, 100).map((key) => {
    const doc = docByKey.get(key);
    const sj = sjEnv.get(key);
    const inExamples = examples.filter((c) => key in c.env).length;
    let required: boolean;
    if (sj?.isRequired !== undefined) required = sj.isRequired;
    else if (moved.env.includes(key)) required = true;
    else if (doc?.required === true) required = true;
    else if (doc?.required === false) required = false;
    else if (doc && (doc.default !== null || /\bdefault/i.test(doc.description))) required = false;
    else if (best.runtime === "remote") required = false;
    else {required = inExamples / examples.length > 0.5 && inExamples >= 1 &&
        (best.env[key] === undefined || isPlaceholder(best.env[key]) || !doc);}
    const secret = looksSecret(key) ||
      (sj?.isSecret === true && !/(URL|ORG|HOST|PORT|PATH|NAME|ID|REGION)$/.test(key));
    const description = (doc?.description || sj?.description || "").slice(0, 2000);
    const spec: EnvVarSpec = { key, description, required, secret };
    const def = doc?.default ?? sj?.default;
    if (!required && def && !secret && def.length < 200 && !isPlaceholder(def)) spec.default = def;
    if (doc) {
      evidence.push({
        field: `env.${key}`,
        file: readmeFile,
        line: doc.line,
        text: doc.description,
      });
    } else if (sj) evidence.push({ field: `env.${key}`, file: "server.json" });
    return spec;
  });

  // Install steps for source builds: `go install` lines up to the chosen block.
  let install: string[] = [];
  if (best.runtime === "source") {
    const gos: string[] = [];
    for (const b of blocks) {
      if (best.line !== undefined && b.line > best.line) continue;
      if (DEV_SECTION_RE.test(b.section)) continue;
      for (const m of b.text.matchAll(/\bgo install\s+(\S+@\S+)/g)) {
        const step = `go install ${m[1]}`;
        if (!gos.includes(step)) gos.push(step);
      }
    }
    if (facts.goModule && !gos.some((s) => s.includes(facts.goModule!))) {
      gos.unshift(`go install ${facts.goModule}@latest`);
    }
    install = gos;
    if (!install.length) {
      warnings.push("source runtime without install steps: add the build commands before saving");
    }
  }

  const plan: HeuristicPlan = {
    runtime: best.runtime,
    command: best.runtime === "image" || best.runtime === "remote" ? null : best.command,
    args: best.runtime === "remote" ? [] : args,
    package: best.runtime === "remote" ? null : best.package,
    image: best.image,
    url: best.url,
    transport: best.transport,
    install,
    env,
  };
  return { candidates, plan, evidence, warnings, facts, readme };
}
