/**
 * @module Analyzer entry point: any source (GitHub URL, `npx:`, `uvx:`, `image:`, MCP URL) →
 * a plan that `PlanSchema` (and so `POST /api/servers`) accepts as is.
 */
import { documentedFlagFields } from "./flag_docs.ts";
import { type Plan, PlanSchema } from "../schemas/server.ts";
import type { Settings } from "../settings.ts";
import { createLogger } from "../../runtime/foundation/log.ts";
import { createRetryingFetch } from "../http/retry_fetch.ts";
import { AnalyzerError } from "./errors.ts";
import { parseGithubUrl } from "./github_url.ts";
import { type EtagCache, fetchRepoSnapshot } from "./github.ts";
import { gatherEvidence } from "./evidence.ts";
import { detectTools } from "./readme_summary.ts";
import { askClaude, mergePlans } from "./planner.ts";
import { classifySource, planFromSource, SourceError } from "./source_plan.ts";
import { deriveServerNames } from "./server_names.ts";
import { withPackageReading } from "./package_plan.ts";
import { withMountHints } from "./mount_hints.ts";
import {
  nextCandidateRepairer,
  type Repairer,
  type VerifyReport,
  verifyWithRepairs,
} from "./repair.ts";
import { claudeRepairer } from "./claude_repair.ts";
import { ungroundedWarnings } from "./grounding.ts";

const log = createLogger("analyzer");

/** Progress steps reported through `deps.onProgress`. */
export type AnalyzeStep =
  | "reading_registry"
  | "fetching_repo"
  | "reading_manifests"
  | "asking_claude"
  | "verifying"
  | "done";

export type { VerifyReport };

/** Dependencies of {@linkcode analyze}. */
export interface AnalyzeDeps {
  settings: Settings;
  /** Outbound fetch for GitHub (default: a {@linkcode createRetryingFetch}, 30 s timeout). */
  fetch?: typeof fetch;
  /**
   * Fetch for the Anthropic SDK (default: a {@linkcode createRetryingFetch} with a 120 s timeout,
   * since a non-streaming answer only sends headers once complete; falls back to `fetch` when
   * only that is given).
   */
  anthropicFetch?: typeof fetch;
  /** ETag cache for GitHub responses. */
  cache?: EtagCache;
  /** Verifier, called when `input.verify` is true; its failure never loses the plan. */
  verify?: (plan: Plan) => Promise<VerifyReport>;
  onProgress?: (step: AnalyzeStep, detail?: string) => void;
  /** Names already taken; the plan's name gets `-2`, `-3`… appended on a clash. */
  existingNames?: ReadonlySet<string>;
}

/** An analysis result: a plan plus the optional verification report. */
export type AnalysisResult = Plan & { verification?: VerifyReport };

