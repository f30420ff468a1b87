/**
 * @module Registry packages read like repositories: a fake npm registry serving version
 * documents (no `readme`) and real gzip'd tarballs built here, a fake PyPI JSON API and the
 * fake GitHub; the plan gets the README's env keys (required/secret), extra args, description.
 */
import assert from "node:assert/strict";
import { analyze } from "../../../server/analyzer/analyze.ts";
import { isExampleValue } from "../../../server/analyzer/package_plan.ts";
import { parseNpmSpec } from "../../../server/analyzer/npm_package.ts";
import {
  githubRepoOf,
  MAX_PACKAGE_README_BYTES,
  PackageCache,
  type PackageReading,
} from "../../../server/analyzer/package_reading.ts";
import { rstCodeBlocksToMarkdown } from "../../../server/analyzer/pypi_package.ts";
import { planFromSource } from "../../../server/analyzer/source_plan.ts";
import { createRetryingFetch } from "../../../server/http/retry_fetch.ts";
import { testSettings } from "../../../server/settings.ts";
import { type TarEntry, tarStream } from "../../../runtime/podman/tar.ts";
import { startFakeGithub } from "../../fakes/github.ts";
import { quietLogs } from "../../helpers.ts";

quietLogs();

const noRetry = createRetryingFetch({ retries: 0 });

const WEATHER_README = `# Weather MCP

Forecasts for MCP clients.

## Usage with Claude Desktop

\`\`\`json
{
  "mcpServers": {
    "weather": {
      "command": "npx",
      "args": ["-y", "@acme/weather-mcp", "--units", "metric"],
      "env": { "WEATHER_API_KEY": "<YOUR_KEY>" }
    }
  }
}
\`\`\`

## Environment variables

| Variable | Description | Default |
| --- | --- | --- |
| \`WEATHER_API_KEY\` | Your API key (required) | |
| \`WEATHER_CACHE_DIR\` | Where forecasts are cached | \`/tmp/weather\` |

## Tools

- \`get_forecast\`: the forecast for a city
`;

async function gzipTar(entries: TarEntry[]): Promise<Uint8Array> {
  const gz = tarStream(entries).pipeThrough(
    new CompressionStream("gzip") as unknown as TransformStream<Uint8Array, Uint8Array>,
  );
  return await new Response(gz).bytes();
}

interface FakePackage {
  name: string;
  version: string;
  description?: string;
  repository?: unknown;
  /** Tarball files (path under the archive root). */
  files: TarEntry[];
  /** Serve the tarball from this origin instead. */
  tarballOrigin?: string;
  /** Claim this Content-Length. */
  claimLength?: number;
}

/** A fake npm registry + PyPI; `seen` lists every request path. */
async function fakeRegistries(
  npm: FakePackage[],
  pypi: Record<string, unknown> = {},
  opts: { noReleaseDocs?: boolean } = {},
) {
  const seen: string[] = [];
  const tarballs = new Map<string, Uint8Array>();
  for (const p of npm) tarballs.set(`${p.name}@${p.version}`, await gzipTar(p.files));
  let origin = "";
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: () => {} }, (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname);
    seen.push(path);
    const pyMatch = path.match(/^\/pypi\/([^/]+)(?:\/([^/]+))?\/json$/);
    if (pyMatch) {
      // (A mirror without per-release documents answers 404 for `/pypi/NAME/VERSION/json`.)
      const doc = pyMatch[2] && opts.noReleaseDocs ? undefined : pypi[pyMatch[1]];
      return doc ? Response.json(doc) : Response.json({ message: "Not Found" }, { status: 404 });
    }
    for (const p of npm) {
      const short = p.name.split("/").pop();
      if (path === `/${p.name}/latest` || path === `/${p.name}/${p.version}`) {
        return Response.json({
          name: p.name,
          version: p.version,
          description: p.description ?? "",
          repository: p.repository,
          dist: { tarball: `${p.tarballOrigin ?? origin}/${p.name}/-/${short}-${p.version}.tgz` },
        });
      }
      if (path === `/${p.name}/-/${short}-${p.version}.tgz`) {
        const body = tarballs.get(`${p.name}@${p.version}`)!;
        const headers: Record<string, string> = { "content-type": "application/octet-stream" };
        if (p.claimLength) headers["content-length"] = String(p.claimLength);
        return new Response(new Blob([body as BlobPart]), {
          headers,
        });
      }
    }
    return Response.json({ error: "Not found" }, { status: 404 });
  });
  origin = `http://127.0.0.1:${server.addr.port}`;
  return { url: origin, seen, [Symbol.asyncDispose]: () => server.shutdown() };
}

