/**
 * @module Manifest readers: package.json, pyproject.toml (a minimal TOML reader for the few keys
 * needed), setup.py, server.json (MCP registry), Dockerfile/Containerfile, go.mod, smithery.yaml.
 * Malformed files never throw: they yield nothing plus a warning.
 */
import { z } from "zod";
import { parse as parseYaml } from "yaml";

/** What the analyzer learns from the manifests of the analysed folder. */
export interface ManifestFacts {
  npm: {
    name: string;
    bins: string[];
    description: string;
    node: string | null;
    private: boolean;
  } | null;
  python:
    | { name: string; scripts: string[]; description: string; requiresPython: string | null }
    | null;
  goModule: string | null;
  dockerfile: { file: string; entrypoint: string | null } | null;
  serverJson: ServerJson | null;
  smitheryStdio: boolean;
  warnings: string[];
}

const EnvVarSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  isRequired: z.boolean().optional(),
  isSecret: z.boolean().optional(),
  default: z.string().optional(),
});

const ServerJsonSchema = z.object({
  name: z.string().optional(),
  description: z.string().optional(),
  title: z.string().optional(),
  packages: z.array(z.object({
    registryType: z.string().optional(),
    registry_name: z.string().optional(),
    identifier: z.string().optional(),
    name: z.string().optional(),
    version: z.string().optional(),
    transport: z.object({ type: z.string().optional(), url: z.string().optional() }).optional(),
    environmentVariables: z.array(EnvVarSchema).optional(),
    environment_variables: z.array(EnvVarSchema).optional(),
    packageArguments: z.array(z.unknown()).optional(),
  })).optional(),
  remotes: z.array(z.object({
    type: z.string().optional(),
    transport_type: z.string().optional(),
    url: z.string(),
    headers: z.array(z.object({
      name: z.string(),
      description: z.string().optional(),
      isRequired: z.boolean().optional(),
      isSecret: z.boolean().optional(),
    })).optional(),
  })).optional(),
});

/** A parsed MCP registry `server.json`. */
export interface ServerJson {
  description: string;
  title: string;
  packages: {
    registry: "npm" | "pypi" | "oci" | "other";
    identifier: string;
    version: string | null;
    transport: string;
    env: z.infer<typeof EnvVarSchema>[];
  }[];
  remotes: { url: string; transport: string }[];
}

const PackageJsonSchema = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  private: z.boolean().optional(),
  bin: z.union([z.string(), z.record(z.string(), z.string())]).optional(),
  engines: z.record(z.string(), z.string()).optional(),
});

/**
 * A minimal TOML reader: `[table]` headers, `key = "string"`, `key = 'string'` and inline
 * arrays/values kept as raw text. Enough for `[project] name`, `description` and
 * `[project.scripts]`.
 * @returns table name → key → raw or unquoted string value
 */
