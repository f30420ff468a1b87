/**
 * @module Deterministic evidence: every launch the README and manifests describe becomes a scored
 * candidate (file + line); the best one, with its environment variables, is the heuristic plan.
 * No LLM is involved.
 */
import type { EnvVarSpec, Evidence, PlanAlternative } from "../schemas/server.ts";
import { imageBaseName, type Launch, npmBaseName, pypiBaseName } from "./launch.ts";
import { readmeBlocks } from "./readme_blocks.ts";
import { configEntries } from "./config_entries.ts";
import { readmeSummary } from "./readme_summary.ts";
import { type ManifestFacts, readManifests } from "./manifests.ts";
import { type ArgField, DATA_STORE_URL_RE, moveSecretArgs } from "./secret_args.ts";
import { readmeExecCommand } from "./candidate_rules.ts";
import { sourceSteps } from "./source_steps.ts";
import {
  DEV_SECTION_RE,
  documentedEnv,
  type EnvDoc,
  isPlaceholder,
  looksSecret,
  optionalSecretKinds,
  TOOLCHAIN_ENV,
} from "./env_vars.ts";
import {
  type Candidate,
  collectCandidates,
  type EvidenceInput,
  LOCAL_HOST_RE,
  ownIdentity,
  README_FILE,
} from "./candidates.ts";
import { recommendedRuntimes, scoreCandidates } from "./candidate_scores.ts";

export type { Candidate, EvidenceInput };

/** The heuristic plan fields (no name/description: the caller adds those). */
export type HeuristicPlan =
  & Pick<Launch, "runtime" | "command" | "args" | "package" | "image" | "url" | "transport">
  & {
    install: string[];
    env: EnvVarSpec[];
    /** Header templates of a remote server (`${VAR}` from env values). */
    headers?: Record<string, string>;
    /** The README's other documented launches, best first. */
    alternatives?: PlanAlternative[];
    /** Placeholder key arguments dropped from `args`, for the user to fill. */
    arg_fields?: ArgField[];
    /** Container port and URL path of an image that serves HTTP/SSE. */
    port?: number | null;
    path?: string | null;
  };

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
  /** What the README runs in its own container (`docker exec -i NAME CMD…`), if anything. */
  execCommand?: string[] | null;
}

/** Example values that are settings already made (switches, numbers), not blanks to fill. */
const LITERAL_SETTING_RE = /^(true|false|yes|no|on|off|\d{1,6})$/i;

/** A URL carrying a user and password (`scheme://user:pass@host`). */
const CREDENTIAL_URL_RE = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

