/**
 * @module Fast checks of the outbound guard: address classification in many spellings, the
 * local-mode / allow-list / own-listener rules, DNS answers judged by address, the guarded
 * fetch's redirect re-check and body stripping, and body-free remote failure reasons.
 */
import assert from "node:assert/strict";
import { classifyIp, parseCidr, parseIp } from "../../server/http/ip_address.ts";
import {
  createOutboundGuard,
  type OutboundGuardOptions,
  OutboundRefusedError,
  type OutboundSettings,
} from "../../server/http/outbound_guard.ts";
import { createGuardedFetch } from "../../server/http/guarded_fetch.ts";
import { remoteFailureReason } from "../../server/mcp/downstream/remote_failure.ts";
import { SdkError, SdkErrorCode, SdkHttpError } from "@modelcontextprotocol/client";
import { GithubRepoSchema, GitRefSchema, PlanSchema } from "../../server/schemas/server.ts";
import { tarballPath } from "../../runtime/repo_image.ts";
import { parseGithubUrl } from "../../server/analyzer/github_url.ts";
import { connectHttp } from "../../server/mcp/downstream/remote.ts";
import { DownstreamError } from "../../server/mcp/downstream/errors.ts";
import { startHttpEchoFixture } from "../server/mcp/downstream/process_streams.ts";

/** The kind of a URL's host, through the WHATWG parser as the guard sees it. */
function kindOf(url: string): string {
  const ip = parseIp(new URL(url).hostname);
  assert.ok(ip, `${url} is an IP literal`);
  return classifyIp(ip);
}

Deno.test("outbound guard - numeric and IPv6 spellings are classified by their address", () => {
  const cases: [string, string][] = [
    ["http://127.0.0.1/", "loopback"],
    ["http://2130706433/", "loopback"],
    ["http://0x7f.1/", "loopback"],
    ["http://017700000001/", "loopback"],
    ["http://127.1/", "loopback"],
    ["http://[::1]/", "loopback"],
    ["http://[::ffff:127.0.0.1]/", "loopback"],
    ["http://[::ffff:7f00:1]/", "loopback"],
    ["http://[0:0:0:0:0:ffff:127.0.0.1]/", "loopback"],
    ["http://[::127.0.0.1]/", "loopback"],
    ["http://0.0.0.0/", "unspecified"],
    ["http://0/", "unspecified"],
    ["http://[::]/", "unspecified"],
    ["http://169.254.169.254/", "metadata"],
    ["http://2852039166/", "metadata"],
    ["http://0xa9.0xfe.0xa9.0xfe/", "metadata"],
    ["http://[::ffff:169.254.169.254]/", "metadata"],
    ["http://[::ffff:a9fe:a9fe]/", "metadata"],
    ["http://[64:ff9b::a9fe:a9fe]/", "metadata"],
    ["http://[2002:a9fe:a9fe::1]/", "metadata"],
    ["http://[::ffff:0:a9fe:a9fe]/", "metadata"],
    ["http://[fd00:ec2::254]/", "metadata"],
    ["http://100.100.100.200/", "metadata"],
    ["http://169.254.1.1/", "link_local"],
    ["http://[fe80::1]/", "link_local"],
    ["http://[febf::1]/", "link_local"],
    ["http://10.1.2.3/", "private"],
    ["http://172.16.0.1/", "private"],
    ["http://172.31.255.255/", "private"],
    ["http://192.168.1.1/", "private"],
    ["http://[fd12:3456::1]/", "private"],
    ["http://[fc00::1]/", "private"],
    ["http://[::ffff:10.0.0.1]/", "private"],
    ["http://100.64.0.1/", "cgnat"],
    ["http://100.127.255.255/", "cgnat"],
    ["http://224.0.0.1/", "reserved"],
    ["http://255.255.255.255/", "reserved"],
    ["http://[ff02::1]/", "reserved"],
    ["http://172.32.0.1/", "public"],
    ["http://100.128.0.1/", "public"],
    ["http://8.8.8.8/", "public"],
    ["http://[2606:4700::1111]/", "public"],
    ["http://[::ffff:8.8.8.8]/", "public"],
  ];
  for (const [url, kind] of cases) assert.equal(kindOf(url), kind, url);
  assert.equal(parseIp("example.com"), null);
  assert.equal(parseIp("127.1"), null, "only canonical dotted quads outside URLs");
  assert.ok(parseIp("fe80::1%eth0"));
  assert.deepEqual(parseCidr("10.0.0.0/33"), null);
  assert.ok(parseCidr("fd00::/8"));
});

const LOCAL: OutboundSettings = { host: "127.0.0.1", port: 8080, allowedRemoteHosts: [] };

