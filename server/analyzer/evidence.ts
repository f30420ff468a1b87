/**
 * @module Deterministic evidence: every launch the README and manifests describe becomes a scored
 * candidate (file + line); the best one, with its environment variables, is the heuristic plan.
 * No LLM is involved.
 */
import type { EnvVarSpec, Evidence } from "../schemas/server.ts";
import type { Launch } from "./launch.ts";
import { readmeBlocks } from "./readme_blocks.ts";
import { configEntries } from "./config_entries.ts";
import { readmeSummary } from "./readme_summary.ts";
import { type ManifestFacts, readManifests } from "./manifests.ts";
import {
  DEV_SECTION_RE,
  documentedEnv,
  type EnvDoc,
  isPlaceholder,
  looksSecret,
  TOOLCHAIN_ENV,
} from "./env_vars.ts";
import {
  type Candidate,
  collectCandidates,
  type EvidenceInput,
  ownIdentity,
  README_FILE,
  scoreCandidates,
} from "./candidates.ts";

export type { Candidate, EvidenceInput };

/** The heuristic plan fields (no name/description: the caller adds those). */
export type HeuristicPlan =
  & Pick<Launch, "runtime" | "command" | "args" | "package" | "image" | "url" | "transport">
  & {
    install: string[];
    env: EnvVarSpec[];
    /** Header templates of a remote server (`${VAR}` from env values). */
    headers?: Record<string, string>;
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
    `${best.kind}: ${
      [best.command, best.image, ...best.args].filter(Boolean).join(" ") || best.url
    }`,
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
    headers: best.runtime === "remote"
      ? best.headers ??
        candidates.find((c) => c.runtime === "remote" && c.url === best.url && c.headers)
          ?.headers ??
        {}
      : {},
  };
  return { candidates, plan, evidence, warnings, facts, readme };
}
