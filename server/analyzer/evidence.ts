/**
 * @module Deterministic evidence (no LLM): every launch the README and manifests describe becomes
 * a scored candidate (file + line); the best one, with its environment variables, is the plan.
 */
import type { EnvVarSpec, Evidence, PlanAlternative } from "../schemas/server.ts";
import { imageBaseName, type Launch, npmBaseName, pypiBaseName } from "./launch.ts";
import { readmeBlocks } from "./readme_blocks.ts";
import { configEntries } from "./config_entries.ts";
import { readmeSummary } from "./readme_summary.ts";
import { type ManifestFacts, readManifests } from "./manifests.ts";
import { type ArgField, moveSecretArgs } from "./secret_args.ts";
import { withoutDemoToggles } from "./toggle_args.ts";
import { readmeBuiltImageAttach } from "./candidate_rules.ts";
import { sourceSteps } from "./source_steps.ts";
import { documentedEnv, type EnvDoc } from "./env_vars.ts";
import { DEV_SECTION_RE } from "./sections.ts";
import {
  type Candidate,
  collectCandidates,
  type EvidenceInput,
  ownIdentity,
  README_FILE,
} from "./candidates.ts";
import { scoreCandidates } from "./candidate_scores.ts";
import { putChosenFirst } from "./chosen_launch.ts";
import { ownGitUrl } from "./own_launches.ts";
import { recommendedRuntimes } from "./recommendations.ts";
import { planEnv } from "./env_plan.ts";
import { defaultsToHttp } from "./launch_transport.ts";
import { QUERY_KEY_MARK, queryKeyTemplate, servedEndpoint } from "./endpoints.ts";

export type { Candidate, EvidenceInput };
export { defaultsToHttp };

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
  /** The env of the image built from the folder's Dockerfile, when no launch was found. */
  builtImageEnv?: EnvVarSpec[];
}

/**
 * Gather all deterministic evidence and derive the heuristic plan.
 * @param input README, manifest files and repository naming
 */
