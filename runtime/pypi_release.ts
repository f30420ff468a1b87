/**
 * @module PyPI releases of a uvx server's package: read the project's JSON
 * (`/pypi/NAME/json`) and pick the release a fresh `uv tool install SPEC` gets on a given Python —
 * the newest non-yanked release that the spec allows and whose `requires_python` admits that
 * Python — with its upload time (the "as-of" date of a resolution retry) and `requires_python`.
 */
import { z } from "zod";
import { compareVersions, isPrerelease, parseVersion, satisfies } from "./pep440.ts";

const FileSchema = z.object({
  upload_time_iso_8601: z.string().nullish(),
  requires_python: z.string().nullish(),
  yanked: z.boolean().default(false),
}).passthrough();

/** The parts of PyPI's project JSON this module reads. */
export const PypiProjectSchema = z.object({
  info: z.object({
    name: z.string(),
    version: z.string(),
    requires_python: z.string().nullish(),
  }).passthrough(),
  releases: z.record(z.string(), z.array(FileSchema)).default({}),
  urls: z.array(FileSchema).default([]),
});
/** The parts of PyPI's project JSON this module reads. */
export type PypiProject = z.infer<typeof PypiProjectSchema>;

/** One release as a resolver sees it. */
export interface PypiRelease {
  name: string;
  version: string;
  /** The latest upload time among the release's files (RFC 3339). */
  uploadedAt: string;
  /** The release's `requires_python`, or null when it states none. */
  requiresPython: string | null;
}

/** A requirement split into its distribution name and version specifier. */
export interface Requirement {
  name: string;
  /** PEP 440 specifier set (`==1.2`, `>=1,<2`), empty when unconstrained. */
  specifier: string;
}

/**
 * Split a uv install spec (`pkg`, `pkg[extra]==1.2`, `pkg>=1,<2`); null for URL, path and
 * direct-reference specs, which have no PyPI releases.
 */
export function parseRequirement(spec: string): Requirement | null {
  const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*?)\s*(?:;.*)?$/.exec(spec);
  if (!m || /[@/:]/.test(m[2]) || /^[.\/~]/.test(spec.trim())) return null;
  return { name: m[1], specifier: m[2].replace(/\s+/g, "") };
}

/** Where and how to read PyPI. */
export interface PypiOptions {
  /** PyPI base URL (`https://pypi.org`); empty disables every lookup. */
  pypiUrl: string;
  fetch?: typeof fetch;
  /** Time budget of one lookup in ms (default 15 000). */
  timeoutMs?: number;
}

/**
 * Read a project's JSON from PyPI.
 * @returns the project, or null when PyPI is disabled or does not know it
 * @throws on network errors, timeouts and unexpected replies
 */
export async function fetchPypiProject(
  name: string,
  options: PypiOptions,
): Promise<PypiProject | null> {
  if (!options.pypiUrl) return null;
  const base = options.pypiUrl.replace(/\/+$/, "");
  const res = await (options.fetch ?? fetch)(`${base}/pypi/${encodeURIComponent(name)}/json`, {
    headers: { accept: "application/json" },
    signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
  });
  if (res.status === 404) {
    await res.body?.cancel();
    return null;
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`${new URL(base).host} answered HTTP ${res.status} for ${name}`);
  }
  return PypiProjectSchema.parse(await res.json());
}

function releaseOf(
  name: string,
  version: string,
  files: z.infer<typeof FileSchema>[],
): PypiRelease | null {
  const live = files.filter((f) => !f.yanked && f.upload_time_iso_8601);
  if (live.length === 0) return null;
  const uploadedAt = live.map((f) => f.upload_time_iso_8601!).sort().at(-1)!;
  const requiresPython = live.find((f) => f.requires_python)?.requires_python ?? null;
  return { name, version, uploadedAt, requiresPython };
}

/**
 * The release a fresh install of `specifier` gets: the newest non-yanked release the specifier
 * allows (pre-releases only when nothing else matches, as uv does) whose `requires_python` admits
 * `python` (any Python when null).
 * @returns the release, or null when none fits
 */
export function pickRelease(
  project: PypiProject,
  options: { specifier?: string; python?: string | null },
): PypiRelease | null {
  const candidates: PypiRelease[] = [];
  for (const [version, files] of Object.entries(project.releases)) {
    if (!parseVersion(version) || !satisfies(version, options.specifier)) continue;
    const release = releaseOf(project.info.name, version, files);
    if (!release) continue;
    if (options.python && !satisfies(options.python, release.requiresPython)) continue;
    candidates.push(release);
  }
  candidates.sort((a, b) => compareVersions(b.version, a.version));
  return candidates.find((r) => !isPrerelease(parseVersion(r.version)!)) ?? candidates[0] ?? null;
}

/** The newest release regardless of Python (what the package's page calls current). */
export function newestRelease(project: PypiProject, specifier = ""): PypiRelease | null {
  return pickRelease(project, { specifier, python: null });
}
