/**
 * @module Python support of a uvx package: before its install image is built, compare the
 * `requires_python` PyPI states for the release a fresh install would get with the Python of the
 * uv image (Debian's `python3` of the base image's suite). A mismatch fails fast with one line
 * naming both versions; when only the newest release is too new, uv installs an older one that
 * fits and a note says so. Lookup failures never block a build: uv has the last word.
 */
import { LaunchSpecError } from "./container_layout.ts";
import { satisfies } from "./pep440.ts";
import {
  fetchPypiProject,
  newestRelease,
  parseRequirement,
  pickRelease,
  type PypiOptions,
  type PypiRelease,
} from "./pypi_release.ts";

/** Thrown when no release a spec allows supports the image's Python. */
export class PythonVersionError extends LaunchSpecError {
  override name = "PythonVersionError";
}

/** What {@linkcode checkPythonSupport} found. */
export interface PythonSupport {
  /** The release uv should install, when PyPI could tell. */
  release: PypiRelease | null;
  /** A line for the build log (an older release is used, or PyPI could not be read). */
  note: string | null;
}

/** Options of {@linkcode checkPythonSupport}. */
export interface PythonSupportOptions {
  /** The uv image's Python (`3.13.5`); null skips the check. */
  python: string | null;
  /** The base image reference, named in messages. */
  baseImage: string;
  pypi: PypiOptions;
}

function minor(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}

/**
 * Check that a uv install spec can run on the image's Python.
 * @param installSpec what `uv tool install` gets (`pkg`, `pkg==1.2`, `pkg>=1`)
 * @throws {PythonVersionError} when no allowed release supports that Python
 */
export async function checkPythonSupport(
  installSpec: string,
  options: PythonSupportOptions,
): Promise<PythonSupport> {
  const { python } = options;
  const requirement = parseRequirement(installSpec);
  if (!python || !requirement || !options.pypi.pypiUrl) return { release: null, note: null };
  let project;
  try {
    project = await fetchPypiProject(requirement.name, options.pypi);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return { release: null, note: `could not read ${requirement.name} on PyPI (${why})` };
  }
  if (!project) return { release: null, note: null };
  const newest = newestRelease(project, requirement.specifier);
  if (!newest) return { release: null, note: null };
  if (satisfies(python, newest.requiresPython)) return { release: newest, note: null };
  const fitting = pickRelease(project, { specifier: requirement.specifier, python });
  const needs = `${newest.name} ${newest.version} needs Python ${newest.requiresPython}`;
  if (fitting) {
    return {
      release: fitting,
      note: `${needs}; the uv image has Python ${python}: uv installs ${fitting.version}, ` +
        `the newest release that supports it`,
    };
  }
  const other = requirement.specifier ? pickRelease(project, { python }) : null;
  const hint = other
    ? `pin ${newest.name}==${other.version} (the newest release that supports ${minor(python)})`
    : `no release of ${newest.name} supports Python ${minor(python)}`;
  throw new PythonVersionError(
    `${needs}, but the uv image has Python ${python} (base ${options.baseImage}): ${hint}, ` +
      `or set MCP_ROUTER_BASE_IMAGE to a base with a newer Python`,
  );
}