const weather = (over: Partial<FakePackage> = {}): FakePackage => ({
  name: "@acme/weather-mcp",
  version: "1.4.0",
  description: "Weather forecasts over MCP",
  files: [
    // A skipped entry of many chunks before the kept ones (cancelling it stalled the reader).
    { name: "package/dist/i.js", content: "x".repeat(300_000) },
    { name: "package/README.md", content: WEATHER_README },
    {
      name: "package/package.json",
      content: JSON.stringify({ name: "@acme/weather-mcp", bin: { "weather-mcp": "dist/i.js" } }),
    },
    { name: "package/docs/README.md", content: "# Not the README\nOTHER_KEY=1\n" },
  ],
  ...over,
});

Deno.test("package - spec, repository URL and reStructuredText helpers", () => {
  assert.deepEqual(parseNpmSpec("@a/b@1.2.3"), { name: "@a/b", selector: "1.2.3", range: null });
  assert.deepEqual(parseNpmSpec("@a/b@next"), { name: "@a/b", selector: "next", range: null });
  assert.deepEqual(parseNpmSpec("b@^1.2"), { name: "b", selector: "latest", range: "^1.2" });
  assert.deepEqual(parseNpmSpec("b"), { name: "b", selector: "latest", range: null });
  const r = { owner: "o", repo: "r", subpath: null };
  assert.deepEqual(githubRepoOf("git+https://github.com/o/r.git"), r);
  assert.deepEqual(githubRepoOf("git://github.com/o/r.git"), r);
  assert.deepEqual(githubRepoOf("git+ssh://git@github.com/o/r.git"), r);
  assert.deepEqual(githubRepoOf("github:o/r"), r);
  assert.deepEqual(githubRepoOf("o/r"), r);
  assert.deepEqual(githubRepoOf("https://github.com/o/r/issues"), r);
  assert.deepEqual(githubRepoOf("https://github.com/o/r", "./src/x/"), { ...r, subpath: "src/x" });
  assert.deepEqual(githubRepoOf("https://github.com/o/r/tree/main/src/y"), {
    ...r,
    subpath: "src/y",
  });
  assert.deepEqual(githubRepoOf("https://github.com/o/r", "../etc"), r);
  assert.equal(githubRepoOf("https://gitlab.com/o/r"), null);
  assert.equal(githubRepoOf("https://github.com/o"), null);
  const md = rstCodeBlocksToMarkdown(
    'Usage::\n\n    uvx thing-mcp\n\nConfig\n\n.. code-block:: json\n\n   {"a": 1}\n\nEnd\n',
  );
  assert.match(md, /Usage:\n\n```\nuvx thing-mcp\n```/);
  assert.match(md, /```json\n\{"a": 1\}\n```/);
  assert.match(md, /End/);
});

Deno.test("package - uvx:--from PKG COMMAND is a source of its own", () => {
  const plan = planFromSource("uvx:--from acme-tools==1.0 acme-mcp --verbose");
  assert.equal(plan.package, "acme-tools==1.0");
  assert.deepEqual(plan.args, ["--from", "acme-tools==1.0", "acme-mcp", "--verbose"]);
  assert.throws(() => planFromSource("uvx:--from"), /not a valid PyPI package/);
});

