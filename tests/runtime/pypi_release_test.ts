import assert from "node:assert/strict";
import {
  fetchPypiProject,
  newestRelease,
  parseRequirement,
  pickRelease,
  type PypiProject,
  PypiProjectSchema,
} from "../../runtime/pypi_release.ts";
import { checkPythonSupport, PythonVersionError } from "../../runtime/python_support.ts";

const file = (at: string, requires: string | null, yanked = false) => ({
  upload_time_iso_8601: at,
  requires_python: requires,
  yanked,
});

/** A project whose newest release needs Python 3.14 and whose 3.0 is a pre-release. */
const PROJECT: PypiProject = PypiProjectSchema.parse({
  info: { name: "mcp-thing", version: "2.1.0", requires_python: ">=3.14" },
  releases: {
    "1.0.0": [file("2025-01-02T10:00:00Z", ">=3.10"), file("2025-01-03T08:00:00Z", ">=3.10")],
    "1.5.0": [file("2025-06-01T09:00:00Z", ">=3.11")],
    "1.6.0": [file("2025-07-01T09:00:00Z", ">=3.11", true)],
    "2.1.0": [file("2026-03-01T09:00:00Z", ">=3.14")],
    "3.0.0rc1": [file("2026-04-01T09:00:00Z", ">=3.10")],
    "0.1": [],
  },
});

function fakePypi(project: PypiProject | null): { fetch: typeof fetch; urls: string[] } {
  const urls: string[] = [];
  const fetch = ((input: string | URL | Request) => {
    urls.push(String(input));
    if (!project) return Promise.resolve(new Response("not found", { status: 404 }));
    return Promise.resolve(Response.json(project));
  }) as typeof globalThis.fetch;
  return { fetch, urls };
}

Deno.test("pypi release - requirement specs split into name and specifier", () => {
  assert.deepEqual(parseRequirement("mcp-server-git"), { name: "mcp-server-git", specifier: "" });
  assert.deepEqual(parseRequirement("pkg[cli]==1.2"), { name: "pkg", specifier: "==1.2" });
  assert.deepEqual(parseRequirement("pkg >= 1, < 2"), { name: "pkg", specifier: ">=1,<2" });
  assert.equal(parseRequirement("pkg @ https://example.com/pkg.whl"), null);
  assert.equal(parseRequirement("git+https://example.com/x.git"), null);
  assert.equal(parseRequirement("./local/dir"), null);
});

Deno.test("pypi release - picks what a fresh install gets on a given Python", () => {
  // Newest overall: 2.1.0 (the pre-release and the yanked release are skipped).
  assert.equal(newestRelease(PROJECT)?.version, "2.1.0");
  // On 3.13 uv falls back to the newest release that admits it.
  const on313 = pickRelease(PROJECT, { python: "3.13.5" });
  assert.equal(on313?.version, "1.5.0");
  assert.equal(on313?.requiresPython, ">=3.11");
  // Pinned: that release; upload time is the latest of its files.
  const pinned = pickRelease(PROJECT, { specifier: "==1.0.0", python: "3.13.5" });
  assert.equal(pinned?.uploadedAt, "2025-01-03T08:00:00Z");
  // A pre-release only when nothing else matches.
  assert.equal(pickRelease(PROJECT, { specifier: ">=3.0.0rc1" })?.version, "3.0.0rc1");
  assert.equal(pickRelease(PROJECT, { specifier: "==9.9" }), null);
});

Deno.test("pypi release - fetches the project JSON; 404 is null; errors throw", async () => {
  const { fetch, urls } = fakePypi(PROJECT);
  const project = await fetchPypiProject("mcp-thing", { pypiUrl: "https://pypi.test/", fetch });
  assert.equal(project?.info.name, "mcp-thing");
  assert.deepEqual(urls, ["https://pypi.test/pypi/mcp-thing/json"]);
  assert.equal(
    await fetchPypiProject("nope", { pypiUrl: "https://pypi.test", fetch: fakePypi(null).fetch }),
    null,
  );
  assert.equal(await fetchPypiProject("x", { pypiUrl: "", fetch }), null);
  const broken = (() => Promise.resolve(new Response("oops", { status: 503 }))) as typeof fetch;
  await assert.rejects(
    fetchPypiProject("x", { pypiUrl: "https://pypi.test", fetch: broken }),
    /503/,
  );
});

Deno.test("python support - fits, falls back with a note, or fails naming both versions", async () => {
  const pypi = { pypiUrl: "https://pypi.test", fetch: fakePypi(PROJECT).fetch };
  const base = "localhost/mcp-router-base:trixie";
  const fits = await checkPythonSupport("mcp-thing", { python: "3.14.1", baseImage: base, pypi });
  assert.equal(fits.release?.version, "2.1.0");
  assert.equal(fits.note, null);

  const older = await checkPythonSupport("mcp-thing", { python: "3.13.5", baseImage: base, pypi });
  assert.equal(older.release?.version, "1.5.0");
  assert.match(older.note ?? "", /mcp-thing 2\.1\.0 needs Python >=3\.14; .* uv installs 1\.5\.0/);

  await assert.rejects(
    checkPythonSupport("mcp-thing==2.1.0", { python: "3.13.5", baseImage: base, pypi }),
    (error: Error) => {
      assert.ok(error instanceof PythonVersionError);
      assert.match(
        error.message,
        /^mcp-thing 2\.1\.0 needs Python >=3\.14, but the uv image has Python 3\.13\.5/,
      );
      assert.match(error.message, /pin mcp-thing==1\.5\.0/);
      assert.match(error.message, /MCP_ROUTER_BASE_IMAGE/);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    },
  );
  await assert.rejects(
    checkPythonSupport("mcp-thing", { python: "3.9.2", baseImage: base, pypi }),
    /no release of mcp-thing supports Python 3\.9/,
  );
});

Deno.test("python support - never blocks when it cannot tell", async () => {
  const base = "docker.io/library/python:3.12";
  const down = (() => Promise.reject(new TypeError("network down"))) as typeof fetch;
  const pypi = { pypiUrl: "https://pypi.test", fetch: down };
  const unknownPython = await checkPythonSupport("x", { python: null, baseImage: base, pypi });
  assert.deepEqual(unknownPython, { release: null, note: null });
  const offline = await checkPythonSupport("x", { python: "3.13.5", baseImage: base, pypi });
  assert.equal(offline.release, null);
  assert.match(offline.note ?? "", /could not read x on PyPI \(network down\)/);
  const url = await checkPythonSupport("x @ https://e.test/x.whl", {
    python: "3.13.5",
    baseImage: base,
    pypi,
  });
  assert.deepEqual(url, { release: null, note: null });
});
