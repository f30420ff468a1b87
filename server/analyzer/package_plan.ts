/**
 * @module `npx:`/`uvx:` plans read like GitHub repositories: the package's own README and
 * manifest (and, when the package names a GitHub repository that answers, that folder too) go
 * through the same evidence reader as a repository, and its environment variables, extra
 * arguments, description and detected tools fill the deterministic plan.
 */
import { type Plan, PlanSchema } from "../schemas/server.ts";
import type { ArgField } from "./secret_args.ts";
import type { Settings } from "../settings.ts";
import { createLogger } from "../../runtime/foundation/log.ts";
import { errorMessage } from "../errors.ts";
import { type EvidenceResult, gatherEvidence } from "./evidence.ts";
import { type EtagCache, fetchRepoSnapshot, type RepoSnapshot } from "./github.ts";
import { npmBaseName, pypiBaseName } from "./launch.ts";
import { detectTools } from "./readme_summary.ts";
import { isPlaceholder, PLACEHOLDER_PATH_RE } from "./env_names.ts";
import { looksSecret } from "./env_names.ts";
import { requiredSecretKinds } from "./env_prose.ts";
import { documentedFlagFields } from "./flag_docs.ts";
import { hostPathArgs } from "./mount_hints.ts";
import { managesInstall } from "./candidate_scores.ts";
import { readNpmPackage } from "./npm_package.ts";
import { readPypiPackage } from "./pypi_package.ts";
import { PackageCache, type PackageReading } from "./package_reading.ts";

const log = createLogger("analyzer");

/** What {@linkcode withPackageReading} needs. */
export interface PackagePlanDeps {
  settings: Settings;
  /** The analyzer's outbound fetch. */
  fetch: typeof fetch;
  /** The store's HTTP cache area (ETag cache), for package readings and GitHub replies. */
  cache?: EtagCache;
  onProgress?: (step: "reading_registry" | "fetching_repo", detail?: string) => void;
}

/** Every README-derived fact ignored for a package (its launch is already known). */
const IGNORED_WARNINGS = /^no launch command found|^only a \S+ was found/;

function baseOf(runtime: "npx" | "uvx", spec: string): string {
  return runtime === "npx" ? npmBaseName(spec) : pypiBaseName(spec);
}

/** The evidence's plan, when it launches this package with this runtime over stdio. */
function launchesPackage(
  ev: EvidenceResult | null,
  runtime: "npx" | "uvx",
  base: string,
): boolean {
  const p = ev?.plan;
  return !!p && p.runtime === runtime && p.transport === "stdio" && !!p.package &&
    baseOf(runtime, p.package) === base;
}

/** The README's arguments for this package, with the user's spec in the package's place. */
function argsFor(ev: EvidenceResult, runtime: "npx" | "uvx", plan: Plan, base: string): string[] {
  const args = launcherArgs(ev.plan!.command ?? "", ev.plan!.args, runtime);
  if (!args) return plan.args;
  const i = args.findIndex((a) => !a.startsWith("-") && baseOf(runtime, a) === base);
  if (i < 0) return plan.args;
  args[i] = plan.package!;
  if (runtime === "npx" && !args.includes("-y") && !args.includes("--yes")) args.unshift("-y");
  return args;
}

async function readRepo(
  reading: PackageReading,
  deps: PackagePlanDeps,
): Promise<RepoSnapshot | null> {
  const repo = reading.repository;
  if (!repo || !deps.settings.githubApiUrl) return null;
  const full = `${repo.owner}/${repo.repo}${repo.subpath ? `/${repo.subpath}` : ""}`;
  deps.onProgress?.("fetching_repo", full);
  const ref = {
    owner: repo.owner,
    repo: repo.repo,
    ref: null,
    subpath: repo.subpath,
    url: `https://github.com/${repo.owner}/${repo.repo}`,
  };
  try {
    return await fetchRepoSnapshot(ref, {
      apiUrl: deps.settings.githubApiUrl,
      token: deps.settings.githubToken,
      fetch: deps.fetch,
      cache: deps.cache,
    });
  } catch (e) {
    // More evidence only: the package's own README suffices.
    log.info("package repository not read", { repo: full, error: errorMessage(e) });
    return null;
  }
}