/** Make `name` unique against `taken` by appending `-2`, `-3`, … (keeping ≤48 chars). */
export function uniqueName(name: string, taken?: ReadonlySet<string>): string {
  if (!taken?.has(name)) return name;
  for (let n = 2;; n++) {
    const suffix = `-${n}`;
    const candidate = `${name.slice(0, 48 - suffix.length).replace(/-+$/, "")}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

async function finish(
  plan: Plan,
  input: { verify?: boolean },
  deps: AnalyzeDeps,
  repair?: Repairer,
): Promise<AnalysisResult> {
  let result: AnalysisResult = {
    ...withMountHints(plan),
    name: uniqueName(plan.name, deps.existingNames),
  };
  if (input.verify && deps.verify) {
    deps.onProgress?.("verifying");
    // A failed launch is repaired (Claude, else the README's next documented launch).
    const verified = await verifyWithRepairs(
      result,
      deps.verify,
      repair ?? nextCandidateRepairer(result),
      (detail) => deps.onProgress?.("verifying", detail),
    );
    result = { ...verified.plan, name: result.name, verification: verified.verification };
    // It launched only with dependencies as of its release: the plan keeps that resolution.
    const resolution = verified.verification.install_resolution;
    if (verified.verification.ok && typeof resolution === "string") {
      result.install_resolution = resolution;
    }
    // Nothing else described the server: use what it said of itself when it was launched.
    const said = verified.verification.self_description;
    if (!result.description && typeof said === "string" && said) result.description = said;
  }
  deps.onProgress?.("done");
  return result;
}

/**
 * Analyse a source and return a plan.
 * @param input `source` (GitHub URL, `npx:PKG`, `uvx:PKG`, `image:REF`, MCP URL); `verify` to
 *   run `deps.verify` on the plan
 * @param deps settings, fetch, cache, verifier, progress callback, taken names
 * @throws {AnalyzerError} `bad_source` (400), `repo_not_found` (404), `github_failed` /
 *   `github_rate_limited` / `anthropic_failed` (502), `no_launch_found` (422)
 */
export async function analyze(
  input: { source: string; verify?: boolean },
  deps: AnalyzeDeps,
): Promise<AnalysisResult> {
  const source = (input.source ?? "").trim();
  const kind = classifySource(source);
  if (kind !== "github") {
    let plan: Plan;
    try {
      plan = planFromSource(source);
    } catch (e) {
      if (e instanceof SourceError) throw new AnalyzerError("bad_source", e.message, { cause: e });
      throw e;
    }
    if ((plan.runtime === "npx" || plan.runtime === "uvx") && plan.package) {
      // The package's README and manifest, read like a repository's (see package_plan.ts).
      plan = await withPackageReading(plan, plan.runtime, {
        settings: deps.settings,
        fetch: deps.fetch ?? createRetryingFetch({ timeoutMs: 10_000, retries: 2 }),
        cache: deps.cache,
        onProgress: deps.onProgress,
      });
    }
    return await finish(plan, input, deps);
  }
  const ref = parseGithubUrl(source);
  const { settings } = deps;
  const fetchFn = deps.fetch ?? createRetryingFetch();

  deps.onProgress?.(
    "fetching_repo",
    `${ref.owner}/${ref.repo}${ref.subpath ? `/${ref.subpath}` : ""}`,
  );
  const snapshot = await fetchRepoSnapshot(ref, {
    apiUrl: settings.githubApiUrl,
    token: settings.githubToken,
    fetch: fetchFn,
    cache: deps.cache,
  });

  deps.onProgress?.("reading_manifests", Object.keys(snapshot.files).join(", "));
  const ev = gatherEvidence({
    readme: snapshot.readme,
    files: snapshot.files,
    repoName: ref.repo,
    subpath: ref.subpath,
    owner: ref.owner,
  });
  const warnings = [...snapshot.warnings];

  let claudePlan = null;
  const promptInput = {
    repo: `${ref.owner}/${ref.repo}`,
    subpath: ref.subpath,
    description: snapshot.metadata.description,
    readme: snapshot.readme?.text ?? "",
    files: snapshot.files,
    candidates: ev.candidates,
    heuristic: ev.plan,
  };
  const plannerOptions = {
    settings,
    fetch: deps.anthropicFetch ?? deps.fetch ??
      createRetryingFetch({ timeoutMs: 120_000, perHostConcurrency: 2 }),
  };
  if (settings.anthropicApiKey) {
    deps.onProgress?.("asking_claude", settings.anthropicModel);
    const outcome = await askClaude(promptInput, plannerOptions);
    warnings.push(...outcome.warnings);
    claudePlan = outcome.plan;
    if (claudePlan) {
      warnings.push(
        ...ungroundedWarnings(claudePlan, [promptInput.readme, ...Object.values(snapshot.files)]),
      );
    }
    if (!claudePlan && outcome.apiError && !ev.plan) {
      throw new AnalyzerError(
        "anthropic_failed",
        `Claude request failed: ${outcome.apiError.message}`,
        {
          cause: outcome.apiError,
        },
      );
    }
  }
  const declared = new Map<string, { isRequired?: boolean; isSecret?: boolean }>();
  for (const p of ev.facts.serverJson?.packages ?? []) {
    for (const e of p.env) declared.set(e.name, e);
  }
  const merged = mergePlans(ev.plan, claudePlan, { declared });
  const dockerfile = ev.facts.dockerfile;
  if (!merged && dockerfile && !dockerfile.entrypoint && dockerfile.exposes.length) {
    // Only a base image with a port opened: what serves there, and how, is written nowhere.
    throw new AnalyzerError(
      "no_launch_found",
      `no plan is possible for ${ref.owner}/${ref.repo}: its ${dockerfile.file} only extends ` +
        `${dockerfile.from ?? "a base image"} and exposes port ${dockerfile.exposes[0]}, and the ` +
        "README documents no MCP client configuration, command or endpoint",
    );
  }
  if (!merged && dockerfile) {
    // Nothing says how to run it, but the folder has a Dockerfile: build the image from it.
    return await finish(
      dockerfilePlan(snapshot, ev, ref),
      input,
      deps,
    );
  }
  if (!merged) {
    throw new AnalyzerError(
      "no_launch_found",
      `no way to run ${ref.owner}/${ref.repo}${
        ref.subpath ? `/${ref.subpath}` : ""
      } was found in its README or manifests` +
        (ev.warnings.length ? ` (${ev.warnings.join("; ")})` : ""),
    );
  }
  // Merged plans keep the evidence warnings that still apply.
  warnings.push(
    ...(merged.source === "heuristic" ? ev.warnings : ev.facts.warnings),
    ...merged.notes,
  );

  const names = deriveServerNames({
    kind: "github",
    owner: ref.owner,
    repo: ref.repo,
    subpath: ref.subpath,
  });
  const f = merged.fields;
  const description = (f.description ||
    (ref.subpath ? ev.facts.npm?.description || ev.facts.python?.description : "") ||
    snapshot.metadata.description || ev.facts.serverJson?.description || ev.readme.summary || "")
    .slice(0, 4000);
  const readFields = ev.plan && f.command === ev.plan.command && f.runtime === ev.plan.runtime
    ? ev.plan.arg_fields ?? []
    : [];
  // "`--project-id`: (Required)": asked for when the launch does not pass it.
  const argFields = f.runtime === "remote" ? readFields : [
    ...readFields,
    ...documentedFlagFields(
      snapshot.readme?.text ?? "",
      f.args,
      readFields,
      f.env.map((e) => e.key),
    ),
  ];
  const raw = {
    name: names.name,
    display_name:
      (f.display_name || ev.readme.title || ev.facts.serverJson?.title || names.display_name)
        .slice(0, 200),
    description,
    runtime: f.runtime,
    install: f.install,
    command: f.command,
    args: f.args,
    transport: f.transport,
    ...(ev.plan?.port && f.runtime === "image" && f.image === ev.plan.image &&
        f.transport === ev.plan.transport
      ? { port: ev.plan.port, path: ev.plan.path ?? null }
      : {}),
    url: f.url,
    headers: f.runtime === "remote" && ev.plan?.runtime === "remote" ? ev.plan.headers ?? {} : {},
    package: f.package,
    image: f.image,
    env: f.env,
    detected_tools: f.detected_tools.length
      ? f.detected_tools
      : detectTools(snapshot.readme?.text ?? ""),
    source: merged.source,
    evidence: [...ev.evidence, ...merged.evidence].slice(0, 200),
    // The README's other documented launches (minus the one planned), for the review form.
    alternatives: (ev.plan?.alternatives ?? []).filter((a) =>
      a.runtime !== f.runtime || (a.package ?? a.image ?? a.url) !== (f.package ?? f.image ?? f.url)
    ).slice(0, 10),
    arg_fields: argFields,
    warnings: [...new Set(warnings)].slice(0, 50),
    origin: { kind: "github" as const, ref: ref.url },
  };
  const parsed = PlanSchema.safeParse(raw);
  if (!parsed.success) {
    log.error("analyzer produced an invalid plan", { issues: parsed.error.issues.slice(0, 5) });
    throw new AnalyzerError(
      "no_launch_found",
      `the derived plan is invalid: ${parsed.error.issues[0]?.message}`,
    );
  }
  log.info("analysis done", {
    repo: `${ref.owner}/${ref.repo}`,
    runtime: parsed.data.runtime,
    source: merged.source,
  });
  const fallback = nextCandidateRepairer(parsed.data);
  const repair = settings.anthropicApiKey
    ? claudeRepairer(promptInput, plannerOptions, fallback)
    : fallback;
  return await finish(parsed.data, input, deps, repair);
}

/** A plan that builds the server's image from the repository folder's Dockerfile. */
function dockerfilePlan(
  snapshot: Awaited<ReturnType<typeof fetchRepoSnapshot>>,
  ev: ReturnType<typeof gatherEvidence>,
  ref: ReturnType<typeof parseGithubUrl>,
): Plan {
  const names = deriveServerNames({
    kind: "github",
    owner: ref.owner,
    repo: ref.repo,
    subpath: ref.subpath,
  });
  const dockerfile = ev.facts.dockerfile!;
  return PlanSchema.parse({
    name: names.name,
    display_name: (ev.readme.title || names.display_name).slice(0, 200),
    description: (snapshot.metadata.description || ev.readme.summary || "").slice(0, 4000),
    runtime: "image",
    image: null,
    build: {
      repo: `${ref.owner}/${ref.repo}`,
      ref: ref.ref ?? snapshot.metadata.defaultBranch,
      path: ref.subpath ?? "",
      dockerfile: dockerfile.file,
    },
    command: null,
    // The README attaches to its container with `docker exec -i NAME CMD…`: run CMD in the image.
    args: ev.execCommand ?? [],
    env: ev.builtImageEnv ?? [],
    transport: "stdio",
    source: "heuristic",
    evidence: [
      { field: "build", file: dockerfile.file, text: dockerfile.entrypoint ?? undefined },
      ...ev.evidence,
    ],
    warnings: [
      `built from the repository's ${dockerfile.file}: check that its ${
        dockerfile.entrypoint ? `entrypoint (${dockerfile.entrypoint})` : "entrypoint"
      } speaks MCP over stdio, and add the env vars it needs`,
    ],
    origin: { kind: "github", ref: ref.url },
  });
}
