/**
 * @module An npm package as the analyzer reads it: the version document from the registry
 * (`/NAME/VERSION|TAG`, which carries no README here), then `README.md` and `package.json` from
 * the package tarball, streamed (gzip → tar) under size limits.
 */
import { z } from "zod";
import { readTarFiles, TarLimitError } from "../../runtime/podman/tar.ts";
import { getJson, type RegistryOptions } from "./registry_info.ts";
import { countEnvReads, rankedEnvReads } from "./code_env.ts";
import {
  capReadme,
  githubRepoOf,
  MAX_PACKAGE_README_BYTES,
  type PackageCache,
  type PackageReading,
} from "./package_reading.ts";

/** Largest package tarball downloaded, in bytes (compressed). */
export const MAX_TARBALL_BYTES = 20 * 1024 * 1024;
/** Largest tarball whose head (root README and package.json) is still read, in bytes. */
export const MAX_LARGE_TARBALL_BYTES = 256 * 1024 * 1024;
/** Largest unpacked archive streamed through, in bytes (a gzip bomb stops here). */
const MAX_UNPACKED_BYTES = 512 * 1024 * 1024;
const EXACT_RE = /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]+)?$/;
const TAG_RE = /^[A-Za-z][A-Za-z0-9._-]*$/;

/** An npm spec as the registry is asked about it. */
export interface NpmSpec {
  name: string;
  /** Exact version, dist-tag (`latest`, `next`), or `latest` for a range. */
  selector: string;
  /** The spec gave a range the registry cannot resolve by URL (read as `latest`). */
  range: string | null;
}

/** Split `@scope/name@ver|tag|range` for a registry lookup. */
export function parseNpmSpec(spec: string): NpmSpec {
  const at = spec.indexOf("@", spec.startsWith("@") ? 1 : 0);
  if (at < 0) return { name: spec, selector: "latest", range: null };
  const name = spec.slice(0, at);
  const rest = spec.slice(at + 1);
  if (EXACT_RE.test(rest) || TAG_RE.test(rest)) return { name, selector: rest, range: null };
  return { name, selector: "latest", range: rest };
}

const VersionDocSchema = z.object({
  version: z.string().optional(),
  description: z.string().optional().catch(undefined),
  homepage: z.string().optional().catch(undefined),
  repository: z.union([
    z.string(),
    z.object({ url: z.string().optional(), directory: z.string().optional() }),
  ]).optional().catch(undefined),
  dist: z.object({ tarball: z.string().optional() }).optional().catch(undefined),
});

/** Code files scanned for the env vars they read, and the most bytes read of them. */
const CODE_FILE_RE = /\.(m|c)?js$/i;
const SKIPPED_CODE_RE =
  /(^|\/)(node_modules|tests?|__tests__|examples?|docs?|scripts)\/|\.(test|spec|min)\.[mc]?js$/i;
const MAX_CODE_BYTES = 16 * 1024 * 1024;

/** README names a package root may hold, best first. */
const README_RANK = ["readme.md", "readme.markdown", "readme", "readme.txt", "readme.rst"];

function limitBytes(
  max: number,
  soft: number,
  onSoft: () => void,
): TransformStream<Uint8Array, Uint8Array> {
  let total = 0;
  return new TransformStream({
    transform(chunk, controller) {
      total += chunk.length;
      if (total > soft) onSoft();
      if (total > max) {
        controller.error(new TarLimitError("bytes", `the tarball is larger than ${max} bytes`));
        return;
      }
      controller.enqueue(chunk);
    },
  });
}

/**
 * Download a package tarball and read its root README and `package.json`.
 * @throws {TarLimitError} past the size limits; on HTTP and network errors
 */
async function readTarball(
  url: string,
  options: RegistryOptions,
): Promise<
  { readme: { path: string; text: string } | null; packageJson: string | null; codeEnv: string[] }