/** The package's manifests for the reader: a repository `pyproject.toml` of the same package wins. */
function packageFiles(
  reading: PackageReading,
  snapshot: RepoSnapshot | null,
): Record<string, string> {
  const files = { ...reading.files };
  if (reading.registry === "pypi" && snapshot && manifestNames(snapshot, reading)) {
    files["pyproject.toml"] = snapshot.files["pyproject.toml"];
  }
  return files;
}

/**
 * The README's launch as arguments of the plan's own launcher (`npx`/`uvx`): `uv run --with PKG
 * [--python V] CMD …` is `uvx [--python V] --from PKG CMD …`, `uv tool run …` is `uvx …`; null
 * for a launcher with no such reading.
 */
export function launcherArgs(
  command: string,
  args: readonly string[],
  runtime: "npx" | "uvx",
): string[] | null {
  const bin = command.split(/[\\/]/).at(-1)!.replace(/\.(exe|cmd)$/i, "").toLowerCase();
  if (bin === runtime) return [...args];
  if (runtime !== "uvx" || bin !== "uv") return null;
  if (args[0] === "tool" && args[1] === "run") return args.slice(2);
  if (args[0] !== "run") return null;
  const out: string[] = [];
  let from: string | null = null;
  let i = 1;
  for (; i < args.length && args[i].startsWith("-"); i++) {
    const [flag, inline] = args[i].split(/=(.*)/s, 2);
    const value = inline ?? args[i + 1];
    if (flag === "--with") from = value;
    else if (flag === "--python" || flag === "-p") out.push("--python", value);
    else if (flag !== "--no-project" && flag !== "--isolated") return null;
    if (inline === undefined && flag !== "--no-project" && flag !== "--isolated") i++;
  }
  const target = args[i];
  if (!from || !target) return null;
  const rest = args.slice(i + 1);
  return pypiBaseName(from) === pypiBaseName(target)
    ? [...out, from, ...rest]
    : [...out, "--from", from, target, ...rest];
}

/** Whether the repository folder's own manifest is this package's. */
function manifestNames(snapshot: RepoSnapshot, reading: PackageReading): boolean {
  const text = snapshot.files[reading.registry === "npm" ? "package.json" : "pyproject.toml"];
  const name = reading.registry === "npm"
    ? text?.match(/"name"\s*:\s*"([^"]+)"/)?.[1]
    : text?.match(/^\s*name\s*=\s*["']([^"']+)["']/m)?.[1];
  if (!name) return false;
  return reading.registry === "npm"
    ? name === reading.name
    : pypiBaseName(name) === pypiBaseName(reading.name);
}

/**
 * Fill an `npx:`/`uvx:` plan from its registry package: description, env keys (required and
 * secret as the README says), the README's extra arguments (when the source gave none) and
 * detected tools. Registry and tarball failures become warnings; the plan always stands.
 * @param plan the deterministic plan of the source
 * @param runtime `npx` or `uvx`
 * @param deps settings, fetch, cache, progress
 */
