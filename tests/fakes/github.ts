/**
 * @module Fake GitHub REST API (hono) serving the analyzer fixtures: `/repos/:o/:r`,
 * `/repos/:o/:r/contents/…`, `/repos/:o/:r/readme[/dir]`, with ETags and failure switches
 * (404, 429-with-Retry-After-then-200, 5xx-then-200).
 */
import { Hono } from "hono";
import { tarStream } from "../../runtime/podman/tar.ts";

/** Default fixtures folder: `tests/fixtures/analyzer` (a copy of `../shared/fixtures/analyzer`). */
export const FIXTURES_DIR = new URL("../fixtures/analyzer/", import.meta.url);

/** One repository the fake serves. */
export interface FakeRepo {
  /** `owner/name`. */
  repo: string;
  subpath: string | null;
  description?: string;
  /** README text (null: no README). */
  readme: string | null;
  /** File path (relative to the folder; `sub/pyproject.toml` for nested files) → text. */
  files: Record<string, string>;
}

/** Failure switches. */
export interface FakeGithubFailures {
  /** Answer the next N requests with 429 + `Retry-After: retryAfter` (default 0 s). */
  rateLimited?: number;
  retryAfter?: string;
  /** Answer the next N requests with 502. */
  serverErrors?: number;
}

/** A running fake. */
export interface FakeGithub {
  url: string;
  /** Every request: path + query and whether it carried `If-None-Match`. */
  requests: { path: string; ifNoneMatch: string | null; status: number }[];
  /** `owner/name` (lower-case) → served folders. */
  repos: Map<string, FakeRepo[]>;
  failures: FakeGithubFailures;
  close(): Promise<void>;
}

/** One analyzer fixture: its fake repository, the hand-made plan and which split it is in. */
export interface FixtureCase {
  name: string;
  repo: FakeRepo;
  expected: unknown;
  githubUrl: string;
  /** `original`: the first 12 cases; `tuning`/`heldout`: the later set (held-out = not tuned on). */
  split: "original" | "tuning" | "heldout";
  /** The collection batch (`AG`), when `source.json` names one. */
  batch?: string;
}

/** Load every fixture case as a {@linkcode FakeRepo} (keyed by `owner/name`, with its case name). */
export function loadFixtureRepos(
  dir: URL = FIXTURES_DIR,
): FixtureCase[] {
  const out: FixtureCase[] = [];
  const names = [...Deno.readDirSync(dir)].filter((e) => e.isDirectory).map((e) => e.name).sort();
  for (const name of names) {
    const caseDir = new URL(`${name}/`, dir);
    const files = readTree(caseDir);
    // A folder still being collected (no labels yet) is not a case.
    if (!files["source.json"] || !files["expected.json"]) continue;
    const source = JSON.parse(files["source.json"]) as {
      repo: string;
      subpath: string | null;
      github_url: string;
      split?: "tuning" | "heldout";
      batch?: string;
    };
    const expected = JSON.parse(files["expected.json"]);
    const readme = files["README.md"] ?? null;
    for (const k of ["README.md", "source.json", "expected.json"]) delete files[k];
    out.push({
      name,
      repo: { repo: source.repo, subpath: source.subpath, readme, files },
      expected,
      // (A sub-folder case recorded as the repository's URL and a `subpath`: the folder's URL,
      // as a user adding that server pastes it.)
      githubUrl: source.subpath && !/\/tree\//.test(source.github_url)
        ? `${source.github_url.replace(/\/+$/, "")}/tree/main/${source.subpath}`
        : source.github_url,
      split: source.split ?? "original",
      ...(source.batch ? { batch: source.batch } : {}),
    });
  }
  return out;
}

/** Every file under `dir`, keyed by its `/`-separated path relative to `dir`. */
function readTree(dir: URL, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of Deno.readDirSync(dir)) {
    if (e.isFile) out[prefix + e.name] = Deno.readTextFileSync(new URL(e.name, dir));
    else if (e.isDirectory) {
      Object.assign(out, readTree(new URL(`${e.name}/`, dir), `${prefix}${e.name}/`));
    }
  }
  return out;
}

/** Every file a repository's folders hold (README included), keyed by repository path. */
function repoTree(folders: FakeRepo[]): Map<string, string> {
  const tree = new Map<string, string>();
  for (const f of folders) {
    const dir = f.subpath ?? "";
    const at = (name: string) => (dir ? `${dir}/${name}` : name);
    for (const [name, text] of Object.entries(f.files)) tree.set(at(name), text);
    if (f.readme !== null) tree.set(at("README.md"), f.readme);
  }
  return tree;
}

function b64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

async function etagOf(body: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", new TextEncoder().encode(body));
  return `"${[...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("")}"`;
}

/**
 * Start the fake on a random port.
 * @param repos repositories to serve (default: all fixtures)
 */
