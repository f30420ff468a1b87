/**
 * @module The as-of-release-date retry: a uvx server whose start-up dies importing
 * (`ModuleNotFoundError`, `ImportError`, `AttributeError: module … has no attribute …`, an
 * `AttributeError` or `TypeError` from an API a newer dependency changed) usually
 * runs against a dependency that removed an API since the server was released (its `mcp` or
 * `pydantic` unpinned). Such a server is retried once with its dependencies resolved as PyPI
 * stood on the release date of the version installed (`install_resolution: "as-of <date>"`,
 * uv's `--exclude-newer`). This module detects the failure and plans the retry; the runtime
 * facade runs it.
 */
import { asOfResolution } from "../../../runtime/install_resolution.ts";
import { pythonOfImage } from "../../../runtime/debian_suite.ts";
import { uvLaunch } from "../../../runtime/launch_command.ts";
import {
  fetchPypiProject,
  parseRequirement,
  pickRelease,
  type PypiRelease,
} from "../../../runtime/pypi_release.ts";
import { appendLog, getLogs, MAX_LINES_PER_SERVER } from "../../../runtime/log_buffer.ts";
import type { ServerRecord } from "../../schemas/server.ts";
import type { Settings } from "../../settings.ts";
import { createLogger } from "../../../runtime/foundation/log.ts";
import { errorMessage } from "../../errors.ts";
import { createRetryingFetch } from "../../http/retry_fetch.ts";

const log = createLogger("downstream.resolve_retry");

/** PyPI lookups go through the one retry/rate-limit helper. */
const retryingFetch = createRetryingFetch();

/** Lines of a Python traceback that say an import broke. */
const IMPORT_FAILURE_RE = new RegExp(
  [
    String.raw`\b\w*(ModuleNotFoundError|ImportError)\b`,
    String.raw`\bAttributeError: (partially initialized )?module '[^']+' has no attribute`,
    // An API removed from a class of a newer dependency (`mcp` 2.x `Server.list_tools`).
    String.raw`\bAttributeError: '[^']+' object has no attribute`,
    String.raw`\bTypeError: .*(unexpected keyword argument|got an unexpected|takes \d+ positional)`,
    String.raw`\bcannot import name '[^']+' from`,
  ].join("|"),
);

/**
 * The stderr line that shows a start-up died importing, or null.
 * @param lines the server's stderr lines of the failed start (oldest first)
 */
export function importFailure(lines: readonly string[]): string | null {
  for (let i = lines.length - 1; i >= 0; i--) {
    if (IMPORT_FAILURE_RE.test(lines[i])) return lines[i].trim();
  }
  return null;
}

/**
 * Whether a failed launch deserves the retry: a uvx server resolved fresh (no
 * `install_resolution` yet) whose start-up log shows an import failure.
 * @returns the import failure line, or null
 */
export function asOfRetryCause(
  server: Pick<ServerRecord, "runtime"> & Partial<Pick<ServerRecord, "install_resolution">>,
  stderr: readonly string[],
): string | null {
  if (server.runtime !== "uvx" || server.install_resolution) return null;
  return importFailure(stderr);
}

/** A planned retry. */
export interface AsOfRetry {
  /** The `install_resolution` to build with (`as-of 2025-12-31`). */
  resolution: string;
  /** The release whose upload date it is. */
  release: PypiRelease;
  /** The import failure that prompted it. */
  cause: string;
}

/**
 * Plan the retry: the release a fresh install got (the newest the spec allows on the image's
 * Python) and its upload date, from PyPI's JSON.
 * @returns the plan, or null when PyPI cannot tell (disabled, unknown package, URL spec)
 * @throws on network errors and unexpected PyPI replies
 */
export async function planAsOfRetry(
  server: Pick<ServerRecord, "package" | "command" | "args">,
  cause: string,
  options: { settings: Settings; fetch?: typeof fetch },
): Promise<AsOfRetry | null> {
  const requirement = parseRequirement(uvLaunch(server).installSpec);
  if (!requirement) return null;
  const project = await fetchPypiProject(requirement.name, {
    pypiUrl: options.settings.pypiUrl,
    fetch: options.fetch ?? retryingFetch,
  });
  if (!project) return null;
  const release = pickRelease(project, {
    specifier: requirement.specifier,
    python: pythonOfImage(options.settings.baseImage),
  });
  if (!release) return null;
  return { resolution: asOfResolution(release.uploadedAt), release, cause };
}

/** The test report's line about a retry that worked. */
export function asOfNote(retry: AsOfRetry): string {
  const date = retry.resolution.replace(/^as-of /, "");
  return `rebuilt with dependencies as of ${date} (the release date of ${retry.release.name} ` +
    `${retry.release.version}): the fresh resolve failed with ${clip(retry.cause)}`;
}

/** The test report's line about a retry that did not help. */
export function asOfFailedNote(retry: AsOfRetry, error: string): string {
  const date = retry.resolution.replace(/^as-of /, "");
  return `also tried with dependencies as of ${date} (the release date of ${retry.release.name} ` +
    `${retry.release.version}); that failed too: ${clip(error)}`;
}

function clip(text: string, max = 300): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** What {@linkcode retryAsOfRelease} needs. */
export interface AsOfRetryOptions<T> {
  settings: Settings;
  fetch?: typeof fetch;
  /** When the failed attempt started: its stderr lines are read from the log buffer since then. */
  since: Date | string;
  /** Launch the server again (with its `install_resolution` set) the way the first attempt did. */
  probe: (server: ServerRecord) => Promise<T>;
  /** Remove an install image that turned out useless (best effort). */
  removeImage?: (server: ServerRecord) => Promise<void>;
}

/** The report fields the retry reads and writes. */
export interface RetryableReport {
  ok: boolean;
  error: string | null;
  install_resolution?: string | null;
  notes?: string[];
}

/**
 * After a failed launch: when it died importing, rebuild once with dependencies as of the
 * installed release's date and launch again. A retry that works returns its outcome, its report
 * carrying `install_resolution` and a note; one that fails returns the first outcome with a note
 * saying what was tried. Anything else returns `first` unchanged.
 */
export async function retryAsOfRelease<T extends { report: RetryableReport }>(
  server: ServerRecord,
  first: T,
  options: AsOfRetryOptions<T>,
): Promise<T> {
  if (first.report.ok) return first;
  const stderr = getLogs(server.id, { since: options.since, lines: MAX_LINES_PER_SERVER })
    .filter((l) => l.source === "stderr").map((l) => l.line);
  const cause = asOfRetryCause(server, stderr);
  if (!cause) return first;
  let retry: AsOfRetry | null;
  try {
    retry = await planAsOfRetry(server, cause, options);
  } catch (error) {
    log.warn("as-of retry: PyPI lookup failed", {
      server: server.name,
      error: errorMessage(error),
    });
    return first;
  }
  if (!retry) return first;
  const resolved: ServerRecord = { ...server, install_resolution: retry.resolution };
  appendLog(server.id, `start-up died importing (${clip(cause, 200)}): ${asOfNote(retry)}`, {
    source: "router",
  });
  log.info("as-of retry", { server: server.name, resolution: retry.resolution });
  const second = await options.probe(resolved);
  if (second.report.ok) {
    second.report.install_resolution = retry.resolution;
    second.report.notes = [...(second.report.notes ?? []), asOfNote(retry)];
    return second;
  }
  await options.removeImage?.(resolved).catch(() => {});
  first.report.notes = [
    ...(first.report.notes ?? []),
    asOfFailedNote(retry, second.report.error ?? "unknown error"),
  ];
  return first;
}
