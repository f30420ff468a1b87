/** @module Analyzer integration tests through the fake GitHub and fake Anthropic servers. */
import assert from "node:assert/strict";
import { analyze } from "../../../server/analyzer/analyze.ts";
import { AnalyzerError } from "../../../server/analyzer/errors.ts";
import type { EtagCache } from "../../../server/analyzer/github.ts";
import { createRetryingFetch } from "../../../server/http/retry_fetch.ts";
import { PlanSchema } from "../../../server/schemas/server.ts";
import { setLogLevel } from "../../../runtime/foundation/log.ts";
import { testSettings } from "../../../server/settings.ts";
import { type FakeRepo, loadFixtureRepos, startFakeGithub } from "../../fakes/github.ts";
import { startFakeAnthropic } from "../../fakes/anthropic.ts";

setLogLevel("error");
const fixtures = loadFixtureRepos();
const fixture = (name: string) => fixtures.find((f) => f.name === name)!;
const fastFetch = () => createRetryingFetch({ sleep: () => Promise.resolve(), retries: 3 });

async function withGithub<T>(
  repos: FakeRepo[] | undefined,
  fn: (url: string, gh: ReturnType<typeof startFakeGithub>) => Promise<T>,
) {
  const gh = startFakeGithub(repos);
  try {
    return await fn(gh.url, gh);
  } finally {
    await gh.close();
  }
}

async function rejectsWith(p: Promise<unknown>, status: number, re?: RegExp) {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof AnalyzerError, String(e));
    assert.equal(e.status, status, e.message);
    if (re) assert.match(e.message, re);
    return true;
  });
}

Deno.test("analyze - GitHub monorepo folder gives a valid heuristic plan named after the folder", async () => {
  await withGithub(undefined, async (url) => {
    const steps: string[] = [];
    const plan = await analyze(
      { source: "https://github.com/modelcontextprotocol/servers/tree/main/src/fetch" },
      {
        settings: testSettings({ githubApiUrl: url }),
        fetch: fastFetch(),
        onProgress: (s) => steps.push(s),
      },
    );
    PlanSchema.parse(plan);
    assert.equal(plan.name, "fetch");
    assert.equal(plan.display_name, "Fetch MCP Server");
    assert.equal(plan.runtime, "uvx");
    assert.deepEqual(plan.args, ["mcp-server-fetch"]);
    assert.equal(plan.source, "heuristic");
    assert.deepEqual(plan.origin, {
      kind: "github",
      ref: "https://github.com/modelcontextprotocol/servers/tree/main/src/fetch",
    });
    assert.ok(plan.detected_tools.includes("fetch"));
    assert.ok(
      plan.evidence.some((e) =>
        e.field === "runtime" && e.file === "src/fetch/README.md" && e.line
      ),
    );
    assert.deepEqual(steps, ["fetching_repo", "reading_manifests", "done"]);
  });
});

Deno.test("analyze - name clashes get -2, -3 suffixes", async () => {
  await withGithub(undefined, async (url) => {
    const plan = await analyze({ source: "github.com/brave/brave-search-mcp-server" }, {
      settings: testSettings({ githubApiUrl: url }),
      fetch: fastFetch(),
      existingNames: new Set(["brave-search", "brave-search-2"]),
    });
    assert.equal(plan.name, "brave-search-3");
  });
});

Deno.test("analyze - non-GitHub sources are deterministic; junk is a 400", async () => {
  const settings = testSettings();
  const plan = await analyze({ source: "npx:@modelcontextprotocol/server-everything" }, {
    settings,
  });
  assert.equal(plan.source, "deterministic");
  assert.equal(plan.name, "everything");
  await rejectsWith(analyze({ source: "https://gitlab.com/a/b.git" }, { settings }), 400);
  await rejectsWith(analyze({ source: "hello world" }, { settings }), 400);
  await rejectsWith(analyze({ source: "https://github.com/a/b/issues/1" }, { settings }), 400);
});