Deno.test("package - npx: the tarball README gives env keys, extra args, tools; cached by version", async () => {
  await using reg = await fakeRegistries([weather()]);
  const settings = testSettings({ npmRegistryUrl: reg.url, githubApiUrl: "http://127.0.0.1:9" });
  const steps: string[] = [];
  const plan = await analyze({ source: "npx:@acme/weather-mcp" }, {
    settings,
    fetch: noRetry,
    onProgress: (s) => steps.push(s),
  });
  assert.deepEqual(steps, ["reading_registry", "done"]);
  assert.deepEqual(plan.args, ["-y", "@acme/weather-mcp", "--units", "metric"]);
  assert.equal(plan.description, "Weather forecasts over MCP");
  const key = plan.env.find((e) => e.key === "WEATHER_API_KEY");
  assert.deepEqual(key && { required: key.required, secret: key.secret }, {
    required: true,
    secret: true,
  });
  const dir = plan.env.find((e) => e.key === "WEATHER_CACHE_DIR");
  assert.equal(dir?.required, false);
  assert.equal(dir?.secret, false);
  assert.ok(!plan.env.some((e) => e.key === "OTHER_KEY"), "only the package root README");
  assert.ok(plan.detected_tools.includes("get_forecast"), plan.detected_tools.join());
  assert.ok(plan.evidence.some((e) => e.field === "env.WEATHER_API_KEY"));
  assert.ok(plan.evidence.some((e) => e.file === "npm:@acme/weather-mcp@1.4.0"));

  // Pinned and seen before: no request at all. Unpinned: the version document only.
  const before = reg.seen.length;
  const pinned = await analyze({ source: "npx:@acme/weather-mcp@1.4.0" }, {
    settings,
    fetch: noRetry,
  });
  assert.equal(reg.seen.length, before);
  assert.deepEqual(pinned.args, ["-y", "@acme/weather-mcp@1.4.0", "--units", "metric"]);
  await analyze({ source: "npx:@acme/weather-mcp" }, { settings, fetch: noRetry });
  assert.deepEqual(reg.seen.slice(before), ["/@acme/weather-mcp/latest"]);

  // Arguments the source gives are kept as they are.
  const own = await analyze({ source: "npx:@acme/weather-mcp --units imperial" }, {
    settings,
    fetch: noRetry,
  });
  assert.deepEqual(own.args, ["-y", "@acme/weather-mcp", "--units", "imperial"]);
  assert.ok(own.env.some((e) => e.key === "WEATHER_API_KEY" && e.required));
});

Deno.test("package - npx: any README case; the named GitHub repository adds evidence", async () => {
  const readme = "# Tiny\n\nRun it:\n\n```bash\nnpx -y tiny-mcp\n```\n";
  await using reg = await fakeRegistries([{
    name: "tiny-mcp",
    version: "0.1.0",
    repository: { type: "git", url: "git+https://github.com/acme/tiny.git", directory: "pkg" },
    files: [
      { name: "package/readme.markdown", content: readme },
      { name: "package/package.json", content: JSON.stringify({ name: "tiny-mcp", bin: "i.js" }) },
    ],
  }]);
  const gh = startFakeGithub([{
    repo: "acme/tiny",
    subpath: "pkg",
    description: "Tiny things",
    readme:
      `# Tiny\n\n\`\`\`json\n{"mcpServers": {"tiny": {"command": "npx", "args": ["-y", "tiny-mcp"],
"env": {"TINY_TOKEN": "your-token"}}}}\n\`\`\`\n`,
    files: {},
  }]);
  try {
    const steps: string[] = [];
    const plan = await analyze({ source: "npx:tiny-mcp" }, {
      settings: testSettings({ npmRegistryUrl: reg.url, githubApiUrl: gh.url }),
      fetch: noRetry,
      onProgress: (s) => steps.push(s),
    });
    assert.deepEqual(steps, ["reading_registry", "fetching_repo", "done"]);
    assert.ok(gh.requests.some((r) => r.path.startsWith("/repos/acme/tiny/readme/pkg")));
    const token = plan.env.find((e) => e.key === "TINY_TOKEN");
    assert.deepEqual(token && [token.required, token.secret], [true, true]);
    assert.equal(plan.description, "Tiny things", "the registry has none; the README none either");
    assert.deepEqual(plan.args, ["-y", "tiny-mcp"]);
  } finally {
    await gh.close();
  }
});

Deno.test("package - npx: oversized, foreign and missing tarballs leave the plan with a warning", async () => {
  await using reg = await fakeRegistries([
    weather({ name: "big-mcp", claimLength: 300 * 1024 * 1024 }),
    weather({ name: "far-mcp", tarballOrigin: "http://127.0.0.1:9" }),
  ]);
  const settings = testSettings({ npmRegistryUrl: reg.url, githubApiUrl: "http://127.0.0.1:9" });
  const big = await analyze({ source: "npx:big-mcp" }, { settings, fetch: noRetry });
  assert.equal(big.description, "Weather forecasts over MCP");
  assert.deepEqual(big.env, []);
  assert.match(big.warnings.join("\n"), /could not read the tarball of big-mcp@1\.4\.0: .*larger/);
  const far = await analyze({ source: "npx:far-mcp" }, { settings, fetch: noRetry });
  assert.match(far.warnings.join("\n"), /served from another host/);
  assert.ok(!reg.seen.some((p) => p.includes("far-mcp/-/")));
  assert.match(far.warnings.join("\n"), /has no README/);
});