function guard(settings: Partial<OutboundSettings> = {}, options: OutboundGuardOptions = {}) {
  return createOutboundGuard({ ...LOCAL, ...settings }, {
    resolve: () => Promise.resolve([]),
    localAddresses: () => ["127.0.0.1", "::1", "192.168.5.10"],
    ...options,
  });
}

async function refused(g: ReturnType<typeof guard>, url: string, pattern?: RegExp) {
  await assert.rejects(g.check(url), (e: unknown) => {
    assert.ok(e instanceof OutboundRefusedError, `${url}: ${e}`);
    assert.equal(e.status, 400);
    if (pattern) assert.match(e.message, pattern);
    return true;
  }, url);
}

Deno.test("outbound guard - always refused, in every mode", async () => {
  const local = guard();
  const listed = guard({ allowedRemoteHosts: ["0.0.0.0/0", "::/0", "metadata.google.internal"] });
  for (const g of [local, listed]) {
    await refused(g, "file:///etc/passwd", /http: or https:/);
    await refused(g, "ftp://example.com/", /http: or https:/);
    await refused(g, "gopher://127.0.0.1:6379/", /http: or https:/);
    await refused(g, "http://169.254.169.254/latest/meta-data/", /metadata/);
    await refused(g, "http://[::ffff:169.254.169.254]/", /metadata/);
    await refused(g, "http://169.254.10.1/", /link-local/);
    await refused(g, "http://[fe80::1]/", /link-local/);
    await refused(g, "http://metadata.google.internal/computeMetadata/v1/", /metadata/);
    await refused(g, "http://METADATA.google.internal./", /metadata/);
    await refused(g, "http://224.0.0.1/", /reserved/);
  }
});

Deno.test("outbound guard - the router's own listener is never a target", async () => {
  const g = guard();
  await refused(g, "http://127.0.0.1:8080/api/servers", /own listener/);
  await refused(g, "http://localhost:8080/api", /own listener/);
  await refused(g, "http://[::1]:8080/", /own listener/);
  await refused(g, "http://0.0.0.0:8080/", /own listener/);
  await refused(g, "http://2130706433:8080/", /own listener/);
  await refused(g, "http://192.168.5.10:8080/", /own listener/); // an interface address
  const wild = guard({ host: "0.0.0.0", port: 80, allowedRemoteHosts: ["192.168.0.0/16"] });
  await refused(wild, "http://192.168.5.10/", /own listener/);
  const named = guard({ allowedHosts: ["mcp.example.com:443"] }, {
    resolve: () => Promise.resolve(["203.0.113.7"]),
  });
  await refused(named, "https://mcp.example.com/api", /router itself/);
  // Another port of the same machine is another service (allowed in local mode).
  await g.check("http://127.0.0.1:8081/mcp");
});

Deno.test("outbound guard - loopback and private need local mode or the allow-list", async () => {
  let keys = 0;
  const opts = { activeKeyCount: () => Promise.resolve(keys) };
  const local = guard({}, opts);
  for (
    const url of [
      "http://127.0.0.1:9/mcp",
      "http://10.0.0.1/",
      "http://[::1]:9/",
      "http://100.64.1.1/",
    ]
  ) {
    await local.check(url);
  }
  keys = 1; // a key was created: no longer local mode
  await refused(local, "http://127.0.0.1:9/mcp", /MCP_ROUTER_ALLOWED_REMOTE_HOSTS/);
  await refused(local, "http://10.0.0.1/", /private network/);
  await refused(local, "http://[::ffff:10.0.0.1]/", /private network/);
  await refused(local, "http://0.0.0.0:9/", /unspecified/);
  await refused(local, "http://localhost:9/", /loopback/);
  await local.check("http://8.8.8.8/"); // public stays allowed
  const beyondLoopback = guard({ host: "0.0.0.0" });
  await refused(beyondLoopback, "http://127.0.0.1:9/", /loopback/);
  const listed = guard({ allowedRemoteHosts: ["10.0.0.0/8", "127.0.0.1", "mcp.lan", "*.corp"] }, {
    ...opts,
    resolve: (h) => Promise.resolve(h === "mcp.lan" || h === "a.corp" ? ["192.168.9.9"] : []),
  });
  await listed.check("http://10.20.30.40/mcp");
  await listed.check("http://[::ffff:10.0.0.1]/mcp");
  await listed.check("http://127.0.0.1:9/mcp");
  await listed.check("http://mcp.lan/mcp");
  await listed.check("http://a.corp/mcp");
  await refused(listed, "http://127.0.0.2:9/", /loopback/);
  await refused(listed, "http://192.168.0.1/", /private/);
});