Deno.test("analyze - missing/private repository is a 404", async () => {
  await withGithub(undefined, async (url) => {
    await rejectsWith(
      analyze({ source: "https://github.com/nobody/nothing" }, {
        settings: testSettings({ githubApiUrl: url }),
        fetch: fastFetch(),
      }),
      404,
      /not found/,
    );
    await rejectsWith(
      analyze(
        { source: "https://github.com/brave/brave-search-mcp-server/tree/main/no/such/dir" },
        {
          settings: testSettings({ githubApiUrl: url }),
          fetch: fastFetch(),
        },
      ),
      404,
    );
  });
});

Deno.test("analyze - empty README falls back to the manifests", async () => {
  const repo: FakeRepo = {
    repo: "acme/widget-mcp",
    subpath: null,
    readme: "",
    files: {
      "package.json": JSON.stringify({
        name: "@acme/widget-mcp",
        bin: { "widget-mcp": "dist/index.js" },
      }),
    },
  };
  await withGithub([repo], async (url) => {
    const plan = await analyze({ source: "https://github.com/acme/widget-mcp" }, {
      settings: testSettings({ githubApiUrl: url }),
      fetch: fastFetch(),
    });
    assert.equal(plan.runtime, "npx");
    assert.deepEqual(plan.args, ["-y", "@acme/widget-mcp"]);
  });
  await withGithub([{ ...repo, files: {} }], async (url) => {
    await rejectsWith(
      analyze({ source: "https://github.com/acme/widget-mcp" }, {
        settings: testSettings({ githubApiUrl: url }),
        fetch: fastFetch(),
      }),
      422,
    );
  });
});

Deno.test("analyze - malformed package.json is a warning, the README still decides", async () => {
  const brave = fixture("brave__brave-search-mcp-server").repo;
  const repo = { ...brave, files: { ...brave.files, "package.json": "{ this is not json" } };
  await withGithub([repo], async (url) => {
    const plan = await analyze({ source: "https://github.com/brave/brave-search-mcp-server" }, {
      settings: testSettings({ githubApiUrl: url }),
      fetch: fastFetch(),
    });
    assert.ok(plan.warnings.some((w) => w.includes("package.json")), plan.warnings.join("; "));
    PlanSchema.parse(plan);
  });
});

Deno.test("analyze - a 1 MB README is handled and trimmed for Claude", async () => {
  const filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n".repeat(18_000);
  const readme = "# Huge\n\nA huge README.\n\n## Changelog\n\n" + filler +
    '\n## Installation\n\n```json\n{"mcpServers": {"huge": {"command": "npx", "args": ["-y", "huge-mcp"]}}}\n```\n';
  assert.ok(readme.length > 1_000_000);
  const repo: FakeRepo = {
    repo: "acme/huge",
    subpath: null,
    readme,
    files: { "package.json": JSON.stringify({ name: "huge-mcp", bin: "index.js" }) },
  };
  const claude = startFakeAnthropic({
    mode: "recorded",
    expectInPrompt: '"huge-mcp"',
    maxBodyBytes: 200_000,
  });
  try {
    await withGithub([repo], async (url) => {
      const heuristic = await analyze({ source: "https://github.com/acme/huge" }, {
        settings: testSettings({ githubApiUrl: url }),
        fetch: fastFetch(),
      });
      assert.deepEqual(heuristic.args, ["-y", "huge-mcp"]);
      const viaClaude = await analyze({ source: "https://github.com/acme/huge" }, {
        settings: testSettings({
          githubApiUrl: url,
          anthropicApiKey: "sk-test-key",
          anthropicBaseUrl: claude.url,
        }),
        fetch: fastFetch(),
      });
      assert.deepEqual(claude.problems, []);
      assert.notEqual(viaClaude.source, "heuristic");
    });
  } finally {
    await claude.close();
  }
});