export function startFakeGithub(repos?: FakeRepo[]): FakeGithub {
  const map = new Map<string, FakeRepo[]>();
  for (const r of repos ?? loadFixtureRepos().map((c) => c.repo)) {
    const key = r.repo.toLowerCase();
    map.set(key, [...(map.get(key) ?? []), r]);
  }
  const requests: FakeGithub["requests"] = [];
  const failures: FakeGithubFailures = {};
  const app = new Hono();

  const json = async (req: Request, value: unknown): Promise<Response> => {
    const body = JSON.stringify(value);
    const etag = await etagOf(body);
    if (req.headers.get("if-none-match") === etag) {
      return new Response(null, { status: 304, headers: { etag } });
    }
    return new Response(body, { headers: { "content-type": "application/json", etag } });
  };
  const notFound = () => Response.json({ message: "Not Found" }, { status: 404 });
  const fileEntry = (path: string, text: string) => ({
    type: "file",
    name: path.split("/").pop(),
    path,
    size: new TextEncoder().encode(text).length,
    encoding: "base64",
    content: b64(text),
  });
  const folderOf = (repo: FakeRepo) => repo.subpath ?? "";

  app.use("*", async (c, next) => {
    const url = new URL(c.req.url);
    if (failures.rateLimited && failures.rateLimited > 0) {
      failures.rateLimited--;
      requests.push({
        path: url.pathname + url.search,
        ifNoneMatch: c.req.header("if-none-match") ?? null,
        status: 429,
      });
      return c.json({ message: "rate limited" }, 429, {
        "retry-after": failures.retryAfter ?? "0",
      });
    }
    if (failures.serverErrors && failures.serverErrors > 0) {
      failures.serverErrors--;
      requests.push({
        path: url.pathname + url.search,
        ifNoneMatch: c.req.header("if-none-match") ?? null,
        status: 502,
      });
      return c.json({ message: "bad gateway" }, 502);
    }
    await next();
    requests.push({
      path: url.pathname + url.search,
      ifNoneMatch: c.req.header("if-none-match") ?? null,
      status: c.res.status,
    });
  });

  app.get("*", (c) => {
    const parts = decodeURIComponent(new URL(c.req.url).pathname).split("/").filter(Boolean);
    if (parts[0] !== "repos" || parts.length < 3) return notFound();
    const folders = map.get(`${parts[1]}/${parts[2]}`.toLowerCase());
    if (!folders?.length) return notFound();
    const rest = parts.slice(3);
    if (rest.length === 0) {
      const first = folders[0];
      return json(c.req.raw, {
        full_name: first.repo,
        description: first.description ?? `${first.repo} (fixture)`,
        default_branch: "main",
        archived: false,
        html_url: `https://github.com/${first.repo}`,
        license: { spdx_id: "MIT" },
      });
    }
    if (rest[0] === "readme") {
      const dir = rest.slice(1).join("/");
      const repo = folders.find((f) => folderOf(f) === dir);
      if (!repo || repo.readme === null) return notFound();
      const path = repo.subpath ? `${repo.subpath}/README.md` : "README.md";
      return json(c.req.raw, fileEntry(path, repo.readme));
    }
    if (rest[0] === "tarball") {
      // The repository as GitHub serves it: gzip'd tar, everything under `owner-repo-sha/`.
      const top = `${parts[1]}-${parts[2]}-0123abc`;
      const entries = folders.flatMap((f) => {
        const dir = folderOf(f) ? `${top}/${folderOf(f)}` : top;
        const files = Object.entries(f.files).map(([n, t]) => ({
          name: `${dir}/${n}`,
          content: t,
        }));
        if (f.readme !== null) files.push({ name: `${dir}/README.md`, content: f.readme });
        return files;
      });
      const gz = tarStream(entries).pipeThrough(
        new CompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>,
      );
      return new Response(gz, { headers: { "content-type": "application/x-gzip" } });
    }
    if (rest[0] !== "contents") return notFound();
    // The contents API over the whole tree: a file's entry, or a folder's listing (files and
    // sub-folders), as GitHub answers them.
    const path = rest.slice(1).join("/");
    const tree = repoTree(folders);
    const file = tree.get(path);
    if (file !== undefined) return json(c.req.raw, fileEntry(path, file));
    const prefix = path ? `${path}/` : "";
    const listing = new Map<string, { type: string; name: string; path: string; size: number }>();
    for (const [p, text] of tree) {
      if (!p.startsWith(prefix)) continue;
      const [name, ...deeper] = p.slice(prefix.length).split("/");
      const type = deeper.length ? "dir" : "file";
      const size = type === "file" ? new TextEncoder().encode(text).length : 0;
      if (!listing.has(name)) listing.set(name, { type, name, path: prefix + name, size });
    }
    const folderKnown = folders.some((f) => folderOf(f) === path);
    if (!listing.size && !folderKnown) return notFound();
    return json(c.req.raw, [...listing.values()]);
  });
  app.notFound(() => notFound());

  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, app.fetch);
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    repos: map,
    failures,
    close: () => server.shutdown(),
  };
}