/** Tuning knobs (log level, ports, timeouts, feature switches): never required unless said so. */
const KNOB_RE =
  /(^|_)(LOG|LOGGING|LOGLEVEL|VERBOSITY|DEBUG|VERBOSE|TIMEOUT|PORT|TRANSPORT|MODE|ENV|ENVIRONMENT|ENABLED?|DISABLED?|DISABLE|LEVEL|MAX|MIN|LIMIT|CACHE|TELEMETRY|READ_?ONLY)(_|$)/;

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
  scoreCandidates(candidates, id, recommendedRuntimes(text));
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
    const execCommand = readmeExecCommand(blocks);
    return { candidates, plan: null, evidence: [], warnings, facts, readme, execCommand };
  }

  const evidence: Evidence[] = [];
  const ev = (field: string, c: { file: string; line?: number }, t?: string) =>
    evidence.push({ field, file: c.file, line: c.line, text: t?.slice(0, 300) });
  ev(
    "runtime",
    best,
    `${best.kind}: ${
      [best.command, best.image, ...best.args].filter(Boolean).join(" ") || best.url
    }`,
  );
  warnings.push(...best.notes);

  // Env docs and the examples equivalent to the chosen launch.
  const docs = text ? documentedEnv(text, blocks) : [];
  const docByKey = new Map<string, EnvDoc>();
  for (const d of docs) {
    // The first mention describes the key; later ones fill what it leaves open.
    const first = docByKey.get(d.key);
    if (!first) docByKey.set(d.key, d);
    else {
      docByKey.set(d.key, {
        ...first,
        description: first.description || d.description,
        default: first.default ?? d.default,
      });
    }
  }
  const sameLaunch = candidates.filter((c) =>
    c.runtime === best.runtime && (c.package ?? c.url) === (best.package ?? best.url) &&
    sameEntry(c, best) && c.transport === best.transport &&
    c.kind !== "manifest" && c.kind !== "server_json" && !c.windowsWrapper &&
    !/windows/i.test(c.section) && !DEV_SECTION_RE.test(c.section)
  );
  const launches = sameLaunch.length ? sameLaunch : [best];
  // Bare launch lines (`npx -y pkg`, a global binary) carry no env: the README's client block
  // for a checkout of the same server says which keys a launch needs.
  const clientBlocks = candidates.filter((c) =>
    c.kind === "config_block" && Object.keys(c.env).length > 0 && !c.windowsWrapper &&
    !DEV_SECTION_RE.test(c.section) && (c.own || c.runtime === "source")
  );
  const examples = launches.every((c) => !Object.keys(c.env).length && c.kind !== "config_block") &&
      clientBlocks.length
    ? clientBlocks
    : launches;
  const { fragments } = configEntries(blocks);
  const envShown = examples.some((c) => Object.keys(c.env).length > 0);

  const knownKeys = new Set<string>([...docByKey.keys()]);
  for (const c of candidates) Object.keys(c.env).forEach((k) => knownKeys.add(k));
  for (const f of fragments) Object.keys(f.env).forEach((k) => knownKeys.add(k));
  const moved = best.runtime === "remote"
    ? { args: best.args, env: [], fields: [], warnings: [] }
    : moveSecretArgs(best.args, knownKeys, text);
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
  // smithery.yaml's start command env, then server.json's (which wins).
  for (const e of facts.smitheryEnv) sjEnv.set(e.name, e);
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

  const optionalKinds = optionalSecretKinds(text);
  const plannedHeaders: Record<string, string> = best.runtime === "remote"
    ? best.headers ??
      candidates.find((c) => c.runtime === "remote" && c.url === best.url && c.headers)
        ?.headers ??
      {}
    : {};
  const env: EnvVarSpec[] = keys.slice(0, 100).map((key) => {
    const doc = docByKey.get(key);
    const sj = sjEnv.get(key);
    // An example passing the value as a flag (`--read-token=…` for LOGFIRE_READ_TOKEN) has it too.
    // A shell launch line whose next steps set the key (`KEY=…` in a block just after) has it too.
    const setAfter = (c: Candidate) =>
      c.kind === "shell" && c.line !== undefined && !Object.keys(c.env).length &&
      blocks.some((b) =>
        b.kind === "fence" && b.line > c.line! && b.line <= c.line! + 30 &&
        new RegExp(`^\\s*(export\\s+)?${key}=`, "m").test(b.text)
      );
    const inExamples = examples.filter((c) =>
      key in c.env || c.args.some((a, i) =>
        flagFor(a, key, c.args[i + 1])
      ) || setAfter(c)
    ).length;
    let required: boolean;
    if (sj?.isRequired !== undefined) required = sj.isRequired;
    else if (
      doc?.required !== true && looksSecret(key) &&
      optionalKinds.some((k) => key.toUpperCase().endsWith(k))
    ) required = false;
    else if (moved.env.includes(key)) required = true;
    else if (doc?.required !== true && KNOB_RE.test(key.toUpperCase())) required = false;
    else if (doc?.required === true) required = true;
    else if (doc?.required === false) required = false;
    else if (doc && (doc.default !== null || /\bdefault/i.test(doc.description))) required = false;
    else if (best.runtime === "remote") {
      // A key the planned headers send (`Authorization: ${KEY}`) is the remote's credential.
      // Unless the README says the remote signs in with OAuth (the router's OAuth client does that).
      required = Object.values(plannedHeaders).some((v) => v.includes(`\${${key}}`)) &&
        !/\boauth\b/i.test(text);
    } else if (
      !looksSecret(key) && examples.some((c) => LITERAL_SETTING_RE.test(c.env[key] ?? ""))
    ) required = false;
    else {
      required = inExamples / examples.length > 0.5 && inExamples >= 1 &&
          (best.env[key] === undefined || isPlaceholder(best.env[key]) || !doc ||
            DATA_STORE_URL_RE.test(best.env[key]) ||
            // Every one of several examples sets it: the user's own value, not a default.
            (examples.length >= 2 && inExamples === examples.length)) ||
        // No launch shows any env: in a list that marks its optional entries ("(Optional)",
        // defaults), an unmarked entry is one the server needs.
        (!envShown && !!doc && doc.required === null && contrastMarked(doc, docs));
    }
    const secret = looksSecret(key) || CREDENTIAL_URL_RE.test(best.env[key] ?? "") ||
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
    const runsGoModule = !!facts.goModule && best.package === facts.goModule;
    if (runsGoModule && !gos.some((s) => s.includes(facts.goModule!))) {
      gos.unshift(`go install ${facts.goModule}@latest`);
    }
    // Not a `go install`: clone the repository and run the README's install/build lines.
    install = best.install.length ? best.install : gos.length ? gos : sourceSteps(
      blocks,
      best.kind === "manifest" ? undefined : best.line,
      input.owner ? `${input.owner}/${input.repoName}` : null,
      input.repoName,
    );
    if (!install.length) {
      warnings.push("source runtime without install steps: add the build commands before saving");
    }
  }

  const plan: HeuristicPlan = {
    alternatives: alternativesOf(candidates, best),
    arg_fields: moved.fields,
    runtime: best.runtime,
    command: best.runtime === "image" || best.runtime === "remote" ? null : best.command,
    args: best.runtime === "remote" ? [] : args,
    package: best.runtime === "remote" ? null : best.package,
    image: best.image,
    url: best.url,
    transport: best.transport,
    ...servedEndpoint(best, blocks),
    install,
    env,
    headers: plannedHeaders,
  };
  return { candidates, plan, evidence, warnings, facts, readme };
}