Deno.test("analyze - Claude's forced tool answer becomes the plan", async () => {
  const claude = startFakeAnthropic({
    mode: "recorded",
    model: "claude-test-model",
    expectInPrompt: "BRAVE_API_KEY",
  });
  try {
    await withGithub(undefined, async (url) => {
      const plan = await analyze({ source: "https://github.com/brave/brave-search-mcp-server" }, {
        settings: testSettings({
          githubApiUrl: url,
          anthropicApiKey: "sk-test-key",
          anthropicBaseUrl: claude.url,
          anthropicModel: "claude-test-model",
        }),
        fetch: fastFetch(),
      });
      assert.deepEqual(claude.problems, []);
      assert.equal(claude.requests.length, 1);
      const req = claude.requests[0] as {
        tool_choice: unknown;
        tools: { input_schema: { properties: object } }[];
      };
      assert.deepEqual(req.tool_choice, { type: "tool", name: "submit_plan" });
      assert.ok("runtime" in req.tools[0].input_schema.properties);
      assert.equal(plan.display_name, "Brave Search");
      assert.deepEqual(plan.args, ["-y", "@brave/brave-search-mcp-server", "--transport", "stdio"]);
      assert.ok(plan.source === "claude" || plan.source === "mixed");
      assert.ok(plan.evidence.some((e) => e.file === "claude"));
      assert.equal(plan.env.find((e) => e.key === "BRAVE_API_KEY")?.required, true);
      PlanSchema.parse(plan);
    });
  } finally {
    await claude.close();
  }
});

Deno.test("analyze - Claude garbage twice gives the heuristic plan with a warning", async () => {
  const claude = startFakeAnthropic({ mode: "garbage_twice" });
  try {
    await withGithub(undefined, async (url) => {
      const plan = await analyze({ source: "https://github.com/qdrant/mcp-server-qdrant" }, {
        settings: testSettings({
          githubApiUrl: url,
          anthropicApiKey: "sk-test-key",
          anthropicBaseUrl: claude.url,
        }),
        fetch: fastFetch(),
      });
      assert.equal(claude.requests.length, 2);
      const second = claude.requests[1] as { messages: { role: string; content: unknown }[] };
      assert.equal(second.messages.length, 3);
      assert.match(JSON.stringify(second.messages[2].content), /tool_result.*is_error/);
      assert.equal(plan.source, "heuristic");
      assert.equal(plan.runtime, "uvx");
      assert.ok(plan.warnings.some((w) => /invalid twice/.test(w)), plan.warnings.join("; "));
    });
  } finally {
    await claude.close();
  }
});

Deno.test("analyze - one repair round fixes a bad first answer", async () => {
  const claude = startFakeAnthropic({ mode: "garbage_once" });
  try {
    await withGithub(undefined, async (url) => {
      const plan = await analyze({ source: "https://github.com/brave/brave-search-mcp-server" }, {
        settings: testSettings({
          githubApiUrl: url,
          anthropicApiKey: "sk-test-key",
          anthropicBaseUrl: claude.url,
        }),
        fetch: fastFetch(),
      });
      assert.equal(claude.requests.length, 2);
      assert.notEqual(plan.source, "heuristic");
    });
  } finally {
    await claude.close();
  }
});

Deno.test("analyze - Anthropic failure falls back to the heuristic plan", async () => {
  const claude = startFakeAnthropic({ mode: "server_error" });
  try {
    await withGithub(undefined, async (url) => {
      const plan = await analyze({ source: "https://github.com/JetBrains/mcp-jetbrains" }, {
        settings: testSettings({
          githubApiUrl: url,
          anthropicApiKey: "sk-test-key",
          anthropicBaseUrl: claude.url,
        }),
        fetch: fastFetch(),
      });
      assert.equal(plan.source, "heuristic");
      assert.ok(plan.warnings.some((w) => /Claude was unavailable/.test(w)));
    });
  } finally {
    await claude.close();
  }
});