export function gatherEvidence(input: EvidenceInput): EvidenceResult {
  const facts = readManifests(input.files);
  const text = ownGitUrl(input.readme?.text ?? "", input);
  const readmeFile = input.readme?.path ?? README_FILE;
  const blocks = text ? readmeBlocks(text) : [];
  const id = ownIdentity(facts, input);
  const warnings = [...facts.warnings];
  const candidates = collectCandidates(blocks, facts, id, input);
  scoreCandidates(candidates, id, recommendedRuntimes(text));
  candidates.sort((a, b) => b.score - a.score);
  if (input.launches) putChosenFirst(candidates, input.launches, id.bins);
  const readme = text ? readmeSummary(text) : { title: "", summary: "" };
  const best = candidates[0];
  if (!best) {
    if (facts.dockerfile) {
      warnings.push(
        `only a ${facts.dockerfile.file} was found: build an image from the repository and use the image runtime`,
      );
    }
    warnings.push("no launch command found in the README or manifests");
    const attach = readmeBuiltImageAttach(blocks);
    const evidence: Evidence[] = [];
    const builtImageEnv = facts.dockerfile
      ? builtImageEnvOf(attach, { blocks, facts, text, readmeFile, evidence })
      : [];
    return {
      candidates,
      plan: null,
      evidence,
      warnings,
      facts,
      readme,
      execCommand: attach?.command.length ? attach.command : null,
      builtImageEnv,
    };
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
  // (A bare mention — no description, nothing said of need — comes after the others.)
  // (A mention naming other keys too — "Environment variables — `A`, `B`, etc." — is as weak.)
  const weak = (d: EnvDoc) =>
    d.required === null && (!d.description || listsKeys(d.description, d.key)) ? 1 : 0;
  for (const d of [...docs].sort((a, b) => weak(a) - weak(b) || a.line - b.line)) {
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
  const { fragments } = configEntries(blocks);

  const knownKeys = new Set<string>([...docByKey.keys()]);
  for (const c of candidates) Object.keys(c.env).forEach((k) => knownKeys.add(k));
  for (const f of fragments) Object.keys(f.env).forEach((k) => knownKeys.add(k));
  const moved = best.runtime === "remote"
    ? { args: best.args, env: [], fields: [], warnings: [] }
    : moveSecretArgs(best.args, knownKeys, text);
  warnings.push(...moved.warnings);
  // (The prose just above the block, whatever it holds: "To disable it:" … three labels later.)
  const above = best.line === undefined
    ? ""
    : text.split("\n").slice(Math.max(0, best.line - 25), best.line).join(" ");
  const toggles = withoutDemoToggles(moved.args, `${best.context} ${best.section} ${above}`);
  let args = toggles.args;
  if (toggles.dropped.length) {
    warnings.push(
      `left out ${toggles.dropped.join(" ")}: the README shows it to turn a default feature off`,
    );
  }

  // Transport trap: the server defaults to HTTP but we run it over stdio.
  if (
    best.runtime !== "remote" && best.runtime !== "image" && best.transport === "stdio" &&
    defaultsToHttp(text)
  ) {
    const hasFlag = args.some((a) =>
      a === "--transport" || a.startsWith("--transport=") || a === "--stdio" || a === "stdio"
    );
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
  const plannedHeaders: Record<string, string> = best.runtime === "remote"
    ? best.headers ??
      candidates.find((c) => c.runtime === "remote" && c.url === best.url && c.headers)
        ?.headers ??
      {}
    : {};
  // A key in the endpoint's query (`?apiKey=YOUR_API_KEY`) comes from the env var the README
  // names for it: the router fills `${KEY}` in the URL at connect time.
  const templated = best.runtime === "remote" ? queryKeyTemplate(best.url, knownKeys, text) : null;
  if (templated) plannedHeaders[QUERY_KEY_MARK] = `\${${templated.key}}`;
  const env = planEnv({
    best,
    candidates,
    blocks,
    docs,
    docByKey,
    fragments,
    facts,
    text,
    movedEnv: moved.env,
    plannedHeaders,
    readmeFile,
    evidence,
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
    url: templated?.url ?? best.url,
    transport: best.transport,
    ...servedEndpoint(best, blocks),
    install,
    env,
    headers: Object.fromEntries(
      Object.entries(plannedHeaders).filter(([name]) => name !== QUERY_KEY_MARK),
    ),
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
 * The env of the image built from the checkout's Dockerfile: the keys its attach block passes
 * (`docker compose run`, `docker exec`) and the README documents, required as the docs say.
 */
function builtImageEnvOf(
  attach: ReturnType<typeof readmeBuiltImageAttach>,
  input: {
    blocks: ReturnType<typeof readmeBlocks>;
    facts: ManifestFacts;
    text: string;
    readmeFile: string;
    evidence: Evidence[];
  },
): EnvVarSpec[] {
  const { blocks, facts, text, readmeFile, evidence } = input;
  const docs = text ? documentedEnv(text, blocks) : [];
  if (!attach && !docs.length) return [];
  const docByKey = new Map<string, EnvDoc>();
  for (const d of docs) if (!docByKey.has(d.key)) docByKey.set(d.key, d);
  const best: Candidate = {
    runtime: "image",
    command: null,
    args: attach?.command ?? [],
    package: null,
    image: null,
    url: null,
    transport: "stdio",
    env: attach?.env ?? {},
    notes: [],
    windowsWrapper: false,
    kind: "config_block",
    container: "mcpServers",
    file: readmeFile,
    line: attach?.line,
    section: attach?.section ?? "",
    context: attach?.context ?? "",
    own: true,
    install: [],
    score: 0,
  };
  return planEnv({
    best,
    candidates: [best],
    blocks,
    docs,
    docByKey,
    fragments: configEntries(blocks).fragments,
    facts,
    text,
    movedEnv: [],
    plannedHeaders: {},
    readmeFile,
    evidence,
  });
}

/** Whether a description names two or more other variables (a list of keys, not a description). */
function listsKeys(description: string, key: string): boolean {
  const others = new Set(
    [...description.matchAll(/\b[A-Z][A-Z0-9]*_[A-Z0-9_]{2,}\b/g)].map((m) => m[0]),
  );
  others.delete(key);
  return others.size >= 1 && description.includes(key) || others.size >= 2;
}
