/**
 * @module A PyPI package as the analyzer reads it: the JSON API's `info` (`description` is the
 * project's README, with its `description_content_type`), `project_urls`, `requires_python`,
 * and a minimal `pyproject.toml` standing for the package so the README reader knows its name.
 */
import { z } from "zod";
import { getJson, type RegistryOptions, splitPypiSpec } from "./registry_info.ts";
import {
  capReadme,
  githubRepoOf,
  type PackageCache,
  type PackageReading,
  type PackageRepo,
} from "./package_reading.ts";

const PypiDocSchema = z.object({
  info: z.object({
    name: z.string().optional(),
    version: z.string().optional(),
    summary: z.string().nullish(),
    description: z.string().nullish(),
    description_content_type: z.string().nullish(),
    home_page: z.string().nullish(),
    project_url: z.string().nullish(),
    package_url: z.string().nullish(),
    project_urls: z.record(z.string(), z.string()).nullish().catch(null),
    requires_python: z.string().nullish(),
  }),
});

/** `project_urls` keys naming the source repository, most telling first. */
const SOURCE_KEYS = /^(source|source code|repository|code|github|git|homepage|home)$/i;

function repositoryOf(urls: string[]): PackageRepo | null {
  for (const u of urls) {
    const repo = githubRepoOf(u);
    if (repo) return repo;
  }
  return null;
}

/**
 * reStructuredText code blocks (`.. code-block:: json` / a paragraph ending in `::`) as fenced
 * Markdown blocks, so the README reader finds the launch examples of an `.rst` description.
 */
export function rstCodeBlocksToMarkdown(text: string): string {
  const lines = text.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const directive = line.match(/^\s*\.\. (?:code-block|code|sourcecode)::\s*(\S*)\s*$/);
    const literal = !directive && /::\s*$/.test(line) && !/^\s*\.\./.test(line);
    if (!directive && !literal) {
      out.push(line);
      continue;
    }
    if (literal) out.push(line.replace(/::\s*$/, ":"));
    let j = i + 1;
    while (j < lines.length && /^\s*:\w[\w-]*:/.test(lines[j])) j++; // directive options
    while (j < lines.length && lines[j].trim() === "") j++;
    const indent = lines[j]?.match(/^(\s+)\S/)?.[1];
    if (!indent) continue;
    const body: string[] = [];
    while (j < lines.length && (lines[j].startsWith(indent) || lines[j].trim() === "")) {
      body.push(lines[j].slice(indent.length));
      j++;
    }
    while (body.length && body[body.length - 1].trim() === "") body.pop();
    out.push("", "```" + (directive?.[1] ?? ""), ...body, "```", "");
    i = j - 1;
  }
  return out.join("\n");
}

/**
 * Read a PyPI package through the JSON API.
 * @param spec `name[extras][==version|@version|constraint]`
 * @param options PyPI URL and fetch
 * @param cache version-keyed readings (a pinned version is answered without a request)
 * @returns the reading, or null when PyPI is off or does not know the package
 * @throws on network errors, timeouts and unexpected replies
 */
export async function readPypiPackage(
  spec: string,
  options: RegistryOptions,
  cache: PackageCache,
): Promise<PackageReading | null> {
  if (!options.pypiUrl) return null;
  const base = options.pypiUrl.replace(/\/+$/, "");
  const { name, version } = splitPypiSpec(spec);
  const key = (v: string) => `pypi:${base}/${name.toLowerCase()}@${v}`;
  if (version) {
    const hit = await cache.get(key(version));
    if (hit) return hit;
  }
  const path = version
    ? `${encodeURIComponent(name)}/${encodeURIComponent(version)}`
    : encodeURIComponent(name);
  let body = await getJson(`${base}/pypi/${path}/json`, options);
  const warnings: string[] = [];
  // Mirrors without per-release documents: the project's (its latest release's README).
  if (body === null && version) {
    body = await getJson(`${base}/pypi/${encodeURIComponent(name)}/json`, options);
    const latest = PypiDocSchema.safeParse(body).data?.info.version;
    if (body !== null && latest && latest !== version) {
      warnings.push(
        `read ${name} ${latest}'s description: the registry serves none for ${version}`,
      );
    }
  }
  if (body === null) return null;
  const { info } = PypiDocSchema.parse(body);
  const found = { name: info.name ?? name, version: info.version ?? version ?? "unknown" };
  const type = (info.description_content_type ?? "").toLowerCase();
  const rst = type.includes("rst") || type === "";
  let text = (info.description ?? "").trim();
  if (text === "UNKNOWN") text = "";
  if (text && rst && !/^```/m.test(text)) text = rstCodeBlocksToMarkdown(text);
  text = capReadme(text, warnings);
  const projectUrls = info.project_urls ?? {};
  const ordered = [
    ...Object.entries(projectUrls).filter(([k]) => SOURCE_KEYS.test(k.trim())).map(([, v]) => v),
    ...Object.values(projectUrls),
    info.home_page ?? "",
  ];
  // Stands for the package's own manifest: its name, and the Python it needs.
  const pyproject = `[project]\nname = ${JSON.stringify(found.name)}\n` +
    (info.requires_python ? `requires-python = ${JSON.stringify(info.requires_python)}\n` : "");
  const reading: PackageReading = {
    registry: "pypi",
    name: found.name,
    version: found.version,
    description: (info.summary ?? "").replace(/\s+/g, " ").trim().slice(0, 1000),
    homepage: info.project_url ?? info.package_url ?? null,
    readme: text ? { path: type.includes("markdown") ? "README.md" : "README", text } : null,
    files: { "pyproject.toml": pyproject },
    repository: repositoryOf(ordered),
    codeEnv: [],
    warnings,
  };
  if (info.version) await cache.set(key(info.version), reading);
  return reading;
}
