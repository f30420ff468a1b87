/**
 * @module Images built from a repository's Dockerfile: the GitHub tarball of the plan's
 * `build` (repo, ref, sub-folder) is re-rooted at that folder and built through the Podman API,
 * tagged by the hash of the build spec, so an unchanged spec reuses the image.
 */
import type { Settings } from "../server/settings.ts";
import { GITHUB_OWNER_RE, GITHUB_REPO_RE } from "../server/schemas/server.ts";
import { createLogger } from "./foundation/log.ts";
import { concat } from "./foundation/bytes.ts";
import { PodmanError } from "./podman/errors.ts";
import type { PodmanClient } from "./podman/client.ts";
import { createTar, readTar, type TarEntry } from "./podman/tar.ts";
import { BUILD_CA_FILE, caBundleBytes } from "./images.ts";

const log = createLogger("runtime.repo_image");
const MAX_TARBALL_BYTES = 256 * 1024 * 1024;

/** Where an image's source lives: a GitHub repository folder with a Dockerfile. */
export interface RepoBuild {
  /** `owner/name`. */
  repo: string;
  /** Branch, tag or commit. */
  ref: string;
  /** Folder inside the repository ("" for the root). */
  path: string;
  /** Dockerfile path relative to `path`. */
  dockerfile: string;
}

/** What a repository build needs. */
export interface RepoImageDeps {
  settings: Settings;
  client: PodmanClient;
  /** Outbound fetch (the retrying one in production). */
  fetch: typeof fetch;
}

async function sha12(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("")
    .slice(0, 12);
}

/** The tag of a server's repository image. */
export async function repoImageTag(serverName: string, build: RepoBuild): Promise<string> {
  return `localhost/mcp-router-srv-${serverName}:${await sha12(JSON.stringify(build))}`;
}

/**
 * Keep the files under `<top>/<path>/` of a GitHub tarball, re-rooted at that folder.
 * @param files files of the archive (GitHub prefixes everything with `owner-repo-sha/`)
 * @param path the folder to keep ("" for the repository root)
 */
export function rerootFiles(
  files: { name: string; content: Uint8Array; mode: number }[],
  path: string,
): TarEntry[] {
  const folder = path.replace(/^\/+|\/+$/g, "");
  const out: TarEntry[] = [];
  for (const f of files) {
    const rest = f.name.split("/").slice(1).join("/");
    if (!rest) continue;
    const rel = folder
      ? (rest.startsWith(`${folder}/`) ? rest.slice(folder.length + 1) : null)
      : rest;
    if (!rel || rel.split("/").includes("..")) continue;
    out.push({ name: rel, content: f.content, mode: f.mode || 0o644 });
  }
  return out;
}

async function gunzip(body: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = body.pipeThrough(
    new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>,
  ).getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > MAX_TARBALL_BYTES) {
      await reader.cancel();
      throw new PodmanError(`repository archive is larger than ${MAX_TARBALL_BYTES} bytes`, {
        kind: "build",
      });
    }
    chunks.push(value);
  }
  return concat(...chunks);
}

/**
 * The GitHub API path of a build's tarball, every part checked and encoded on its own: a
 * `repo` like `../user` or a ref with `..` segments must not reach other API paths with the
 * router's `GITHUB_TOKEN`.
 * @throws {PodmanError} `build` for an invalid owner/name or ref
 */
export function tarballPath(build: Pick<RepoBuild, "repo" | "ref">): string {
  const [owner, name, ...rest] = build.repo.split("/");
  if (rest.length || !GITHUB_OWNER_RE.test(owner) || !GITHUB_REPO_RE.test(name ?? "")) {
    throw new PodmanError(`not a GitHub owner/name: ${JSON.stringify(build.repo)}`, {
      kind: "build",
    });
  }
  const segments = build.ref.split("/");
  if (!build.ref || segments.some((s) => s === "" || s === "." || s === "..")) {
    throw new PodmanError(`not a valid git ref: ${JSON.stringify(build.ref)}`, { kind: "build" });
  }
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/tarball/${
    encodeURIComponent(build.ref)
  }`;
}

/**
 * Build (or reuse) the image of a repository folder's Dockerfile.
 * @returns the image tag
 * @throws {PodmanError} `build` for an invalid build spec, a failed download or build
 */
export async function ensureRepoImage(
  serverName: string,
  build: RepoBuild,
  deps: RepoImageDeps,
  options: { onLog?: (line: string) => void; force?: boolean } = {},
): Promise<string> {
  const tag = await repoImageTag(serverName, build);
  if (!options.force && await deps.client.imageExists(tag)) return tag;
  const url = `${deps.settings.githubApiUrl.replace(/\/+$/, "")}${tarballPath(build)}`;
  options.onLog?.(`downloading ${build.repo}@${build.ref}`);
  const headers: Record<string, string> = { accept: "application/vnd.github+json" };
  if (deps.settings.githubToken) headers.authorization = `Bearer ${deps.settings.githubToken}`;
  const res = await deps.fetch(url, { headers, redirect: "follow" });
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new PodmanError(`could not download ${build.repo}@${build.ref}: HTTP ${res.status}`, {
      kind: "build",
      status: res.status,
    });
  }
  const entries = rerootFiles(readTar(await gunzip(res.body)), build.path);
  if (!entries.some((e) => e.name === build.dockerfile)) {
    throw new PodmanError(
      `${build.dockerfile} not found in ${build.repo}${
        build.path ? `/${build.path}` : ""
      }@${build.ref}`,
      { kind: "build" },
    );
  }
  entries.push({ name: BUILD_CA_FILE, content: await caBundleBytes(deps.settings) });
  log.info("building repository image", { tag, repo: build.repo, ref: build.ref });
  await deps.client.build(createTar(entries), {
    tag,
    containerfile: build.dockerfile,
    onLog: options.onLog,
  });
  return tag;
}
