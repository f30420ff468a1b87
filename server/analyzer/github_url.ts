/**
 * @module GitHub URL parsing: `https://github.com/OWNER/REPO`, `.git` suffix,
 * `/tree/REF/SUB/PATH` monorepo sub-folders, a file's `/blob/REF/SUB/PATH/README.md` (its folder),
 * scheme-less `github.com/OWNER/REPO` and the SSH clone form `git@github.com:OWNER/REPO.git`.
 */
import { AnalyzerError } from "./errors.ts";
import { GITHUB_OWNER_RE, GITHUB_REPO_RE } from "../../runtime/github_names.ts";

/** A parsed GitHub repository reference. */
export interface GithubRef {
  owner: string;
  repo: string;
  /** Branch, tag or commit from a `/tree/REF/…` URL; null means the default branch. */
  ref: string | null;
  /** Sub-folder inside the repository (no leading/trailing slash), or null for the root. */
  subpath: string | null;
  /** Canonical URL (`https://github.com/OWNER/REPO[/tree/REF/SUB]`). */
  url: string;
}

const SEGMENT_RE = /^[A-Za-z0-9._@+-]+$/;

/** A ref or sub-folder segment that is safe inside a GitHub API path (`.`/`..` never are). */
function safeSegment(segment: string): boolean {
  return SEGMENT_RE.test(segment) && segment !== "." && segment !== "..";
}

function bad(input: string, why: string): AnalyzerError {
  return new AnalyzerError(
    "bad_source",
    `not a GitHub repository URL (${why}): ${JSON.stringify(input.slice(0, 200))}; ` +
      "expected https://github.com/OWNER/REPO or https://github.com/OWNER/REPO/tree/REF/PATH",
  );
}

/**
 * Parse a GitHub repository URL.
 * @param input user-supplied URL
 * @throws {AnalyzerError} `bad_source` (HTTP 400) for anything that is not a repo/tree URL
 */
export function parseGithubUrl(input: string): GithubRef {
  // `git@github.com:OWNER/REPO.git`, as a clone dialog gives it.
  const raw = input.trim().replace(/^git@(github\.com):/i, "https://$1/");
  if (!raw) throw bad(input, "empty");
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `https://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw bad(input, "unparseable");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw bad(input, "scheme");
  const host = url.hostname.toLowerCase();
  if (host !== "github.com" && host !== "www.github.com") throw bad(input, "host");
  if (url.username || url.password) throw bad(input, "credentials in URL");
  let parts: string[];
  try {
    parts = url.pathname.split("/").filter(Boolean).map((p) => decodeURIComponent(p));
  } catch {
    throw bad(input, "malformed percent-encoding");
  }
  if (parts.length < 2) throw bad(input, "missing owner/repo");
  const owner = parts[0];
  const repo = parts[1].replace(/\.git$/i, "");
  if (!GITHUB_OWNER_RE.test(owner) || !GITHUB_REPO_RE.test(repo)) {
    throw bad(input, "invalid owner or repository name");
  }
  let ref: string | null = null;
  let subpath: string | null = null;
  if (parts.length > 2) {
    // A file's page (`/blob/REF/src/x/README.md`): the server in that file's folder.
    const blob = parts[2] === "blob" && parts.length >= 5;
    if (!blob && (parts[2] !== "tree" || parts.length < 4)) {
      throw bad(input, "only /tree/REF/PATH URLs or a file's /blob/REF/PATH");
    }
    ref = parts[3];
    const rest = blob ? parts.slice(4, -1) : parts.slice(4);
    if (!safeSegment(ref) || !rest.every(safeSegment)) {
      throw bad(input, "invalid ref or path");
    }
    subpath = rest.length ? rest.join("/") : null;
  }
  const canonical = `https://github.com/${owner}/${repo}` +
    (ref ? `/tree/${ref}${subpath ? `/${subpath}` : ""}` : "");
  return { owner, repo, ref, subpath, url: canonical };
}