Deno.test("analyze - GitHub 429 with Retry-After, then 200", async () => {
  await withGithub(undefined, async (url, gh) => {
    gh.failures.rateLimited = 1;
    gh.failures.retryAfter = "0";
    const plan = await analyze({ source: "https://github.com/JetBrains/mcp-jetbrains" }, {
      settings: testSettings({ githubApiUrl: url }),
      fetch: createRetryingFetch(),
    });
    assert.equal(plan.runtime, "npx");
    assert.equal(gh.requests[0].status, 429);
    assert.equal(gh.requests[1].status, 200);
  });
});

Deno.test("analyze - GitHub 5xx is retried; persistent 5xx is a 502", async () => {
  await withGithub(undefined, async (url, gh) => {
    gh.failures.serverErrors = 2;
    const plan = await analyze({ source: "https://github.com/JetBrains/mcp-jetbrains" }, {
      settings: testSettings({ githubApiUrl: url }),
      fetch: fastFetch(),
    });
    assert.equal(plan.runtime, "npx");
    assert.deepEqual(gh.requests.slice(0, 3).map((r) => r.status), [502, 502, 200]);
    gh.failures.serverErrors = 100;
    await rejectsWith(
      analyze({ source: "https://github.com/JetBrains/mcp-jetbrains" }, {
        settings: testSettings({ githubApiUrl: url }),
        fetch: createRetryingFetch({ sleep: () => Promise.resolve(), retries: 1 }),
      }),
      502,
    );
  });
});

Deno.test("analyze - GitHub responses are cached by ETag (If-None-Match, 304)", async () => {
  const store = new Map<string, { etag: string; body: string }>();
  const cache: EtagCache = {
    get: (k) => Promise.resolve(store.get(k) ?? null),
    set: (k, v) => {
      store.set(k, v);
      return Promise.resolve();
    },
  };
  await withGithub(undefined, async (url, gh) => {
    const deps = { settings: testSettings({ githubApiUrl: url }), fetch: fastFetch(), cache };
    const first = await analyze({ source: "https://github.com/qdrant/mcp-server-qdrant" }, deps);
    assert.ok(store.size >= 3);
    const n = gh.requests.length;
    const second = await analyze({ source: "https://github.com/qdrant/mcp-server-qdrant" }, deps);
    const later = gh.requests.slice(n);
    assert.ok(
      later.length > 0 && later.every((r) => r.ifNoneMatch && r.status === 304),
      JSON.stringify(later),
    );
    assert.deepEqual(second.args, first.args);
  });
});

Deno.test("analyze - verification is attached; a failing verifier keeps the plan", async () => {
  const ok = await analyze({ source: "uvx:mcp-server-fetch", verify: true }, {
    settings: testSettings(),
    verify: (plan) => Promise.resolve({ ok: true, checked: plan.name }),
  });
  const { rounds, ...report } = ok.verification as Record<string, unknown>;
  assert.deepEqual(report, { ok: true, checked: "fetch" });
  assert.equal((rounds as unknown[]).length, 1);
  const bad = await analyze({ source: "uvx:mcp-server-fetch", verify: true }, {
    settings: testSettings(),
    verify: () => Promise.reject(new Error("podman missing")),
  });
  assert.equal(bad.verification?.ok, false);
  assert.equal(bad.runtime, "uvx");
  const skipped = await analyze({ source: "uvx:mcp-server-fetch" }, {
    settings: testSettings(),
    verify: () => Promise.resolve({ ok: true }),
  });
  assert.equal(skipped.verification, undefined);
});

Deno.test("analyze - a launched server without a description is described by what it says of itself", async () => {
  const verify = () => Promise.resolve({ ok: true, self_description: "Gives the time." });
  const image = await analyze({ source: "image:localhost/clock", verify: true }, {
    settings: testSettings(),
    verify,
  });
  assert.equal(image.description, "Gives the time.");
  const remote = await analyze({ source: "https://mcp.example.com/mcp" }, {
    settings: testSettings(),
    verify,
  });
  assert.equal(remote.description, "", "not launched, nothing said");
});
