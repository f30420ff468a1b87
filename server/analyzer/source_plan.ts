/**
 * @module Deterministic plans for non-GitHub sources: `npx:PKG`, `uvx:PKG`, `image:REF` and
 * MCP URLs. Pure functions, no I/O.
 */
import { type Plan, PlanSchema } from "../schemas/server.ts";
import { deriveServerNames } from "./server_names.ts";
import { shellWords } from "./shell_words.ts";

/** The kinds of source the analyzer accepts (`invalid` for anything else). */
export type SourceKind = "github" | "npx" | "uvx" | "image" | "remote" | "invalid";

/** Thrown when a source string cannot be turned into a plan (maps to HTTP 400). */
export class SourceError extends Error {
  override name = "SourceError";
  /**
   * @param message human-readable reason
   * @param options `source` is the offending input, `cause` for logs
   */
  constructor(message: string, options: { source?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.source = options.source ?? "";
  }
  /** The rejected input. */
  readonly source: string;
}

const GITHUB_RE = /^(?:(?:https?:\/\/)?(?:www\.)?github\.com\/|git@github\.com:)[^/\s]+\/[^/\s]+/i;
/** Code hosts whose URLs are repositories, not MCP endpoints (GitHub is handled separately). */
const CODE_HOSTS =
  /^(www\.)?(github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|sr\.ht|git\.sr\.ht)$/i;
/** npm package spec: optional scope, name, optional version/tag. */
const NPM_PKG_RE =
  /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*(?:@[A-Za-z0-9._~^<>=*|+-]+)?$/i;
/** PyPI requirement: name, optional extras, optional version constraint. */
const PYPI_PKG_RE =
  /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?(?:\[[A-Za-z0-9,._-]+\])?(?:(?:==|>=|<=|~=|!=|>|<|@)[A-Za-z0-9.*+!_-]+)?$/;
/** OCI image reference (registry/path:tag@digest), conservatively. */
const IMAGE_RE =
  /^[a-z0-9][a-z0-9._-]*(?::[0-9]+)?(?:\/[a-z0-9][a-z0-9._-]*)*(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/**
 * Classify a source string without validating it fully.
 * @param source user input (`npx:…`, `uvx:…`, `image:…`, URL or GitHub URL)
 */
export function classifySource(source: string): SourceKind {
  const s = source.trim();
  if (!s) return "invalid";
  if (GITHUB_RE.test(s)) return "github";
  const lower = s.toLowerCase();
  if (lower.startsWith("npx:")) return "npx";
  if (lower.startsWith("uvx:")) return "uvx";
  if (lower.startsWith("image:") || lower.startsWith("docker:")) return "image";
  if (/^https?:\/\//i.test(s)) {
    try {
      new URL(s);
      return "remote";
    } catch {
      return "invalid";
    }
  }
  return "invalid";
}

/** The words after `npx:` / `uvx:` / `image:`; shell operators (`|`, `;`, `&&`…) are refused. */
function wordsAfterPrefix(source: string): string[] {
  const rest = source.trim().slice(source.trim().indexOf(":") + 1).trim();
  const { words, truncated } = shellWords(rest);
  if (truncated) {
    throw new SourceError("shell operators (|, ;, &&, …) are not allowed in a source", { source });
  }
  return words;
}

function planNpx(source: string): Plan {
  const [pkg, ...rest] = wordsAfterPrefix(source);
  if (!pkg || !NPM_PKG_RE.test(pkg)) {
    throw new SourceError(`not a valid npm package: ${JSON.stringify(pkg ?? "")}`, { source });
  }
  return finish({
    ...deriveServerNames({ kind: "npm", spec: pkg }),
    runtime: "npx",
    command: "npx",
    args: ["-y", pkg, ...rest],
    package: pkg,
    transport: "stdio",
    origin: { kind: "npx", ref: source.trim() },
  });
}

function planUvx(source: string): Plan {
  const words = wordsAfterPrefix(source);
  // `uvx:--from PKG COMMAND [args…]`: the package provides a command of another name.
  const from = words[0] === "--from" && words.length >= 3;
  const [pkg, ...rest] = from ? words.slice(1) : words;
  if (!pkg || !PYPI_PKG_RE.test(pkg)) {
    throw new SourceError(`not a valid PyPI package: ${JSON.stringify(pkg ?? "")}`, { source });
  }
  return finish({
    ...deriveServerNames({ kind: "pypi", spec: pkg }),
    runtime: "uvx",
    command: "uvx",
    args: from ? ["--from", pkg, ...rest] : [pkg, ...rest],
    package: pkg,
    transport: "stdio",
    origin: { kind: "uvx", ref: source.trim() },
  });
}

function planImage(source: string): Plan {
  const [ref, ...rest] = wordsAfterPrefix(source);
  if (!ref || !IMAGE_RE.test(ref)) {
    throw new SourceError(`not a valid image reference: ${JSON.stringify(ref ?? "")}`, { source });
  }
  return finish({
    ...deriveServerNames({ kind: "image", ref }),
    runtime: "image",
    image: ref,
    command: null,
    args: rest,
    transport: "stdio",
    origin: { kind: "image", ref: source.trim() },
  });
}

function planRemote(source: string): Plan {
  const s = source.trim();
  let url: URL;
  try {
    url = new URL(s);
  } catch (cause) {
    throw new SourceError(`not a valid URL: ${s}`, { source, cause });
  }
  if (url.username || url.password) {
    throw new SourceError("MCP URLs must not embed credentials", { source });
  }
  if (CODE_HOSTS.test(url.hostname)) {
    throw new SourceError(
      `${url.hostname} is a code host, not an MCP endpoint; only GitHub repositories can be analysed`,
      { source },
    );
  }
  const path = url.pathname.replace(/\/+$/, "");
  const transport = /\/sse$/i.test(path) ? "sse" : "http";
  return finish({
    ...deriveServerNames({ kind: "remote", url: url.toString() }),
    runtime: "remote",
    command: null,
    transport,
    url: url.toString(),
    origin: { kind: "remote", ref: s },
  });
}

function finish(partial: Record<string, unknown>): Plan {
  return PlanSchema.parse({ source: "deterministic", ...partial });
}

/**
 * Build a plan for a non-GitHub source, deterministically.
 * @param source `npx:PKG[@ver] [args…]`, `uvx:PKG [args…]`, `image:REF [args…]` or an MCP URL
 * @throws {SourceError} for GitHub URLs (use the analyzer) and anything unrecognised
 */
export function planFromSource(source: string): Plan {
  switch (classifySource(source)) {
    case "npx":
      return planNpx(source);
    case "uvx":
      return planUvx(source);
    case "image":
      return planImage(source);
    case "remote":
      return planRemote(source);
    case "github":
      throw new SourceError("GitHub URLs need the repository analyzer", { source });
    default:
      throw new SourceError(
        "unrecognised source: expected a GitHub URL, npx:PKG, uvx:PKG, image:REF or an MCP http(s) URL",
        { source },
      );
  }
}
