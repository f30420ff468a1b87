/**
 * @module Manifest readers: package.json, pyproject.toml (see `pyproject.ts`), setup.py,
 * server.json (MCP registry), Dockerfile/Containerfile, go.mod, smithery.yaml. Malformed files
 * never throw: they yield nothing plus a warning.
 */
import { z } from "zod";
import { PyprojectError, type PythonFacts, readPyproject } from "./pyproject.ts";
import { readSmithery, type SmitheryEnv } from "./smithery.ts";

/** What the analyzer learns from the manifests of the analysed folder. */
export interface ManifestFacts {
  npm: {
    name: string;
    bins: string[];
    description: string;
    node: string | null;
    private: boolean;
  } | null;
  python: PythonFacts | null;
  goModule: string | null;
  /**
   * The folder's Dockerfile: its own ENTRYPOINT/CMD (null when it inherits the base's), the
   * ports it EXPOSEs and its base image.
   */
  dockerfile:
    | { file: string; entrypoint: string | null; exposes: number[]; from: string | null }
    | null;
  serverJson: ServerJson | null;
  smitheryStdio: boolean;
  /** Env vars smithery.yaml's start command sets (required per its config schema). */
  smitheryEnv: SmitheryEnv[];
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
    smitheryEnv: [],
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
    try {
      facts.python = readPyproject(pyproject);
    } catch (e) {
      if (!(e instanceof PyprojectError)) throw e;
      facts.warnings.push(e.message);
    }
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
    // Instructions joined across `\` continuations; a HEALTHCHECK's CMD is not the image's.
    const instructions = text.replace(/\\\r?\n/g, " ").split(/\r?\n/);
    const entry = instructions.map((l) => l.match(/^\s*(ENTRYPOINT|CMD)\s+(.+)$/i)?.[2].trim())
      .filter((e): e is string => !!e);
    const exposes = [...text.matchAll(/^\s*EXPOSE\s+(\d+)/gim)].map((m) => Number(m[1]));
    const from = [...text.matchAll(/^\s*FROM\s+(?:--\S+\s+)*(\S+)/gim)].at(-1)?.[1] ?? null;
    facts.dockerfile = { file, entrypoint: entry[0] ?? null, exposes, from };
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
      const smithery = readSmithery(files["smithery.yaml"]);
      facts.smitheryStdio = smithery.stdio;
      facts.smitheryEnv = smithery.env;
    } catch {
      facts.warnings.push("smithery.yaml could not be read");
    }
  }
  return facts;
}
