/**
 * @module GitHub REST client for the analyzer: repository metadata, the README of a
 * (sub-)folder and the manifest files that exist there, with ETag caching.
 */
import { z } from "zod";
import { createLogger, registerSecret } from "../../runtime/foundation/log.ts";
import { AnalyzerError } from "./errors.ts";
import type { GithubRef } from "./github_url.ts";
import { errorMessage } from "../errors.ts";

const log = createLogger("analyzer.github");

/** ETag cache the lead backs with Deno KV; keys are request URLs. */
export interface EtagCache {
  get(key: string): Promise<{ etag: string; body: string } | null>;
  set(key: string, value: { etag: string; body: string }): Promise<void>;
}

/** Manifest file names fetched when present in the analysed folder. */
export const MANIFEST_FILES = [
  "package.json",
  "pyproject.toml",
  "setup.py",
  "Dockerfile",
  "Containerfile",
  "smithery.yaml",
  "server.json",
  "go.mod",
] as const;

/** Largest manifest read (bytes); bigger files are skipped with a warning. */
const MAX_MANIFEST_BYTES = 512 * 1024;

/** Sub-folders never holding the server itself. */
const NOISE_DIRS =
  /^(\.|_|docs?$|tests?$|examples?$|assets?$|images?$|img$|media$|scripts?$|node_modules$|dist$|build$|vendor$|static$|public$|benchmarks?$)/i;

/**
 * Which sub-folders' manifests to read (at most 4): those the README names as a path
 * (`cd server`, `server/`, `--directory …/server`), or, when the folder has no manifest of its
 * own, those whose name says server/MCP.
 */
export function subFoldersToRead(dirs: string[], readme: string, hasOwn: boolean): string[] {
  const named = dirs.filter((d) => !NOISE_DIRS.test(d)).filter((d) => {
    const e = d.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return new RegExp(`(\\bcd\\s+(\\./)?${e}\\b|[/\\s\`"']${e}/|/${e}["'\`\\s]|/${e}$)`, "m").test(
      readme,
    );
  });
  const guessed = hasOwn ? [] : dirs.filter((d) => !NOISE_DIRS.test(d) && /server|mcp/i.test(d));
  // Deeper folders the README runs from (`uv --directory …/mcp-servers/canvas run …`).
  const deeper = named.flatMap((d) => {
    const e = d.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const re = new RegExp(`(?:^|[\\s/\`"'])(${e}(?:/[A-Za-z0-9_-][A-Za-z0-9._-]*){1,2})`, "gm");
    return [...readme.matchAll(re)].map((m) => m[1].replace(/\/[^/]*\.[a-z]{1,4}$/i, ""))
      .filter((p) => p !== d && !p.split("/").some((seg) => NOISE_DIRS.test(seg)));
  });
  return [...new Set([...deeper, ...named, ...guessed])].slice(0, 6);
}

/** Repository metadata the analyzer uses. */
export interface RepoMetadata {
  fullName: string;
  description: string;
  defaultBranch: string;
  license: string | null;
  archived: boolean;
  htmlUrl: string;
}

/** Everything the analyzer reads from a repository folder. */
export interface RepoSnapshot {
  ref: GithubRef;
  metadata: RepoMetadata;
  /** Branch/tag actually read (the URL's ref or the default branch). */
  branch: string;
  /** README of the sub-folder (fallback: root); null when the repo has none. */
  readme: { path: string; text: string } | null;
  /** Manifest name → text, for those present in the folder. */
  files: Record<string, string>;
  /** Non-fatal problems (skipped files, README fallback). */
  warnings: string[];
}

/** Options of {@linkcode fetchRepoSnapshot}. */
export interface GithubClientOptions {
  /** API base URL (`settings.githubApiUrl`). */
  apiUrl: string;
  /** Optional token (`settings.githubToken`). */
  token?: string;
  /** The retrying fetch (default: global fetch). */
  fetch?: typeof fetch;
  /** ETag cache (default: none). */
  cache?: EtagCache;
}

const RepoSchema = z.object({
  full_name: z.string(),
  description: z.string().nullable().optional(),
  default_branch: z.string(),
  archived: z.boolean().optional().default(false),
  html_url: z.string().optional().default(""),
  license: z.object({ spdx_id: z.string().nullable().optional() }).nullable().optional(),
});