> {
  const res = await options.fetch(url, {
    headers: { accept: "application/octet-stream" },
    signal: AbortSignal.timeout(Math.max(options.timeoutMs ?? 10_000, 60_000)),
  });
  if (!res.ok || !res.body) {
    await res.body?.cancel();
    throw new Error(`${new URL(url).host} answered HTTP ${res.status} for the tarball`);
  }
  const length = Number(res.headers.get("content-length") ?? "0");
  if (length > MAX_LARGE_TARBALL_BYTES) {
    await res.body.cancel();
    throw new TarLimitError("bytes", `the tarball is larger than ${MAX_LARGE_TARBALL_BYTES} bytes`);
  }
  // Past 20 MB (bundled binaries, assets) the package's code is no longer read, and the download
  // stops once the root README and package.json are in (npm packs them first).
  let large = length > MAX_TARBALL_BYTES;
  const archive = res.body
    .pipeThrough(limitBytes(MAX_LARGE_TARBALL_BYTES, MAX_TARBALL_BYTES, () => large = true))
    .pipeThrough(new DecompressionStream("gzip") as TransformStream<Uint8Array, Uint8Array>);
  let codeBudget = MAX_CODE_BYTES;
  const files = await readTarFiles(archive, {
    maxBytes: MAX_UNPACKED_BYTES,
    done: (got) =>
      large && got.some((f) => f.name.split("/")[1] === "package.json") &&
      got.some((f) => README_RANK.includes(f.name.split("/")[1]?.toLowerCase() ?? "")),
    // The package root's README and package.json (`package/` in npm tarballs, whatever the
    // folder is named), and its own code for the env vars it reads, under a byte budget.
    select: (name, size) => {
      const parts = name.replace(/^\.\//, "").split("/");
      if (
        !large && CODE_FILE_RE.test(name) && !SKIPPED_CODE_RE.test(name) && size <= codeBudget
      ) {
        codeBudget -= size;
        return parts.join("/");
      }
      if (parts.length !== 2) return null;
      const file = parts[1].toLowerCase();
      return file === "package.json" || README_RANK.includes(file) ? parts.join("/") : null;
    },
  });
  const counts = new Map<string, number>();
  for (const f of files) {
    if (CODE_FILE_RE.test(f.name)) countEnvReads(new TextDecoder().decode(f.content), counts);
  }
  const rank = (n: string) => README_RANK.indexOf(n.split("/")[1].toLowerCase());
  const readmes = files.filter((f) => rank(f.name) >= 0).sort((a, b) =>
    rank(a.name) - rank(b.name)
  );
  const pkg = files.find((f) => f.name.split("/")[1] === "package.json");
  const dec = new TextDecoder();
  const first = readmes[0];
  return {
    readme: first
      ? {
        path: first.name,
        text: dec.decode(first.content.subarray(0, MAX_PACKAGE_README_BYTES + 4)),
      }
      : null,
    packageJson: pkg && pkg.content.length < 1024 * 1024 ? dec.decode(pkg.content) : null,
    codeEnv: rankedEnvReads(counts),
  };
}

/**
 * Read an npm package: its version document, then README and `package.json` from its tarball.
 * A tarball that cannot be read leaves a reading without README (and a warning).
 * @param spec `@scope/name[@version|tag|range]`
 * @param options registry URL and fetch (the tarball must be on the registry's own origin)
 * @param cache version-keyed readings
 * @returns the reading, or null when the registry is off or does not know the package
 * @throws on network errors, timeouts and unexpected registry replies
 */
export async function readNpmPackage(
  spec: string,
  options: RegistryOptions,
  cache: PackageCache,
): Promise<PackageReading | null> {
  if (!options.npmRegistryUrl) return null;
  const base = options.npmRegistryUrl.replace(/\/+$/, "");
  const { name, selector, range } = parseNpmSpec(spec);
  const key = (v: string) => `npm:${base}/${name}@${v}`;
  if (EXACT_RE.test(selector)) {
    const hit = await cache.get(key(selector));
    if (hit) return hit;
  }
  const docUrl = `${base}/${name.replace("/", "%2F")}/${encodeURIComponent(selector)}`;
  const body = await getJson(docUrl, options);
  if (body === null) return null;
  const parsed = VersionDocSchema.parse(body);
  const doc = { ...parsed, version: parsed.version ?? selector };
  const hit = parsed.version ? await cache.get(key(doc.version)) : null;
  if (hit) return hit;

  const warnings: string[] = [];
  if (range) {
    warnings.push(`read ${name}@${doc.version} (latest); npx resolves the range ${range} itself`);
  }
  let readme: PackageReading["readme"] = null;
  let packageJson: string | null = null;
  let codeEnv: string[] = [];
  const tarball = doc.dist?.tarball;
  if (tarball) {
    if (new URL(tarball, base).origin !== new URL(base).origin) {
      warnings.push(`the tarball of ${name} is served from another host; its README was not read`);
    } else {
      try {
        ({ readme, packageJson, codeEnv } = await readTarball(
          new URL(tarball, base).toString(),
          options,
        ));
        if (readme) readme.text = capReadme(readme.text, warnings);
      } catch (e) {
        warnings.push(
          `could not read the tarball of ${name}@${doc.version}: ${
            e instanceof Error ? e.message : String(e)
          }`,
        );
      }
    }
  }
  const repoField = doc.repository;
  const repoUrl = typeof repoField === "string" ? repoField : repoField?.url;
  const reading: PackageReading = {
    registry: "npm",
    name,
    version: doc.version,
    description: (doc.description ?? "").replace(/\s+/g, " ").trim().slice(0, 1000),
    homepage: doc.homepage ?? `https://www.npmjs.com/package/${name}`,
    readme,
    files: packageJson === null ? {} : { "package.json": packageJson },
    codeEnv,
    repository: repoUrl
      ? githubRepoOf(repoUrl, typeof repoField === "object" ? repoField.directory : null)
      : null,
    warnings,
  };
  // A reading whose tarball failed is not kept: the next analysis tries again.
  if (parsed.version && (!tarball || readme || packageJson)) {
    await cache.set(key(doc.version), reading);
  }
  return reading;
}
