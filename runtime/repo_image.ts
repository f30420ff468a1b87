/**
 * @module Images built from a repository's Dockerfile: the GitHub tarball of the plan's
 * `build` (repo, ref, sub-folder) is re-rooted at that folder and built through the Podman API,
 * tagged by the hash of the build spec, so an unchanged spec reuses the image.
 */
import type { RuntimeSettings } from "./settings.ts";
import { isGithubRepo } from "./github_names.ts";
import { createLogger } from "./foundation/log.ts";
import { sha256Hex } from "./foundation/bytes.ts";
import { PodmanError } from "./podman/errors.ts";
import type { PodmanClient } from "./podman/client.ts";
import { readTarFiles, type TarEntry, TarLimitError, tarStream } from "./podman/tar.ts";
import { BUILD_CA_FILE, caBundleBytes } from "./images.ts";

const log = createLogger("runtime.repo_image");
/** Most bytes a repository archive may have once decompressed. */
const MAX_TARBALL_BYTES = 256 * 1024 * 1024;
/** Most regular files a repository archive may hold. */
const MAX_TARBALL_FILES = 20_000;

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
  /** The settings a repository build reads. */
  settings: Pick<RuntimeSettings, "githubApiUrl" | "githubToken" | "caBundle">;
  client: PodmanClient;
  /** Outbound fetch (the retrying one in production). */
  fetch: typeof fetch;
}

/** The tag of a server's repository image. */
export function repoImageTag(serverName: string, build: RepoBuild): string {
  return `localhost/mcp-router-srv-${serverName}:${sha256Hex(JSON.stringify(build)).slice(0, 12)}`;
}

/**
 * Where a GitHub tarball's file lands once re-rooted at a folder: `<top>/<path>/x` → `x`.
 * @param name path in the archive (GitHub prefixes everything with `owner-repo-sha/`)
 * @param path the folder to keep ("" for the repository root)
 * @returns the path inside the folder, or null for a file outside it or with a `..` component
 */
export function rerootPath(name: string, path: string): string | null {
  const folder = path.replace(/^\/+|\/+$/g, "");
  const rest = name.split("/").slice(1).join("/");
  if (!rest) return null;
  const rel = folder
    ? (rest.startsWith(`${folder}/`) ? rest.slice(folder.length + 1) : null)
    : rest;
  return !rel || rel.split("/").includes("..") ? null : rel;
}

/**
 * The files of a gzip'd GitHub tarball under `path`, re-rooted there, read as they arrive.
 * @throws {PodmanError} `build` for an archive over the size or file limits, or a corrupt one
 */
async function repoFiles(body: ReadableStream<Uint8Array>, path: string): Promise<TarEntry[]> {
  const tar = body.pipeThrough(
    new DecompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>,
  );
  try {
    const files = await readTarFiles(tar, {
      maxBytes: MAX_TARBALL_BYTES,
      maxFiles: MAX_TARBALL_FILES,
      select: (name) => rerootPath(name, path),
    });
    return files.map((f) => ({ ...f, mode: f.mode || 0o644 }));
  } catch (cause) {
    const message = !(cause instanceof TarLimitError)
      ? `repository archive is unreadable: ${cause instanceof Error ? cause.message : cause}`
      : cause.limit === "bytes"
      ? `repository archive is larger than ${MAX_TARBALL_BYTES} bytes`
      : `repository archive has more than ${MAX_TARBALL_FILES} files`;
    throw new PodmanError(message, { kind: "build", cause });
  }
}

/**
 * The GitHub API path of a build's tarball, every part checked and encoded on its own: a
 * `repo` like `../user` or a ref with `..` segments must not reach other API paths with the
 * router's `GITHUB_TOKEN`.
 * @throws {PodmanError} `build` for an invalid owner/name or ref
 */
export function tarballPath(build: Pick<RepoBuild, "repo" | "ref">): string {
  if (!isGithubRepo(build.repo)) {
    throw new PodmanError(`not a GitHub owner/name: ${JSON.stringify(build.repo)}`, {
      kind: "build",
    });
  }
  const segments = build.ref.split("/");
  if (!build.ref || segments.some((s) => s === "" || s === "." || s === "..")) {
    throw new PodmanError(`not a valid git ref: ${JSON.stringify(build.ref)}`, { kind: "build" });
  }
  const [owner, name] = build.repo.split("/");
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
  const tag = repoImageTag(serverName, build);
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
  const entries = await repoFiles(res.body, build.path);
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
  await deps.client.build(tarStream(entries), {
    tag,
    containerfile: build.dockerfile,
    onLog: options.onLog,
  });
  return tag;
}
