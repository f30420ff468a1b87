/**
 * Log redaction beyond exact matches: a registered secret must not reach a log line
 * base64-encoded (standard, URL-safe, padded or not, inside `Basic user:secret`), hex-encoded,
 * URL-encoded (any mix of encoded and plain characters, form `+`), or JSON-escaped. Unit checks of
 * every form, the cost per line with 50 secrets, and a real router whose request log lines carry
 * paths holding encoded forms of a secret set through the API (and again after a restart).
 */
import assert from "node:assert/strict";
import {
  log,
  redact,
  registerSecret,
  secretForms,
  setLogSink,
} from "../../runtime/foundation/log.ts";
import { startRouter } from "../router_process.ts";

const base64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));
const base64url = (text: string) =>
  base64(text).replace(/=+$/, "").replaceAll("+", "-").replaceAll("/", "_");
const hex = (text: string) =>
  Array.from(new TextEncoder().encode(text), (b) => b.toString(16).padStart(2, "0")).join("");

/** Every way the tests expect `secret` could leak, besides those of `secretForms`. */
function leakForms(secret: string): string[] {
  const forms = new Set(secretForms(secret));
  for (const user of ["u", "us", "use", "user"]) {
    forms.add(base64(`${user}:${secret}`));
    forms.add(base64url(`${user}:${secret}`));
  }
  return [...forms];
}

/** Capture the lines `log` writes while `fn` runs. */
function captured(fn: () => void): string[] {
  const lines: string[] = [];
  const previous = setLogSink((line) => lines.push(line));
  try {
    fn();
  } finally {
    setLogSink(previous);
  }
  return lines;
}

const SECRET = 'Sup3r/S3cret+key with "quotes" & ü~';
registerSecret(SECRET);

Deno.test("Log redaction - every literal form of a secret is redacted", () => {
  const expected = [
    SECRET,
    JSON.stringify(SECRET).slice(1, -1),
    base64(SECRET),
    base64(SECRET).replace(/=+$/, ""),
    base64url(SECRET),
    hex(SECRET),
    hex(SECRET).toUpperCase(),
    encodeURIComponent(SECRET),
    encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
    encodeURI(SECRET),
    new URLSearchParams({ q: SECRET }).toString().slice(2),
  ];
  for (const form of expected) {
    assert.ok(secretForms(SECRET).includes(form), form);
    const out = redact(`before ${form} after`);
    assert.equal(out, "before [REDACTED] after", `${form} → ${out}`);
  }
});

Deno.test("Log redaction - JSON log lines: escaped at any depth", () => {
  const lines = captured(() => {
    log("error", "downstream said", {
      raw: SECRET,
      nested: JSON.stringify({ body: SECRET }),
      twice: JSON.stringify(JSON.stringify({ body: SECRET })),
      thrice: JSON.stringify(JSON.stringify(JSON.stringify({ body: SECRET }))),
      query: `https://x.test/?k=${encodeURIComponent(SECRET)}`,
    });
  });
  assert.equal(lines.length, 1);
  for (const form of leakForms(SECRET)) assert.ok(!lines[0].includes(form), lines[0]);
  assert.ok(!lines[0].includes("Sup3r"), lines[0]);
  assert.equal(lines[0].match(/\[REDACTED\]/g)?.length, 5, lines[0]);
});

Deno.test("Log redaction - any mix of percent-encoded and plain characters", () => {
  const chars = Array.from(SECRET);
  for (let seed = 1; seed <= 50; seed++) {
    const mixed = chars.map((c, i) => {
      if ((seed * 7 + i * 13) % 3 !== 0) return c;
      const encoded = encodeURIComponent(c) === c
        ? `%${c.charCodeAt(0).toString(16).toUpperCase()}`
        : encodeURIComponent(c);
      return seed % 2 ? encoded.toLowerCase() : encoded;
    }).join("");
    const line = JSON.stringify({ msg: "request", path: `/x/${mixed}/y` });
    const out = redact(line);
    assert.ok(out.includes('"/x/[REDACTED]/y"'), `${line} → ${out}`);
  }
  // what a hono request log line holds: decodeURI of the encoded path, then JSON-escaped
  const path = decodeURI(`/x/${encodeURIComponent(SECRET)}`);
  const out = redact(JSON.stringify({ path }));
  assert.equal(out, '{"path":"/x/[REDACTED]"}');
});

Deno.test("Log redaction - base64 runs that decode to a secret (Basic credentials)", () => {
  const secret = "hunter2-password";
  registerSecret(secret);
  for (const user of ["", "a", "ab", "abc", "alice", "bob:x"]) {
    const plain = `${user}:${secret}`;
    for (const encoded of [base64(plain), base64(plain).replace(/=+$/, ""), base64url(plain)]) {
      const out = redact(`authorization: Basic ${encoded}`);
      assert.equal(out, "authorization: Basic [REDACTED]", `${plain} as ${encoded} → ${out}`);
    }
    // not at the start of the run: the decoder tries every alignment
    const glued = `abc${base64(`${plain}and more text after it`)}`;
    assert.equal(redact(`x ${glued} y`), "x [REDACTED] y", glued);
  }
  const innocent = `id ${crypto.randomUUID()} ${base64("nothing to see here at all")}`;
  assert.equal(redact(innocent), innocent);
});

