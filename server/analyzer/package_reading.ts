/**
 * @module What the analyzer reads of a registry package (npm tarball, PyPI JSON): its README,
 * its manifest and the GitHub repository it names, plus the version-keyed cache of those
 * readings (an in-memory LRU in front of the store's HTTP cache area when one is given).
 */
import { z } from "zod";
import type { EtagCache } from "./github.ts";
import { GITHUB_OWNER_RE, GITHUB_REPO_RE } from "../../runtime/github_names.ts";

/** Longest README kept from a package, in bytes. */
export const MAX_PACKAGE_README_BYTES = 512 * 1024;

/** A GitHub repository folder a package names as its source. */
export interface PackageRepo {
  owner: string;
  repo: string;
  /** Folder of the package in a monorepo (npm `repository.directory`, a `/tree/REF/…` URL). */
  subpath: string | null;
}

/** One package version as read from its registry. */
export interface PackageReading {
  registry: "npm" | "pypi";
  name: string;
  /** The version read (the registry's resolution of a tag or an unpinned spec). */
  version: string;
  /** The registry's one-line description (npm `description`, PyPI `summary`). */
  description: string;
  homepage: string | null;
  /** The package's README (`package/README.md`, PyPI `description`); null when it has none. */
  readme: { path: string; text: string } | null;
  /** Manifest name → text (`package.json` from the tarball, a `pyproject.toml` for PyPI). */
  files: Record<string, string>;
  repository: PackageRepo | null;
  /** Env vars the package's code reads (npm: its JS files), secret-looking first. */
  codeEnv: string[];
  /** Non-fatal problems met while reading (tarball too large, README over the limit…). */
  warnings: string[];
}

const PackageReadingSchema = z.object({
  registry: z.enum(["npm", "pypi"]),
  name: z.string(),
  version: z.string(),
  description: z.string(),
  homepage: z.string().nullable(),
  readme: z.object({ path: z.string(), text: z.string() }).nullable(),
  files: z.record(z.string(), z.string()),
  repository: z.object({
    owner: z.string(),
    repo: z.string(),
    subpath: z.string().nullable(),
  }).nullable(),
  codeEnv: z.array(z.string()).default([]),
  warnings: z.array(z.string()),
});

const SEGMENT_RE = /^[A-Za-z0-9._@+-]+$/;

/**
 * The GitHub repository a package's repository URL points at, leniently: `git+https://…git`,
 * `git://`, `git+ssh://git@github.com/…`, `github:owner/repo`, `owner/repo`, and any page of the
 * repository (`/tree/REF/SUB` gives the folder).
 * @param url the URL as the package gives it
 * @param directory npm `repository.directory`, when given
 * @returns the repository, or null when the URL is not a GitHub repository
 */
export function githubRepoOf(url: string, directory?: string | null): PackageRepo | null {
  const raw = url.trim();
  let path: string;
  const short = raw.match(/^(?:github:)?([A-Za-z0-9-]+\/[A-Za-z0-9._-]+)$/);
  if (short) path = short[1];
  else {
    const m =
      raw.match(/^(?:git\+)?(?:https?|git|ssh):\/\/(?:[^@/]+@)?(?:www\.)?github\.com[/:](.+)$/i) ??
        raw.match(/^git@github\.com:(.+)$/i);
    if (!m) return null;
    path = m[1].replace(/[?#].*$/, "");
  }
  const parts = path.split("/").filter(Boolean);
  if (parts.length < 2) return null;
  const owner = parts[0];
  const repo = parts[1].replace(/\.git$/i, "");
  if (!GITHUB_OWNER_RE.test(owner) || !GITHUB_REPO_RE.test(repo)) return null;
  let sub = (directory ?? "").replace(/^\.?\/+|\/+$/g, "");
  if (!sub && parts[2] === "tree" && parts.length > 4) sub = parts.slice(4).join("/");
  const segs = sub.split("/").filter(Boolean);
  const subpath = segs.length && segs.every((s) => SEGMENT_RE.test(s) && s !== "." && s !== "..")
    ? segs.join("/")
    : null;
  return { owner, repo, subpath };
}

/** Cut a README to {@linkcode MAX_PACKAGE_README_BYTES}; says so in `warnings`. */
export function capReadme(text: string, warnings: string[]): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= MAX_PACKAGE_README_BYTES) return text;
  warnings.push(`the package README is over ${MAX_PACKAGE_README_BYTES / 1024} KB; read its start`);
  return new TextDecoder().decode(bytes.subarray(0, MAX_PACKAGE_README_BYTES)).replace(
    /\uFFFD$/,
    "",
  );
}

/** Readings kept in memory, most recently used last. */
const MEMORY_ENTRIES = 64;
const memory = new Map<string, PackageReading>();

/**
 * Version-keyed package readings: the in-memory LRU first, then `store` (the store's HTTP cache
 * area through the analyzer's {@linkcode EtagCache}; a reading too large for it is not kept).
 */
export class PackageCache {
  /** @param store the persistent cache, when the analyzer has one */
  constructor(private readonly store?: EtagCache) {}

  /** The reading cached under `key` (`npm:REGISTRY/NAME@VERSION`), or null. */
  async get(key: string): Promise<PackageReading | null> {
    const hit = memory.get(key);
    if (hit) {
      memory.delete(key);
      memory.set(key, hit);
      return hit;
    }
    const stored = await this.store?.get(`package:${key}`).catch(() => null);
    if (!stored) return null;
    try {
      const reading = PackageReadingSchema.parse(JSON.parse(stored.body));
      remember(key, reading);
      return reading;
    } catch {
      return null;
    }
  }

  /** Cache a reading; a failing store is ignored (the reading is only an optimisation). */
  async set(key: string, reading: PackageReading): Promise<void> {
    remember(key, reading);
    await this.store?.set(`package:${key}`, {
      etag: reading.version,
      body: JSON.stringify(reading),
    })
      .catch(() => {});
  }
}

function remember(key: string, reading: PackageReading): void {
  memory.delete(key);
  memory.set(key, reading);
  while (memory.size > MEMORY_ENTRIES) memory.delete(memory.keys().next().value!);
}