Deno.test("outbound guard - host names are judged by every address they resolve to", async () => {
  const dns: Record<string, string[]> = {
    "meta.evil.test": ["169.254.169.254"],
    "mixed.evil.test": ["93.184.216.34", "10.0.0.1"],
    "self.evil.test": ["127.0.0.1"],
    "v6.evil.test": ["::ffff:a9fe:a9fe"],
    "ok.test": ["93.184.216.34"],
  };
  const g = guard({}, {
    activeKeyCount: () => Promise.resolve(1),
    resolve: (h) => Promise.resolve(dns[h] ?? []),
  });
  await refused(g, "http://meta.evil.test/", /resolves to a cloud metadata/);
  await refused(g, "http://mixed.evil.test/", /resolves to a private/);
  await refused(g, "http://self.evil.test:9/", /resolves to a loopback/);
  await refused(g, "http://v6.evil.test/", /metadata/);
  await refused(g, "http://nowhere.test/", /cannot resolve/);
  const saved = await g.check("http://nowhere.test/", { stage: "save" });
  assert.deepEqual(saved.addresses, [], "unresolvable names wait for connect time");
  const ok = await g.check("https://ok.test/mcp");
  assert.equal(ok.addresses.length, 1);
  // The refusal never names the resolved address.
  await assert.rejects(
    g.check("http://mixed.evil.test/"),
    (e: Error) => !/10\.0\.0\.1/.test(e.message),
  );
});

Deno.test("outbound guard - the guarded fetch re-checks redirects and strips error bodies", async () => {
  const hits: string[] = [];
  const ac = new AbortController();
  const canary = Deno.serve(
    { port: 0, hostname: "127.0.0.1", signal: ac.signal, onListen() {} },
    (req) => {
      hits.push(new URL(req.url).pathname);
      return new Response("canary");
    },
  );
  const origin = Deno.serve(
    { port: 0, hostname: "127.0.0.1", signal: ac.signal, onListen() {} },
    (req) => {
      const path = new URL(req.url).pathname;
      if (path === "/to-metadata") {
        return new Response(null, {
          status: 302,
          headers: { location: "http://169.254.169.254/" },
        });
      }
      if (path === "/to-canary") {
        return new Response(null, {
          status: 307,
          headers: { location: `http://127.0.0.2:${canary.addr.port}/hit` },
        });
      }
      if (path === "/loop") {
        return new Response(null, {
          status: 302,
          headers: { location: "/loop" },
        });
      }
      if (path === "/json") {
        return new Response("SECRET-BODY-123 not json", {
          headers: { "content-type": "application/json" },
        });
      }
      return new Response("SECRET-BODY-123", { status: 404, statusText: "SECRET-STATUS" });
    },
  );
  try {
    const base = `http://127.0.0.1:${origin.addr.port}`;
    // Only 127.0.0.1 is listed: a hop to another loopback address must be refused.
    const g = createOutboundGuard({
      ...LOCAL,
      allowedRemoteHosts: ["127.0.0.1"],
    }, { activeKeyCount: () => Promise.resolve(1) });
    const guarded = createGuardedFetch(g);
    await assert.rejects(guarded(`${base}/to-metadata`), /metadata/);
    await assert.rejects(guarded(`${base}/to-canary`, { method: "POST", body: "{}" }), /loopback/);
    assert.deepEqual(hits, [], "the refused hop was never fetched");
    await assert.rejects(guarded(`${base}/loop`), /more than 5 redirects/);
    // manual: the 3xx goes back to the caller (the SDK decides), without a body.
    const manual = await guarded(`${base}/to-metadata`, { redirect: "manual" });
    assert.equal(manual.status, 302);
    assert.equal(await manual.text(), "");
    const notFound = await guarded(`${base}/missing`);
    assert.equal(notFound.status, 404);
    assert.equal(notFound.statusText, "");
    assert.equal(await notFound.text(), "");
    const badJson = await guarded(`${base}/json`);
    assert.equal(badJson.status, 502);
    assert.equal(await badJson.text(), "");
  } finally {
    ac.abort();
    await Promise.all([canary.finished, origin.finished]);
  }
});

Deno.test("outbound guard - plain http by name is pinned to the checked address", async () => {
  const ac = new AbortController();
  const seen: string[] = [];
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", signal: ac.signal, onListen() {} },
    (req) => {
      seen.push(req.headers.get("host") ?? "");
      return new Response("ok");
    },
  );
  try {
    let answer = "127.0.0.1";
    const g = createOutboundGuard(LOCAL, { resolve: () => Promise.resolve([answer]) });
    const guarded = createGuardedFetch(g);
    const res = await guarded(`http://pinned.test:${server.addr.port}/`);
    assert.equal(await res.text(), "ok");
    assert.deepEqual(seen, [`pinned.test:${server.addr.port}`], "Host keeps the name");
    // The name now points at the metadata service (DNS rebinding): within the guard's short
    // cache the request still goes to the address that was checked, never to the new one…
    answer = "169.254.169.254";
    const again = await guarded(`http://pinned.test:${server.addr.port}/`);
    assert.equal(await again.text(), "ok");
    assert.equal(seen.length, 2);
    // …and a fresh lookup judges the new address.
    const fresh = createGuardedFetch(
      createOutboundGuard(LOCAL, { resolve: () => Promise.resolve([answer]) }),
    );
    await assert.rejects(fresh(`http://pinned.test:${server.addr.port}/`), /metadata/);
  } finally {
    ac.abort();
    await server.finished;
  }
});