Deno.test("Log redaction - short values are never registered; others leave text alone", () => {
  registerSecret("abc");
  registerSecret("");
  const text = "abc def 123 GET /api/servers ok";
  assert.equal(redact(text), text);
  registerSecret("w0rd");
  assert.equal(redact("a w0rd here, d0rd there"), "a [REDACTED] here, d0rd there");
  assert.equal(redact(`as hex ${hex("w0rd")}.`), "as hex [REDACTED].");
  const line = JSON.stringify({
    ts: new Date().toISOString(),
    msg: "request",
    path: `/api/servers/${crypto.randomUUID()}/env/API_KEY`,
    status: 200,
  });
  assert.equal(redact(line), line);
});

Deno.test("Log redaction - fields named like secrets are masked", () => {
  const [line] = captured(() => log("error", "x", { password: "not-registered", count: 2 }));
  assert.match(line, /"password":"\[REDACTED\]","count":2/);
});

Deno.test("Log redaction - cost per line with 50 secrets", () => {
  for (let i = 0; i < 50; i++) registerSecret(`sk-${crypto.randomUUID().replaceAll("-", "")}`);
  const lines = [
    JSON.stringify({
      ts: new Date().toISOString(),
      level: "info",
      msg: "request",
      component: "http",
      method: "GET",
      path: `/api/servers/${crypto.randomUUID()}/env/API_KEY`,
      status: 200,
      ms: 3,
    }),
    JSON.stringify({ level: "info", msg: "request", path: "/x/a%20b%2Fc?q=hello%20world" }),
    JSON.stringify({
      level: "warn",
      msg: "stderr",
      line: `${btoa(crypto.randomUUID().repeat(4))} ${"lorem ipsum dolor sit amet ".repeat(20)}`,
    }),
  ];
  for (const line of lines) redact(line); // build the patterns once
  const rounds = 5_000;
  const started = performance.now();
  for (let i = 0; i < rounds; i++) for (const line of lines) redact(line);
  const perLine = (performance.now() - started) * 1000 / (rounds * lines.length);
  const chars = Math.round(lines.reduce((n, l) => n + l.length, 0) / lines.length);
  console.log(`redaction: ${perLine.toFixed(1)} µs per line (50+ secrets, ~${chars} chars)`);
  assert.ok(perLine < 500, `${perLine} µs per line`);
  for (const line of lines) assert.equal(redact(line), line);
});

Deno.test("Log redaction - a real router never logs an encoded secret", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "mcp-router-redaction-" });
  const secret = `tok/${crypto.randomUUID().slice(0, 8)}+"x" y&z`;
  const paths = (id: string) => [
    `/api/servers/${id}/x/${encodeURIComponent(secret)}`,
    `/${encodeURIComponent(secret).toLowerCase()}`,
    `/q?v=${new URLSearchParams({ v: secret }).toString().slice(2)}`,
    `/b/${base64(secret)}`,
    `/b/${base64url(secret)}`,
    `/b/${base64(`admin:${secret}`)}`,
    `/h/${hex(secret)}/${hex(secret).toUpperCase()}`,
  ];
  const leaks = (output: string) => leakForms(secret).filter((f) => output.includes(f));
  const opts = { env: { MCP_ROUTER_LOG_LEVEL: "info" } };
  let router = await startRouter(dataDir, undefined, opts);
  try {
    const created = await router.request("/api/servers", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "leaky", runtime: "uvx", command: "uvx", args: ["x"] }),
    });
    assert.equal(created.status, 201);
    const { id } = await created.json();
    const put = await router.request(`/api/servers/${id}/env/API_TOKEN`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ value: secret, secret: true }),
    });
    assert.equal(put.status, 200, await put.text());
    const probe = async () => {
      for (const path of paths(id)) {
        const res = await router.request(path);
        await res.body?.cancel();
        // the output keeps its last lines only: check after each request
        await new Promise((r) => setTimeout(r, 50));
        const output = router.output();
        assert.deepEqual(leaks(output), [], `${path}\n${output}`);
        assert.match(output, /"msg":"request".*\[REDACTED\]/, `${path} was not logged redacted`);
      }
    };
    await probe();
    // after a restart the stored secret is redacted before anything used it
    await router.stop();
    router = await startRouter(dataDir, undefined, opts);
    await probe();
  } finally {
    await router.stop();
    await Deno.remove(dataDir, { recursive: true }).catch(() => {});
  }
});