export function readTomlTables(text: string): Record<string, Record<string, string>> {
  const tables: Record<string, Record<string, string>> = { "": {} };
  let current = "";
  let skipMultiline: string | null = null;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (skipMultiline) {
      if (line.includes(skipMultiline)) skipMultiline = null;
      continue;
    }
    if (!line || line.startsWith("#")) continue;
    const header = line.match(/^\[\s*([^\][]+?)\s*\]\s*(#.*)?$/);
    if (header) {
      current = header[1].replace(/["']/g, "");
      tables[current] ??= {};
      continue;
    }
    const kv = line.match(/^("?[A-Za-z0-9_.-]+"?)\s*=\s*(.*)$/);
    if (!kv) continue;
    const key = kv[1].replace(/"/g, "");
    let value = kv[2].trim();
    if (value.startsWith('"""') || value.startsWith("'''")) {
      const q = value.slice(0, 3);
      const rest = value.slice(3);
      if (!rest.includes(q)) skipMultiline = q;
      value = rest.split(q)[0];
    } else {
      const m = value.match(/^"((?:[^"\\]|\\.)*)"|^'([^']*)'/);
      if (m) value = m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2];
    }
    tables[current][key] = value;
  }
  return tables;
}

function normRegistry(s: string | undefined): ServerJson["packages"][number]["registry"] {
  const v = (s ?? "").toLowerCase();
  if (v === "npm") return "npm";
  if (v === "pypi") return "pypi";
  if (v === "oci" || v === "docker") return "oci";
  return "other";
}

/**
 * Read every known manifest present in `files`.
 * @param files manifest name → text (as fetched from the folder)
 */
export function readManifests(files: Record<string, string>): ManifestFacts {
  const facts: ManifestFacts = {
    npm: null,
    python: null,
    goModule: null,
    dockerfile: null,
    serverJson: null,
    smitheryStdio: false,
    warnings: [],
  };

  if (files["package.json"] !== undefined) {
    try {
      const pkg = PackageJsonSchema.parse(JSON.parse(files["package.json"]));
      const bins = typeof pkg.bin === "string"
        ? [pkg.name.replace(/^@[^/]+\//, "")]
        : Object.keys(pkg.bin ?? {});
      facts.npm = {
        name: pkg.name,
        bins,
        description: pkg.description ?? "",
        node: pkg.engines?.node ?? null,
        private: pkg.private === true,
      };
    } catch (e) {
      facts.warnings.push(
        `package.json could not be read: ${e instanceof Error ? e.message.slice(0, 200) : e}`,
      );
    }
  }

  const pyproject = files["pyproject.toml"];
  if (pyproject !== undefined) {
    const t = readTomlTables(pyproject);
    const name = t["project"]?.name ?? t["tool.poetry"]?.name;
    if (name) {
      facts.python = {
        name,
        scripts: Object.keys(t["project.scripts"] ?? t["tool.poetry.scripts"] ?? {}),
        description: t["project"]?.description ?? t["tool.poetry"]?.description ?? "",
        requiresPython: t["project"]?.["requires-python"] ?? null,
      };
    } else facts.warnings.push("pyproject.toml has no [project] name");
  }
  const setupPy = files["setup.py"];
  if (!facts.python && setupPy !== undefined) {
    const name = setupPy.match(/\bname\s*=\s*["']([^"']+)["']/)?.[1];
    if (name) {
      const scripts = [
        ...setupPy.matchAll(/["']([A-Za-z0-9_.-]+)\s*=\s*[A-Za-z0-9_.]+:[A-Za-z0-9_]+["']/g),
      ]
        .map((m) => m[1]);
      facts.python = { name, scripts, description: "", requiresPython: null };
    }
  }

  const gomod = files["go.mod"];
  if (gomod !== undefined) facts.goModule = gomod.match(/^\s*module\s+(\S+)/m)?.[1] ?? null;

  for (const file of ["Dockerfile", "Containerfile"]) {
    const text = files[file];
    if (text === undefined) continue;
    const entry = [...text.matchAll(/^\s*(ENTRYPOINT|CMD)\s+(.+)$/gim)].map((m) => m[2].trim());
    facts.dockerfile = { file, entrypoint: entry[0] ?? null };
    break;
  }

  if (files["server.json"] !== undefined) {
    try {
      const sj = ServerJsonSchema.parse(JSON.parse(files["server.json"]));
      facts.serverJson = {
        description: sj.description ?? "",
        title: sj.title ?? "",
        packages: (sj.packages ?? []).flatMap((p) => {
          const identifier = p.identifier ?? p.name;
          if (!identifier) return [];
          return [{
            registry: normRegistry(p.registryType ?? p.registry_name),
            identifier,
            version: p.version ?? null,
            transport: p.transport?.type ?? "stdio",
            env: p.environmentVariables ?? p.environment_variables ?? [],
          }];
        }),
        remotes: (sj.remotes ?? []).map((r) => ({
          url: r.url,
          transport: r.type ?? r.transport_type ?? "streamable-http",
        })),
      };
    } catch (e) {
      facts.warnings.push(
        `server.json could not be read: ${e instanceof Error ? e.message.slice(0, 200) : e}`,
      );
    }
  }

  if (files["smithery.yaml"] !== undefined) {
    try {
      const doc = parseYaml(files["smithery.yaml"]) as { startCommand?: { type?: string } } | null;
      facts.smitheryStdio = doc?.startCommand?.type === "stdio";
    } catch {
      facts.warnings.push("smithery.yaml could not be read");
    }
  }
  return facts;
}
