/**
 * @module pyproject.toml: the Python package a folder builds (`[project]` or Poetry's
 * `[tool.poetry]`): name, console scripts, description and `requires-python`, read with
 * `smol-toml` and checked with zod. Malformed files throw {@linkcode PyprojectError}.
 */
import { parse, TomlError } from "smol-toml";
import { z } from "zod";

/** What the analyzer needs of a pyproject.toml. */
export interface PythonFacts {
  name: string;
  /** Console-script names (`[project.scripts]` or `[tool.poetry.scripts]`). */
  scripts: string[];
  description: string;
  requiresPython: string | null;
}

/** Thrown when a pyproject.toml is not TOML, or names no package. */
export class PyprojectError extends Error {
  override name = "PyprojectError";
}

const TableSchema = z.object({
  name: z.string().min(1).optional(),
  description: z.string().optional().catch(undefined),
  scripts: z.record(z.string(), z.unknown()).optional().catch(undefined),
  "requires-python": z.string().optional().catch(undefined),
}).catch({});

const PyprojectSchema = z.object({
  project: TableSchema.optional(),
  tool: z.object({ poetry: TableSchema.optional() }).catch({}).optional(),
});

/**
 * Read the package facts of a pyproject.toml.
 * @param text the file
 * @throws {PyprojectError} when the file is not TOML or has no `[project]` / `[tool.poetry]` name
 */
export function readPyproject(text: string): PythonFacts {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    const reason = e instanceof TomlError ? e.message.split("\n")[0] : String(e);
    throw new PyprojectError(`pyproject.toml is not valid TOML: ${reason.slice(0, 200)}`, {
      cause: e,
    });
  }
  const parsed = PyprojectSchema.safeParse(doc);
  const project = parsed.success ? parsed.data.project : undefined;
  const poetry = parsed.success ? parsed.data.tool?.poetry : undefined;
  const name = project?.name ?? poetry?.name;
  if (!name) throw new PyprojectError("pyproject.toml has no [project] name");
  return {
    name,
    scripts: Object.keys(project?.scripts ?? poetry?.scripts ?? {}),
    description: project?.description ?? poetry?.description ?? "",
    requiresPython: project?.["requires-python"] ?? null,
  };
}
