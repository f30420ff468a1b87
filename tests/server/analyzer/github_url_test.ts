/** @module Tests for GitHub URL parsing. */
import assert from "node:assert/strict";
import { parseGithubUrl } from "../../../server/analyzer/github_url.ts";
import { AnalyzerError } from "../../../server/analyzer/errors.ts";

Deno.test("github_url - accepts repo URLs in their common shapes", () => {
  for (
    const u of [
      "https://github.com/brave/brave-search-mcp-server",
      "https://github.com/brave/brave-search-mcp-server/",
      "https://github.com/brave/brave-search-mcp-server.git",
      "github.com/brave/brave-search-mcp-server",
      "http://www.github.com/brave/brave-search-mcp-server?tab=readme#x",
    ]
  ) {
    const r = parseGithubUrl(u);
    assert.deepEqual([r.owner, r.repo, r.ref, r.subpath], [
      "brave",
      "brave-search-mcp-server",
      null,
      null,
    ], u);
    assert.equal(r.url, "https://github.com/brave/brave-search-mcp-server");
  }
});

Deno.test("github_url - tree URLs give ref and sub-folder", () => {
  const r = parseGithubUrl("https://github.com/modelcontextprotocol/servers/tree/main/src/fetch");
  assert.equal(r.ref, "main");
  assert.equal(r.subpath, "src/fetch");
  assert.equal(r.url, "https://github.com/modelcontextprotocol/servers/tree/main/src/fetch");
  assert.equal(parseGithubUrl("github.com/a/b/tree/v1.2").subpath, null);
});

Deno.test("github_url - a file's blob URL names its folder; the SSH clone form is a repository", () => {
  const r = parseGithubUrl("https://github.com/org/servers/blob/main/src/fetch/README.md");
  assert.equal(r.ref, "main");
  assert.equal(r.subpath, "src/fetch");
  assert.equal(r.url, "https://github.com/org/servers/tree/main/src/fetch");
  assert.equal(parseGithubUrl("https://github.com/a/b/blob/v2/README.md").subpath, null);
  const ssh = parseGithubUrl("git@github.com:alice/weather-mcp.git");
  assert.equal(ssh.owner, "alice");
  assert.equal(ssh.repo, "weather-mcp");
});

Deno.test("github_url - rejects everything else with a 400 AnalyzerError", () => {
  for (
    const u of [
      "",
      "https://gitlab.com/a/b",
      "https://github.com/onlyowner",
      "https://github.com/a/b/blob/main",
      "https://github.com/a/b/tree",
      "ftp://github.com/a/b",
      "https://user:pw@github.com/a/b",
      "https://github.com/a/../b",
      "not a url at all",
    ]
  ) {
    assert.throws(
      () => parseGithubUrl(u),
      (e: unknown) => e instanceof AnalyzerError && e.status === 400,
      u,
    );
  }
});