/** The plan of `npx:@acme/weather-mcp` whose README's block passes `args` (a fake registry). */
async function weatherPlanWithArgs(args: string[]) {
  const readme = WEATHER_README.replace(
    '"args": ["-y", "@acme/weather-mcp", "--units", "metric"]',
    `"args": ${JSON.stringify(args)}`,
  );
  await using reg = await fakeRegistries([
    weather({
      name: "@acme/weather-mcp",
      files: [{ name: "package/README.md", content: readme }, weather().files[2]],
    }),
  ]);
  const settings = testSettings({ npmRegistryUrl: reg.url, githubApiUrl: "http://127.0.0.1:9" });
  return await analyze({ source: "npx:@acme/weather-mcp" }, { settings, fetch: noRetry });
}

Deno.test("package - npx: example values leave the README's sub-command and become fields", async () => {
  const plan = await weatherPlanWithArgs([
    "-y",
    "@acme/weather-mcp@2",
    "serve",
    "--vault",
    "notes=/path/to/vault",
    "--account",
    "your_account",
  ]);
  assert.deepEqual(plan.args, ["-y", "@acme/weather-mcp", "serve"]);
  assert.deepEqual(plan.arg_fields?.map((f) => [f.flag, f.required]), [
    ["--vault", false],
    ["--account", false],
  ]);
  assert.match(plan.warnings.join("\n"), /fill in --vault, --account/);
});

Deno.test("package - npx: a positional host folder stays as the README writes it, with a mount hint", async () => {
  const plan = await weatherPlanWithArgs([
    "-y",
    "@acme/weather-mcp",
    "<path-to-your-vault>",
    "--token",
    "YOUR_TOKEN",
  ]);
  assert.deepEqual(plan.args, ["-y", "@acme/weather-mcp", "<path-to-your-vault>"]);
  assert.deepEqual(plan.arg_fields?.map((f) => f.flag), ["--token"]);
  assert.match(plan.warnings.join("\n"), /host path.*add a mount/);
});

Deno.test("package - npx: the README's update command is no launch", async () => {
  const plan = await weatherPlanWithArgs(["-y", "@acme/weather-mcp", "--update"]);
  assert.deepEqual(plan.args, ["-y", "@acme/weather-mcp"]);
});

Deno.test("package - npx: a tarball over 20 MB still gives its README and package.json (read first)", async () => {
  const noise = new Uint8Array(21 * 1024 * 1024);
  for (let i = 0; i < noise.length; i += 65_536) {
    crypto.getRandomValues(noise.subarray(i, i + 65_536));
  }
  const [readme, pkg] = weather().files.slice(1, 3);
  await using reg = await fakeRegistries([
    weather({
      name: "bundled-mcp",
      files: [readme, pkg, { name: "package/bin/server-linux-x64", content: noise }],
    }),
  ]);
  const settings = testSettings({ npmRegistryUrl: reg.url, githubApiUrl: "http://127.0.0.1:9" });
  const plan = await analyze({ source: "npx:bundled-mcp" }, { settings, fetch: noRetry });
  assert.deepEqual(plan.env.map((e) => [e.key, e.required]), [
    ["WEATHER_API_KEY", true],
    ["WEATHER_CACHE_DIR", false],
  ]);
  assert.doesNotMatch(plan.warnings.join("\n"), /could not read the tarball/);
});