/** The other launches the README documents (one per package/image/URL, dev/Windows left out). */
export function alternativesOf(candidates: Candidate[], best: Candidate): PlanAlternative[] {
  const base = (c: Candidate) =>
    c.runtime === "npx"
      ? npmBaseName(c.package ?? "")
      : c.runtime === "uvx"
      ? pypiBaseName(c.package ?? "")
      : c.runtime === "image"
      ? imageBaseName(c.image ?? "")
      : c.url ?? c.command;
  const key = (c: Candidate) => `${c.runtime} ${base(c)}`;
  const seen = new Set([key(best)]);
  const out: PlanAlternative[] = [];
  for (const c of candidates) {
    if (c.kind === "manifest" || c.windowsWrapper || DEV_SECTION_RE.test(c.section)) continue;
    if (seen.has(key(c)) || out.length >= 5) continue;
    seen.add(key(c));
    out.push({
      runtime: c.runtime,
      command: c.runtime === "remote" || c.runtime === "image" ? null : c.command,
      args: c.runtime === "remote" ? [] : c.args.slice(0, 64),
      url: c.url,
      package: c.runtime === "remote" ? null : c.package,
      image: c.image,
    });
  }
  return out;
}

/**
 * An image run detached with published ports that the README's client blocks reach at
 * `http://localhost:PORT/…` (or a placeholder host): the image serves HTTP/SSE on that port.
 */
function servedEndpoint(
  best: Candidate,
  blocks: ReturnType<typeof readmeBlocks>,
): { transport: Launch["transport"]; port: number; path: string } | Record<string, never> {
  if (best.runtime !== "image" || best.transport !== "stdio" || !best.published?.length) return {};
  for (const e of configEntries(blocks).entries) {
    const url = e.url && LOCAL_HOST_RE.test(e.url) ? URL.parse(e.url) : null;
    if (!url) continue;
    const hostPort = Number(url.port || (url.protocol === "https:" ? 443 : 80));
    const mapping = best.published.find((p) => p.host === hostPort);
    if (!mapping) continue;
    const path = url.pathname && url.pathname !== "/" ? url.pathname : "/mcp";
    return { transport: /\/sse\/?$/.test(path) ? "sse" : "http", port: mapping.container, path };
  }
  return {};
}

/** Whether a `--flag[=value]` argument passes a secret env var's value (`--read-token` ~ `X_READ_TOKEN`). */
function flagFor(arg: string, key: string, next?: string): boolean {
  const m = arg.match(/^--([a-z][a-z0-9-]*)(=|$)/i);
  if (!m) return false;
  const name = m[1].toUpperCase().replace(/-/g, "_");
  if (looksSecret(name) && (key === name || key.endsWith(`_${name}`))) return true;
  // A setting passed as a placeholder flag (`--db-url <url>` for NEO4J_URL, `--username <you>`).
  const value = m[2] ? arg.slice(m[0].length) : next ?? "";
  const last = (k: string) => k.split("_").pop() ?? "";
  return !!value && !value.startsWith("-") && (isPlaceholder(value) || /x{4}/i.test(value)) &&
    last(name).length >= 3 &&
    (key === name || key.endsWith(`_${name}`) || last(name) === last(key));
}

/** Flags of npx/uvx/pipx whose next word is their value, not a positional. */
const VALUE_FLAGS = new Set(["--from", "--with", "-p", "--package", "--python", "--index-url"]);

/** The first positional word after the package: the entry point or sub-command a launch runs. */
function entryWord(c: Candidate): string | undefined {
  const pkg = c.package ?? "";
  for (let i = 0; i < c.args.length; i++) {
    const a = c.args[i];
    if (VALUE_FLAGS.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith("-")) continue;
    if (pkg && (a === pkg || a.startsWith(`${pkg}@`) || a.startsWith(`${pkg}==`))) continue;
    return a;
  }
  return undefined;
}

/** Two launches of one package run the same thing unless both name different entry points
 * (`telethon-mcp-server` vs the `telethon-mcp-auth` login helper). */
function sameEntry(a: Candidate, b: Candidate): boolean {
  if (a.runtime !== "npx" && a.runtime !== "uvx") return true;
  const x = entryWord(a), y = entryWord(b);
  return x === undefined || y === undefined || x === y;
}

/** Whether a documented key sits in a list (same section) whose other entries are marked
 * optional or given defaults, while it is not, and it names a service (URL/host/key/token). */
function contrastMarked(doc: EnvDoc, docs: EnvDoc[]): boolean {
  if (doc.default !== null || /\bdefault/i.test(doc.description)) return false;
  if (!/(URL|URI|HOST|ENDPOINT|API_KEY|TOKEN|SECRET|PASSWORD)$/.test(doc.key)) return false;
  const siblings = docs.filter((d) => d.section === doc.section && d.key !== doc.key);
  return siblings.length >= 2 &&
    siblings.some((d) => d.required === false) &&
    !siblings.some((d) => d.required === true);
}
