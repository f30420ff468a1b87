/**
 * @module Package registry lookup for `npx:` and `uvx:` sources: the package's own one-line
 * description (npm `description`, PyPI `summary`) and its latest version, so a server added by
 * package name gets a description the model can choose it by. Best effort: the plan stands
 * without it.
 */
import { z } from "zod";

/** What a registry says about a package. */
export interface PackageInfo {
  description: string;
  version: string | null;
  /** The page a user can read about the package. */
  homepage: string | null;
}

/** Where to look; an empty URL disables that registry. */
export interface RegistryOptions {
  /** npm registry base URL (e.g. `https://registry.npmjs.org`). */
  npmRegistryUrl: string;
  /** PyPI base URL (e.g. `https://pypi.org`). */
  pypiUrl: string;
  /** Outbound fetch (the retrying helper in production). */
  fetch: typeof fetch;
  /** Overall time budget per lookup in ms (default 10 000). */
  timeoutMs?: number;
}

const NpmManifestSchema = z.object({
  version: z.string().optional(),
  description: z.string().optional(),
  homepage: z.string().optional(),
});

const PypiSchema = z.object({
  info: z.object({
    version: z.string().optional(),
    summary: z.string().nullish(),
    project_url: z.string().nullish(),
    package_url: z.string().nullish(),
  }),
});

/** Split `@scope/name@1.2.3` into name and version (null when unpinned or a range). */
export function splitNpmSpec(spec: string): { name: string; version: string | null } {
  const at = spec.indexOf("@", spec.startsWith("@") ? 1 : 0);
  if (at < 0) return { name: spec, version: null };
  const version = spec.slice(at + 1);
  return { name: spec.slice(0, at), version: /^\d+\.\d+\.\d+\S*$/.test(version) ? version : null };
}

/** Split `name[extra]==1.2` / `name@1.2` into name and exact version (null otherwise). */
export function splitPypiSpec(spec: string): { name: string; version: string | null } {
  const m = spec.match(/^([A-Za-z0-9._-]+)(?:\[[^\]]*\])?(?:(==|@)([A-Za-z0-9.+!_-]+)|.*)$/);
  if (!m) return { name: spec, version: null };
  return { name: m[1], version: m[3] ?? null };
}

function clean(text: string | null | undefined): string {
  return (text ?? "").replace(/\s+/g, " ").trim().slice(0, 1000);
}

/**
 * GET a registry JSON document.
 * @returns the parsed body, or null on 404
 * @throws on other HTTP errors, network errors and timeouts
 */
export async function getJson(
  url: string,
  options: Pick<RegistryOptions, "fetch" | "timeoutMs">,
): Promise<unknown | null> {
  const res = await options.fetch(url, {
    headers: { accept: "application/json" },
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  if (!res.ok) {
    await res.body?.cancel();
    if (res.status === 404) return null;
    throw new Error(`${new URL(url).host} answered HTTP ${res.status}`);
  }
  return await res.json();
}

/**
 * Look a package up in its registry.
 * @param runtime `npx` (npm) or `uvx` (PyPI)
 * @param spec the package as written in the source (`@scope/pkg@1.0.0`, `pkg==1.2`)
 * @param options registry URLs and fetch
 * @returns the package's info, or null when the registry is disabled or does not know it
 * @throws on network errors, timeouts and unexpected replies (the caller keeps the plan)
 */
export async function lookupPackage(
  runtime: "npx" | "uvx",
  spec: string,
  options: RegistryOptions,
): Promise<PackageInfo | null> {
  if (runtime === "npx") {
    if (!options.npmRegistryUrl) return null;
    const { name, version } = splitNpmSpec(spec);
    const base = options.npmRegistryUrl.replace(/\/+$/, "");
    const path = `${name.replace("/", "%2F")}/${encodeURIComponent(version ?? "latest")}`;
    const body = await getJson(`${base}/${path}`, options);
    if (body === null) return null;
    const manifest = NpmManifestSchema.parse(body);
    return {
      description: clean(manifest.description),
      version: manifest.version ?? version,
      homepage: manifest.homepage ?? `https://www.npmjs.com/package/${name}`,
    };
  }
  if (!options.pypiUrl) return null;
  const { name, version } = splitPypiSpec(spec);
  const base = options.pypiUrl.replace(/\/+$/, "");
  const path = version
    ? `${encodeURIComponent(name)}/${encodeURIComponent(version)}`
    : encodeURIComponent(name);
  const body = await getJson(`${base}/pypi/${path}/json`, options);
  if (body === null) return null;
  const { info } = PypiSchema.parse(body);
  return {
    description: clean(info.summary),
    version: info.version ?? version,
    homepage: info.project_url ?? info.package_url ?? null,
  };
}