Deno.test("package - uvx: the PyPI description and project URLs; GitHub pyproject gives the script", async () => {
  const description = `# Acme Notes MCP

## Configuration

\`\`\`json
{"mcpServers": {"notes": {"command": "uvx", "args": ["--from", "acme-notes", "notes-mcp"],
  "env": {"NOTES_URL": "https://notes.example.com", "NOTES_API_KEY": "<key>"}}}}
\`\`\`

- \`NOTES_URL\`: the notes server (required)
- \`NOTES_API_KEY\`: API key
- \`NOTES_TIMEOUT\`: seconds to wait (optional, default: 30)
`;
  await using reg = await fakeRegistries([], {
    "acme-notes": {
      info: {
        name: "acme-notes",
        version: "2.0.1",
        summary: "Notes for MCP",
        description,
        description_content_type: "text/markdown",
        requires_python: ">=3.11",
        project_urls: {
          Documentation: "https://docs.example.com",
          Source: "https://github.com/acme/notes",
        },
      },
    },
  });
  const gh = startFakeGithub([{
    repo: "acme/notes",
    subpath: null,
    readme: "# Notes\n",
    files: {
      "pyproject.toml": '[project]\nname = "acme-notes"\n[project.scripts]\nnotes-mcp = "n:main"\n',
    },
  }]);
  try {
    const settings = testSettings({ pypiUrl: reg.url, githubApiUrl: gh.url });
    const plan = await analyze({ source: "uvx:acme-notes" }, { settings, fetch: noRetry });
    assert.deepEqual(plan.args, ["--from", "acme-notes", "notes-mcp"]);
    assert.equal(plan.description, "Notes for MCP");
    const by = Object.fromEntries(plan.env.map((e) => [e.key, [e.required, e.secret]]));
    assert.deepEqual(by.NOTES_URL, [true, false]);
    assert.deepEqual(by.NOTES_API_KEY, [true, true]);
    assert.deepEqual(by.NOTES_TIMEOUT, [false, false]);
    assert.ok(gh.requests.some((r) => r.path.startsWith("/repos/acme/notes")));

    // GitHub not answering: the PyPI description suffices.
    const alone = await analyze({ source: "uvx:acme-notes==2.0.1" }, {
      settings: testSettings({ pypiUrl: reg.url, githubApiUrl: "http://127.0.0.1:9" }),
      fetch: noRetry,
    });
    assert.deepEqual(alone.env.map((e) => e.key).sort(), [
      "NOTES_API_KEY",
      "NOTES_TIMEOUT",
      "NOTES_URL",
    ]);
    assert.deepEqual(alone.args, ["--from", "acme-notes==2.0.1", "notes-mcp"]);
    const unknown = await analyze({ source: "uvx:nothing-here" }, { settings, fetch: noRetry });
    assert.match(unknown.warnings.join("\n"), /not found in the registry/);
  } finally {
    await gh.close();
  }
});

Deno.test("package - a README over 512 KB is read from its start", async () => {
  const long = WEATHER_README + "\n" + "filler line\n".repeat(60_000);
  await using reg = await fakeRegistries([weather({
    name: "long-mcp",
    files: [{ name: "package/README.md", content: long }],
  })]);
  const plan = await analyze({ source: "npx:long-mcp" }, {
    settings: testSettings({ npmRegistryUrl: reg.url, githubApiUrl: "http://127.0.0.1:9" }),
    fetch: noRetry,
  });
  assert.ok(long.length > MAX_PACKAGE_README_BYTES);
  assert.match(plan.warnings.join("\n"), /README is over 512 KB/);
  assert.ok(plan.env.some((e) => e.key === "WEATHER_API_KEY" && e.required && e.secret));
});

Deno.test("package - readings persist in the store's HTTP cache area by name@version", async () => {
  const stored = new Map<string, { etag: string; body: string }>();
  const store = {
    get: (k: string) => Promise.resolve(stored.get(k) ?? null),
    set: (k: string, v: { etag: string; body: string }) => {
      stored.set(k, v);
      return Promise.resolve();
    },
  };
  const reading: PackageReading = {
    registry: "npm",
    name: "x",
    version: "1.0.0",
    description: "X",
    homepage: null,
    readme: { path: "package/README.md", text: "# X" },
    files: {},
    repository: { owner: "o", repo: "r", subpath: null },
    codeEnv: [],
    warnings: [],
  };
  await new PackageCache(store).set("npm:test/x@1.0.0", reading);
  assert.equal(JSON.parse(stored.get("package:npm:test/x@1.0.0")!.body).name, "x");
  // Another process: the entry comes from the store (malformed ones are misses).
  stored.set("package:npm:test/y@2.0.0", {
    etag: "2.0.0",
    body: JSON.stringify({ ...reading, name: "y" }),
  });
  stored.set("package:npm:test/z@1.0.0", { etag: "1.0.0", body: "{not json" });
  assert.equal((await new PackageCache(store).get("npm:test/y@2.0.0"))?.name, "y");
  assert.equal(await new PackageCache(store).get("npm:test/z@1.0.0"), null);
  assert.equal(await new PackageCache().get("npm:test/none@1.0.0"), null);
});

