/**
 * @module Sub-folder servers through the fake GitHub API: the fake serves nested fixture files as
 * GitHub's contents API does, the analyzer reads the manifests of the sub-folders its README points
 * at, attaches `docker exec` servers to the image built from the Dockerfile, and refuses with a
 * reason when nothing is runnable.
 */
import assert from "node:assert/strict";
import { analyze } from "../../../server/analyzer/analyze.ts";
import { AnalyzerError } from "../../../server/analyzer/errors.ts";
import { fetchRepoSnapshot } from "../../../server/analyzer/github.ts";
import { createRetryingFetch } from "../../../server/http/retry_fetch.ts";
import { setLogLevel } from "../../../runtime/foundation/log.ts";
import { testSettings } from "../../../server/settings.ts";
import { type FakeRepo, startFakeGithub } from "../../fakes/github.ts";

setLogLevel("error");
const fence = "```";
const pyproject = '[project]\nname = "term-srv"\n[project.scripts]\nterm-srv = "t:main"\n';

async function withRepo<T>(repo: FakeRepo, fn: (api: string) => Promise<T>): Promise<T> {
  const gh = startFakeGithub([repo]);
  try {
    return await fn(gh.url);
  } finally {
    await gh.close();
  }
}
const deps = (api: string) => ({
  settings: testSettings({ githubApiUrl: api }),
  fetch: createRetryingFetch({ retries: 0 }),
});

Deno.test("subfolder - the fake serves nested files; the snapshot holds the sub-folder manifest", async () => {
  const repo: FakeRepo = {
    repo: "alice/term",
    subpath: null,
    readme: "# Term\n\n```bash\ncd terminal_server\nuv sync\n```\n",
    files: { "terminal_server/pyproject.toml": pyproject, "docs/x.md": "doc" },
  };
  await withRepo(repo, async (api) => {
    const listing = await (await fetch(`${api}/repos/alice/term/contents/`)).json();
    assert.deepEqual(
      listing.map((e: { name: string; type: string }) => `${e.type}:${e.name}`).sort(),
      ["dir:docs", "dir:terminal_server", "file:README.md"],
    );
    const file =
      await (await fetch(`${api}/repos/alice/term/contents/terminal_server/pyproject.toml`))
        .json();
    assert.equal(file.path, "terminal_server/pyproject.toml");
    const snap = await fetchRepoSnapshot(
      {
        owner: "alice",
        repo: "term",
        subpath: null,
        ref: null,
        url: "https://github.com/alice/term",
      },
      { apiUrl: api },
    );
    assert.deepEqual(Object.keys(snap.files), ["terminal_server/pyproject.toml"]);
    const plan = await analyze({ source: "https://github.com/alice/term" }, deps(api));
    assert.equal(plan.runtime, "source");
    assert.deepEqual(plan.args, ["--directory", "terminal_server", "run", "term-srv"]);
    assert.ok(plan.install[0].startsWith("git clone --depth 1 https://github.com/alice/term.git"));
  });
});

Deno.test("subfolder - `docker exec -i NAME CMD` runs CMD in the image built from the Dockerfile", async () => {
  const readme = [
    "# Kali",
    `${fence}bash`,
    "docker compose up --build -d",
    fence,
    "**Claude Desktop:**",
    `${fence}bash`,
    'claude mcp add --transport stdio kali "docker exec -i kali python3 /app/server.py"',
    fence,
  ].join("\n");
  const repo: FakeRepo = {
    repo: "alice/kali",
    subpath: null,
    readme,
    files: { Dockerfile: 'FROM python:3.12\nCMD ["python", "/app/server.py"]\n' },
  };
  await withRepo(repo, async (api) => {
    const plan = await analyze({ source: "https://github.com/alice/kali" }, deps(api));
    assert.equal(plan.runtime, "image");
    assert.equal(plan.build?.dockerfile, "Dockerfile");
    assert.deepEqual(plan.args, ["python3", "/app/server.py"]);
  });
});

Deno.test("subfolder - nothing runnable anywhere: a refusal with a one-line reason", async () => {
  const repo: FakeRepo = {
    repo: "alice/lib",
    subpath: null,
    readme: "# A library\n\nImport it from your own code.\n",
    files: {},
  };
  await withRepo(repo, async (api) => {
    await assert.rejects(
      analyze({ source: "https://github.com/alice/lib" }, deps(api)),
      (e: unknown) => {
        assert.ok(e instanceof AnalyzerError);
        assert.equal(e.status, 422);
        assert.match(e.message, /^no way to run alice\/lib was found/);
        assert.ok(!e.message.includes("\n"));
        return true;
      },
    );
  });
});