export async function withPackageReading(
  plan: Plan,
  runtime: "npx" | "uvx",
  deps: PackagePlanDeps,
): Promise<Plan> {
  const { settings } = deps;
  const registry = runtime === "npx" ? settings.npmRegistryUrl : settings.pypiUrl;
  const spec = plan.package;
  if (!registry || !spec) return plan;
  deps.onProgress?.("reading_registry", `${spec} on ${new URL(registry).host}`);
  const options = { npmRegistryUrl: settings.npmRegistryUrl, pypiUrl: settings.pypiUrl, ...deps };
  const cache = new PackageCache(deps.cache);
  let reading: PackageReading | null;
  try {
    reading = runtime === "npx"
      ? await readNpmPackage(spec, options, cache)
      : await readPypiPackage(spec, options, cache);
  } catch (e) {
    log.info("registry lookup failed", { package: spec, error: errorMessage(e) });
    return {
      ...plan,
      warnings: [...plan.warnings, `could not read ${spec} from the registry: ${errorMessage(e)}`],
    };
  }
  if (!reading) {
    return { ...plan, warnings: [...plan.warnings, `${spec} not found in the registry`] };
  }

  const snapshot = await readRepo(reading, deps);
  const base = baseOf(runtime, spec);
  const own = gatherEvidence({
    readme: reading.readme,
    files: packageFiles(reading, snapshot),
    repoName: base.replace(/^@[^/]+\//, ""),
    subpath: null,
    launches: { runtime, package: base },
  });
  const repo = snapshot
    ? gatherEvidence({
      readme: snapshot.readme,
      files: { ...snapshot.files, ...packageFiles(reading, snapshot) },
      repoName: snapshot.ref.repo,
      subpath: snapshot.ref.subpath,
      launches: { runtime, package: base },
    })
    : null;
  const ownFits = launchesPackage(own, runtime, base);
  const repoFits = launchesPackage(repo, runtime, base);
  // A repository README that does not launch the package counts only when the folder is the
  // package's own (a monorepo's root README documents other servers).
  const repoIsPackage = !!snapshot && (!!snapshot.ref.subpath || manifestNames(snapshot, reading));
  const primary = repoFits && !ownFits
    ? repo!
    : !own.plan && repo?.plan && repoIsPackage
    ? repo
    : own;
  const secondary = primary === own && repoFits && repoIsPackage
    ? repo
    : primary === repo && ownFits
    ? own
    : null;
  const fits = primary === own ? ownFits : repoFits;

  const env = primary.plan && primary.plan.runtime !== "remote" ? [...primary.plan.env] : [];
  for (const e of secondary?.plan?.env ?? []) {
    if (!env.some((x) => x.key === e.key)) env.push(e);
  }
  // No README names any: the variables the package's own code reads, offered as optional fields.
  const fromCode = env.length ? [] : reading.codeEnv;
  // "A Mapbox access token is required to use this server": the one such key the code reads.
  const kinds = requiredSecretKinds(reading.readme?.text ?? "");
  const sole = new Set(kinds.flatMap((kind) => {
    const of = fromCode.filter((k) => looksSecret(k) && k.endsWith(kind));
    return of.length === 1 ? of : [];
  }));
  for (const key of fromCode) {
    env.push({
      key,
      description: sole.has(key)
        ? "read by the package's code; its README says this kind of credential is required"
        : "read by the package's code (its README does not document it)",
      required: sole.has(key),
      secret: looksSecret(key),
    });
  }
  // A README's documented default is the server's own (or an illustration): passing it changes
  // nothing at best and breaks the start at worst, so it stays in the description only.
  for (const [i, e] of env.entries()) {
    if (e.default === undefined) continue;
    const { default: value, ...rest } = e;
    const said = rest.description?.includes(value) ? "" : ` (default ${value})`;
    env[i] = { ...rest, description: `${rest.description ?? ""}${said}`.trim().slice(0, 2000) };
  }
  const userArgs = plan.args.length > (runtime === "npx" ? 2 : 1);
  const written = fits && !userArgs ? argsFor(primary, runtime, plan, base) : plan.args;
  // (`pcb-lens --update` "to update manually" is no way to serve it.)
  const readmeArgs = managesInstall(written.slice(written.indexOf(plan.package!) + 1))
    ? plan.args
    : written;
  // A README's example values (`--db ~/data.db`, `YOUR_KEY`) would break a launch that works
  // without them: the plan leaves them out and says what the README passes (positional host
  // folders stay, for the mount hint).
  const stripped = withoutExamples(readmeArgs);
  const example = readmeArgs.find((a) => isExampleValue(a) && !stripped.args.includes(a));
  const kept = example === undefined ? { args: readmeArgs, fields: [] } : stripped;
  const args = kept.args;
  const argsWarning = example === undefined ? [] : kept.fields.length
    ? [
      `the README runs it with \`${readmeArgs.join(" ").slice(0, 300)}\`: fill in ${
        kept.fields.map((f) => f.flag).join(", ")
      } with your own values (the README shows examples)`,
    ]
    : [
      `the README runs it with \`${
        readmeArgs.join(" ").slice(0, 300)
      }\`: add those arguments with your own values (${example} is an example)`,
    ];
  const readmeText = (primary === repo ? snapshot?.readme?.text : reading.readme?.text) ?? "";
  // As for repositories: the registry's (or GitHub's) own words first, then the README's.
  const description = plan.description || reading.description || snapshot?.metadata.description ||
    own.readme.summary || repo?.readme.summary || "";
  const warnings = [
    ...plan.warnings,
    ...reading.warnings,
    ...argsWarning,
    ...(fits ? primary.warnings.filter((w) => !IGNORED_WARNINGS.test(w)) : []),
  ];
  if (!reading.readme && !snapshot?.readme) {
    warnings.push(`${spec} has no README: add the env vars it needs before saving`);
  }
  if (fromCode.length) {
    warnings.push(
      `the README names no env vars; the package's code reads ${
        fromCode.join(", ")
      } (offered as optional)`,
    );
  }
  const readFields = [...(fits ? primary.plan?.arg_fields ?? [] : []), ...kept.fields];
  // "`--project-id`: (Required)": asked for when the launch does not pass it.
  const argFields = [
    ...readFields,
    ...documentedFlagFields(readmeText, args, readFields, env.map((e) => e.key)),
  ];
  const merged = PlanSchema.safeParse({
    ...plan,
    args,
    env: env.slice(0, 100),
    description: description.slice(0, 4000),
    detected_tools: plan.detected_tools.length ? plan.detected_tools : detectTools(readmeText),
    arg_fields: argFields.slice(0, 20),
    evidence: [
      ...plan.evidence,
      { field: "package", file: `${reading.registry}:${reading.name}@${reading.version}` },
      ...primary.evidence.filter((e) => e.field !== "runtime" || fits),
    ].slice(0, 200),
    warnings: [...new Set(warnings)].slice(0, 50),
  });
  if (!merged.success) {
    log.warn("package reading gave an invalid plan", { issues: merged.error.issues.slice(0, 3) });
    return { ...plan, description: plan.description || reading.description };
  }
  return merged.data;
}

/**
 * The README's arguments without its example values (and the flags they are the values of):
 * `serve --vault notes=/path/to/vault` keeps `serve`, the sub-command the server needs.
 */
function withoutExamples(args: readonly string[]): { args: string[]; fields: ArgField[] } {
  const out: string[] = [];
  const fields: ArgField[] = [];
  for (const a of args) {
    // A positional host folder (`/path/to/vault`) stays as the README writes it: the mount hint
    // says which folder to mount there (as for a repository's plan).
    // So does a positional URL (`mcp-proxy http://example.io/sse`): the server's one input. (A
    // flag's example path, `--repository path/to/git/repo`, would break a launch that works
    // without it: it becomes a field.)
    const positional = !/^-[^=]+$/.test(out.at(-1) ?? "") && !a.startsWith("-");
    if (
      !isExampleValue(a) || (positional && (hostPathArgs([a]).length > 0 ||
        (URL_ARG_RE.test(a) && !CREDENTIAL_URL_EXAMPLE_RE.test(a))))
    ) {
      out.push(a);
      continue;
    }
    // `--account your_account` / `--db=~/x.db`: the flag is the user's to fill.
    const joined = a.match(/^(-[^=]+)=/)?.[1];
    const flag = /^-[^=]+$/.test(out.at(-1) ?? "") ? out.pop()! : joined;
    if (flag) {
      fields.push({
        flag,
        equals: flag === joined,
        description: `value for ${flag} (the README shows ${a.replace(/^-[^=]+=/, "")})`,
        // Whether the server starts without it is not known (git's `--repository` is optional):
        // a field to fill, not a value the launch waits for.
        required: false,
        // (A connection string with a password in it is a secret too.)
        secret: looksSecret(flag.replace(/^-+/, "").toUpperCase().replace(/-/g, "_")) ||
          CREDENTIAL_URL_EXAMPLE_RE.test(a.replace(/^-[^=]+=/, "")),
      });
    }
  }
  return { args: out, fields };
}

/** An argument that is a URL (`http://example.io/sse`, `ws://…`). */
const URL_ARG_RE = /^[a-z][a-z0-9+.-]*:\/\/\S+$/i;

/** Whether a README argument is an example value a user must replace (a placeholder or sample path). */
export function isExampleValue(arg: string): boolean {
  const value = arg.includes("=") && arg.startsWith("-") ? arg.slice(arg.indexOf("=") + 1) : arg;
  if (value.startsWith("-") || value === "") return false;
  return isPlaceholder(value) || PLACEHOLDER_PATH_RE.test(value) ||
    /^~[/\\]/.test(value) || /^(\/Users\/|\/home\/|C:\\Users\\)[^/\\]+/i.test(value) ||
    // `postgres://user:password@localhost:5432/dbname`: the user's own database, not a default.
    CREDENTIAL_URL_EXAMPLE_RE.test(value);
}

/** A connection URL with a sample credential (`postgres://user:password@host/db`). */
const CREDENTIAL_URL_EXAMPLE_RE =
  /^[a-z][\w+.-]*:\/\/[^/\s:@]*user[^/\s:@]*:[^/\s@]*(pass|pwd|secret)[^/\s@]*@/i;