Deno.test("package - without a README, only the package's own repository folder is evidence", async () => {
  const pkgJson = (name: string) => JSON.stringify({ name, bin: "i.js" });
  await using reg = await fakeRegistries([
    {
      name: "bare-mcp",
      version: "1.0.0",
      repository: "github:acme/monorepo",
      files: [{ name: "package/package.json", content: pkgJson("bare-mcp") }],
    },
    {
      name: "folder-mcp",
      version: "1.0.0",
      repository: { url: "https://github.com/acme/monorepo", directory: "folder" },
      files: [{ name: "package/package.json", content: pkgJson("folder-mcp") }],
    },
  ]);
  const gh = startFakeGithub([
    {
      repo: "acme/monorepo",
      subpath: null,
      readme:
        '# Many servers\n\n```json\n{"mcpServers": {"other": {"command": "npx", "args": ["-y", "other-mcp"], "env": {"OTHER_TOKEN": "x"}}}}\n```\n',
      files: {},
    },
    {
      repo: "acme/monorepo",
      subpath: "folder",
      readme: "# Folder\n\n## Environment\n\n- `FOLDER_API_KEY`: your API key (required)\n",
      files: {},
    },
  ]);
  try {
    const settings = testSettings({ npmRegistryUrl: reg.url, githubApiUrl: gh.url });
    const bare = await analyze({ source: "npx:bare-mcp" }, { settings, fetch: noRetry });
    assert.ok(!bare.env.some((e) => e.key === "OTHER_TOKEN"), JSON.stringify(bare.env));
    const folder = await analyze({ source: "npx:folder-mcp" }, { settings, fetch: noRetry });
    assert.ok(folder.env.some((e) => e.key === "FOLDER_API_KEY"), JSON.stringify(folder.env));
  } finally {
    await gh.close();
  }
});

Deno.test("package reading - README example values are not put in the launch args", () => {
  for (const example of ["path/to/git/repo", "/path/to/workbooks", "~/data/data.db", "YOUR_KEY"]) {
    assert.ok(isExampleValue(example), example);
  }
  assert.ok(isExampleValue("--db-path=~/x.db"));
  assert.ok(isExampleValue("/Users/username/Desktop"));
  for (const real of ["stdio", "--read-only", "/data", "mcp-server-git", "--transport=stdio"]) {
    assert.ok(!isExampleValue(real), real);
  }
});

Deno.test("package - npx: the package's own block gives the env even where the README recommends its hosted endpoint", async () => {
  const readme = [
    "# Maps MCP",
    "## Quick Start",
    "Use the hosted server (recommended):",
    '```json\n{"mcpServers": {"maps": {"url": "https://mcp.maps.example.net/mcp"}}}\n```',
    "## Alternative Installation (Local)",
    '```json\n{"mcpServers": {"maps": {"command": "npx", "args": ["-y", "@acme/maps-mcp"],',
    '"env": {"MAPS_API_TOKEN": "<YOUR_MAPS_API_TOKEN>"}}}}\n```',
  ].join("\n");
  const noDocs = "# Geo MCP\n\n**A Geo access token is required to use this MCP server.**\n";
  const code = "const t = process.env.GEO_ACCESS_TOKEN; const p = process.env.GEO_PUBLIC_TOKEN;";
  await using reg = await fakeRegistries([
    weather({
      name: "@acme/maps-mcp",
      files: [
        { name: "package/README.md", content: readme },
        {
          name: "package/package.json",
          content: JSON.stringify({ name: "@acme/maps-mcp", bin: "i.js" }),
        },
      ],
    }),
    weather({
      name: "@acme/geo-mcp",
      files: [
        { name: "package/README.md", content: noDocs },
        { name: "package/i.js", content: code },
        {
          name: "package/package.json",
          content: JSON.stringify({ name: "@acme/geo-mcp", bin: "i.js" }),
        },
      ],
    }),
  ]);
  const settings = testSettings({ npmRegistryUrl: reg.url, githubApiUrl: "http://127.0.0.1:9" });
  const maps = await analyze({ source: "npx:@acme/maps-mcp" }, { settings, fetch: noRetry });
  assert.equal(maps.runtime, "npx");
  assert.deepEqual(maps.env.filter((e) => e.required).map((e) => e.key), ["MAPS_API_TOKEN"]);
  const geo = await analyze({ source: "npx:@acme/geo-mcp" }, { settings, fetch: noRetry });
  const req = Object.fromEntries(geo.env.map((e) => [e.key, e.required]));
  assert.deepEqual(req, { GEO_ACCESS_TOKEN: true, GEO_PUBLIC_TOKEN: false });
});