const ContentFileSchema = z.object({
  type: z.string().optional(),
  name: z.string(),
  path: z.string(),
  size: z.number().optional(),
  encoding: z.string().optional(),
  content: z.string().optional(),
});

const ListingSchema = z.array(z.object({ name: z.string(), type: z.string(), size: z.number() }));

function decodeBase64(b64: string): string {
  const bin = atob(b64.replace(/\s+/g, ""));
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/**
 * One segment of a GitHub API path, percent-encoded; `.` and `..` are refused since URL
 * normalisation would turn them into other API paths (`/repos/x/../../user`).
 */
function apiSegment(segment: string): string {
  if (segment === "." || segment === ".." || segment === "") {
    throw new AnalyzerError("bad_source", `invalid path segment ${JSON.stringify(segment)}`);
  }
  return encodeURIComponent(segment);
}

function encodePath(path: string): string {
  return path.split("/").filter(Boolean).map(apiSegment).join("/");
}

/** A small JSON GET helper with ETag caching and GitHub error mapping. */
class GithubApi {
  readonly #fetch: typeof fetch;
  constructor(private readonly opts: GithubClientOptions) {
    this.#fetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
    if (opts.token) registerSecret(opts.token);
  }

  /** GET a JSON resource; returns null on 404. */
  async get(path: string): Promise<unknown | null> {
    const url = `${this.opts.apiUrl.replace(/\/+$/, "")}${path}`;
    const headers: Record<string, string> = {
      accept: "application/vnd.github+json",
      "x-github-api-version": "2022-11-28",
      "user-agent": "mcp-router-analyzer",
    };
    if (this.opts.token) headers.authorization = `Bearer ${this.opts.token}`;
    const cached = await this.opts.cache?.get(url).catch(() => null) ?? null;
    if (cached) headers["if-none-match"] = cached.etag;
    let res: Response;
    try {
      res = await this.#fetch(url, { headers });
    } catch (cause) {
      throw new AnalyzerError("github_failed", `GitHub request failed: ${errorMessage(cause)}`, {
        cause,
      });
    }
    if (res.status === 304 && cached) {
      await res.body?.cancel();
      return JSON.parse(cached.body);
    }
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    if (!res.ok) {
      const text = (await res.text().catch(() => "")).slice(0, 300);
      const limited = res.status === 429 ||
        (res.status === 403 && res.headers.get("x-ratelimit-remaining") === "0");
      if (limited) {
        throw new AnalyzerError(
          "github_rate_limited",
          "GitHub API rate limit exceeded" +
            (this.opts.token ? "" : "; set GITHUB_TOKEN for a higher limit"),
        );
      }
      if (res.status === 401 || res.status === 403) {
        throw new AnalyzerError(
          "github_failed",
          `GitHub refused access (HTTP ${res.status})${this.opts.token ? "" : ""}: ${text}`,
        );
      }
      throw new AnalyzerError("github_failed", `GitHub returned HTTP ${res.status}: ${text}`);
    }
    const body = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (cause) {
      throw new AnalyzerError("github_failed", "GitHub returned invalid JSON", { cause });
    }
    const etag = res.headers.get("etag");
    if (etag && this.opts.cache) {
      await this.opts.cache.set(url, { etag, body }).catch((e) =>
        log.warn("etag cache write failed", { error: e })
      );
    }
    return parsed;
  }
}

async function readFile(
  api: GithubApi,
  base: string,
  path: string,
  branch: string,
): Promise<string | null> {
  const raw = await api.get(
    `${base}/contents/${encodePath(path)}?ref=${encodeURIComponent(branch)}`,
  );
  if (raw === null) return null;
  const file = ContentFileSchema.safeParse(raw);
  if (!file.success || file.data.encoding !== "base64" || file.data.content === undefined) {
    return null;
  }
  return decodeBase64(file.data.content);
}

/**
 * Read a repository folder through the GitHub REST API: metadata, README (folder first, then
 * root) and whichever manifests exist in the folder.
 * @param ref parsed GitHub URL
 * @param opts API base, token, fetch and ETag cache
 * @throws {AnalyzerError} `repo_not_found` (private/missing repo or folder), `github_failed`,
 *   `github_rate_limited`
 */
export async function fetchRepoSnapshot(
  ref: GithubRef,
  opts: GithubClientOptions,
): Promise<RepoSnapshot> {
  const api = new GithubApi(opts);
  const base = `/repos/${apiSegment(ref.owner)}/${apiSegment(ref.repo)}`;
  const warnings: string[] = [];

  const repoRaw = await api.get(base);
  if (repoRaw === null) {
    throw new AnalyzerError(
      "repo_not_found",
      `repository ${ref.owner}/${ref.repo} not found (it may be private${
        opts.token ? "" : "; set GITHUB_TOKEN to read private repositories"
      })`,
    );
  }
  const repo = RepoSchema.safeParse(repoRaw);
  if (!repo.success) {
    throw new AnalyzerError("github_failed", "unexpected repository metadata from GitHub", {
      cause: repo.error,
    });
  }
  const metadata: RepoMetadata = {
    fullName: repo.data.full_name,
    description: repo.data.description ?? "",
    defaultBranch: repo.data.default_branch,
    license: repo.data.license?.spdx_id ?? null,
    archived: repo.data.archived,
    htmlUrl: repo.data.html_url,
  };
  if (metadata.archived) warnings.push("the repository is archived (no longer maintained)");
  const branch = ref.ref ?? metadata.defaultBranch;
  const q = `?ref=${encodeURIComponent(branch)}`;
  const folder = ref.subpath ? `/${encodePath(ref.subpath)}` : "";

  const listingRaw = await api.get(`${base}/contents${folder}${q}`);
  if (listingRaw === null) {
    throw new AnalyzerError(
      "repo_not_found",
      `path ${ref.subpath ?? "/"} not found at ${branch} in ${ref.owner}/${ref.repo}`,
    );
  }
  const listing = ListingSchema.safeParse(listingRaw);
  if (!listing.success) {
    throw new AnalyzerError("bad_source", `${ref.subpath ?? "/"} is not a folder`);
  }

  // README: the folder's own (any case / extension), else the root README.
  let readme: RepoSnapshot["readme"] = null;
  const readmeRaw = await api.get(`${base}/readme${folder}${q}`);
  const parsedReadme = readmeRaw === null ? null : ContentFileSchema.safeParse(readmeRaw);
  if (parsedReadme?.success && parsedReadme.data.content !== undefined) {
    readme = { path: parsedReadme.data.path, text: decodeBase64(parsedReadme.data.content) };
  } else if (ref.subpath) {
    const rootRaw = await api.get(`${base}/readme${q}`);
    const root = rootRaw === null ? null : ContentFileSchema.safeParse(rootRaw);
    if (root?.success && root.data.content !== undefined) {
      readme = { path: root.data.path, text: decodeBase64(root.data.content) };
      warnings.push(`no README in ${ref.subpath}; used the repository's root README`);
    }
  }
  if (!readme) warnings.push("the repository has no README");

  const files: Record<string, string> = {};
  const wanted = new Set<string>(MANIFEST_FILES);
  const present = listing.data.filter((e) => e.type === "file" && wanted.has(e.name));
  await Promise.all(present.map(async (entry) => {
    if (entry.size > MAX_MANIFEST_BYTES) {
      warnings.push(`${entry.name} skipped (${entry.size} bytes is too large)`);
      return;
    }
    const path = ref.subpath ? `${ref.subpath}/${entry.name}` : entry.name;
    const text = await readFile(api, base, path, branch);
    if (text !== null) files[entry.name] = text;
  }));
  // A server in a sub-folder with its own manifest (`server/pyproject.toml`): read the
  // manifests of the sub-folders the README points at (or of all, when the folder has none).
  const dirs = listing.data.filter((e) => e.type === "dir").map((e) => e.name);
  for (const dir of subFoldersToRead(dirs, readme?.text ?? "", present.length > 0)) {
    const sub = ref.subpath ? `${ref.subpath}/${dir}` : dir;
    const inner = ListingSchema.safeParse(
      await api.get(`${base}/contents/${encodePath(sub)}${q}`),
    );
    if (!inner.success) continue;
    await Promise.all(
      inner.data.filter((e) =>
        e.type === "file" && wanted.has(e.name) && e.size <= MAX_MANIFEST_BYTES
      )
        .map(async (entry) => {
          const text = await readFile(api, base, `${sub}/${entry.name}`, branch);
          if (text !== null) files[`${dir}/${entry.name}`] = text;
        }),
    );
  }
  log.info("repository read", {
    repo: metadata.fullName,
    subpath: ref.subpath,
    files: Object.keys(files),
    readme: readme?.path ?? null,
  });
  return { ref, metadata, branch, readme, files, warnings };
}