Deno.test("outbound guard - remote failure reasons never quote the response", () => {
  const secret = "SECRET-BODY-123";
  const cases: unknown[] = [
    new SdkHttpError(
      SdkErrorCode.ClientHttpNotImplemented,
      `Error POSTing to endpoint: ${secret}`,
      {
        status: 404,
      },
    ),
    new SdkError(SdkErrorCode.ClientHttpUnexpectedContent, `Unexpected content type: ${secret}`),
    new SyntaxError(`Unexpected token 'S', "${secret}" is not valid JSON`),
    new Error(`Error POSTing to endpoint (HTTP 500): ${secret}`),
    new TypeError(`error sending request for url (http://h/${secret}): connection refused`),
  ];
  for (const error of cases) {
    const reason = remoteFailureReason(error);
    assert.ok(!reason.includes(secret), reason);
  }
  assert.equal(
    remoteFailureReason(
      new SdkHttpError(SdkErrorCode.ClientHttpNotImplemented, secret, { status: 404 }),
    ),
    "HTTP 404 from the remote server",
  );
});

Deno.test("outbound guard - build.repo, refs and GitHub paths are strict", () => {
  for (const bad of ["../user", "a/..", "a/.", "-a/b", "a-/b", "a/b/c", "a", "a b/c", "./x"]) {
    assert.equal(GithubRepoSchema.safeParse(bad).success, false, bad);
  }
  for (const good of ["modelcontextprotocol/servers", "a/b.c", "A-1/x_y-z", "a/.github"]) {
    assert.equal(GithubRepoSchema.safeParse(good).success, true, good);
  }
  for (const bad of ["..", "a/../b", "-x", "a//b", ""]) {
    assert.equal(GitRefSchema.safeParse(bad).success, false, bad);
  }
  const plan = (build: Record<string, unknown>) =>
    PlanSchema.safeParse({ name: "x", runtime: "image", build: { ref: "main", ...build } });
  assert.equal(plan({ repo: "../user" }).success, false);
  assert.equal(plan({ repo: "o/r", path: "a/./b" }).success, false);
  assert.equal(plan({ repo: "o/r", path: "src/server" }).success, true);
  assert.throws(() => tarballPath({ repo: "../user", ref: "main" }), /owner\/name/);
  assert.throws(() => tarballPath({ repo: "o/r", ref: "../../user" }), /git ref/);
  assert.equal(tarballPath({ repo: "o/r", ref: "feat/x" }), "/repos/o/r/tarball/feat%2Fx");
  for (
    const bad of [
      "https://github.com/o/r/tree/main/../../x",
      "https://github.com/o/r/tree/%2e%2e/x",
      "https://github.com/o/r/tree/main/a%2F..%2F..%2Fuser",
      "https://github.com/o/r/tree/main/%E0%A4%A",
      "https://github.com/-o/r",
    ]
  ) {
    assert.throws(() => parseGithubUrl(bad), /not a GitHub repository URL/, bad);
  }
  assert.equal(parseGithubUrl("https://github.com/o/r/tree/v1.2/src/x").subpath, "src/x");
});

Deno.test("outbound guard - guarded connections still speak SSE and streamable HTTP", async () => {
  for (const mode of ["sse", "http"] as const) {
    await using fixture = await startHttpEchoFixture(mode);
    const port = fixture.port;
    // By name, so plain-http requests are pinned (localhost is loopback by definition).
    const client = await connectHttp(
      new URL(`http://localhost:${port}/${mode === "sse" ? "sse" : "mcp"}`),
      { protocol: mode, serverName: mode, timeoutMs: 10_000, guard: createOutboundGuard(LOCAL) },
    );
    const r = await client.callTool({ name: "echo", arguments: { message: `over ${mode}` } });
    assert.deepEqual(r.content, [{ type: "text", text: `over ${mode}` }]);
    await client.close();
    // With a key, the same loopback server is refused before any request.
    const keyed = createOutboundGuard(LOCAL, { activeKeyCount: () => Promise.resolve(1) });
    await assert.rejects(
      connectHttp(new URL(`http://127.0.0.1:${port}/mcp`), {
        protocol: mode,
        serverName: mode,
        timeoutMs: 5_000,
        guard: keyed,
      }),
      (e: unknown) =>
        e instanceof DownstreamError && e.kind === "config" &&
        /MCP_ROUTER_ALLOWED_REMOTE_HOSTS/.test(e.message),
    );
  }
});