Deno.test("package - npx: the package's own command run bare is its launch, its example URL kept", async () => {
  const readme = WEATHER_README.replace(
    '"command": "npx",\n      "args": ["-y", "@acme/weather-mcp", "--units", "metric"]',
    '"command": "weather-mcp",\n      "args": ["http://example.io/sse"]',
  ) + [
    "## Proxying other servers",
    "```json",
    JSON.stringify({
      mcpServers: { fetch: { command: "npx", args: ["-y", "@other/fetch-mcp"] } },
    }),
    "```",
  ].join("\n");
  await using reg = await fakeRegistries([
    weather({
      name: "@acme/weather-mcp",
      files: [{ name: "package/README.md", content: readme }, weather().files[2]],
    }),
  ]);
  const settings = testSettings({ npmRegistryUrl: reg.url, githubApiUrl: "http://127.0.0.1:9" });
  const plan = await analyze({ source: "npx:@acme/weather-mcp" }, { settings, fetch: noRetry });
  assert.deepEqual(plan.args, ["-y", "@acme/weather-mcp", "http://example.io/sse"]);
  assert.deepEqual(plan.env.map((e) => e.key).sort(), ["WEATHER_API_KEY", "WEATHER_CACHE_DIR"]);
});

Deno.test("package - uvx:PKG==V on a mirror without per-release documents reads the project's", async () => {
  const doc = {
    info: {
      name: "acme-notes",
      version: "2.0.1",
      summary: "Notes for MCP",
      description: [
        "# Notes",
        "```json",
        JSON.stringify({
          mcpServers: {
            notes: { command: "uvx", args: ["acme-notes"], env: { NOTES_API_KEY: "<key>" } },
          },
        }),
        "```",
        "## Environment variables",
        "- `NOTES_API_KEY`: your API key (required)",
      ].join("\n"),
      description_content_type: "text/markdown",
    },
  };
  await using reg = await fakeRegistries([], { "acme-notes": doc }, { noReleaseDocs: true });
  const settings = testSettings({ pypiUrl: reg.url, githubApiUrl: "http://127.0.0.1:9" });
  const same = await analyze({ source: "uvx:acme-notes==2.0.1" }, { settings, fetch: noRetry });
  assert.deepEqual(same.env.map((e) => [e.key, e.required]), [["NOTES_API_KEY", true]]);
  assert.ok(!same.warnings.some((w) => /not found/.test(w)), same.warnings.join("; "));
  const older = await analyze({ source: "uvx:acme-notes==1.0.0" }, { settings, fetch: noRetry });
  assert.deepEqual(older.env.map((e) => e.key), ["NOTES_API_KEY"]);
  assert.match(older.warnings.join("\n"), /read acme-notes 2\.0\.1's description/);
});

Deno.test("package - npx: a flag's example host path is a field (the launch works without it); --list-clients is no launch", async () => {
  const plan = await weatherPlanWithArgs([
    "-y",
    "@acme/weather-mcp",
    "--db-path",
    "~/weather/data.db",
  ]);
  assert.deepEqual(plan.args, ["-y", "@acme/weather-mcp"]);
  assert.deepEqual(plan.arg_fields?.map((f) => f.flag), ["--db-path"]);
  const list = await weatherPlanWithArgs(["-y", "@acme/weather-mcp", "--list-clients"]);
  assert.deepEqual(list.args, ["-y", "@acme/weather-mcp"]);
});
