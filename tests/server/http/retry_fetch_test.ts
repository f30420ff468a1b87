/** @module Tests for the retrying fetch helper (timeouts, backoff, rate limits, concurrency). */
import assert from "node:assert/strict";
import {
  createRetryingFetch,
  FetchTimeoutError,
  rateLimitDelayMs,
  type RetryInfo,
} from "../../../server/http/retry_fetch.ts";
import { AppError } from "../../../server/errors.ts";

type Step = Response | Error | (() => Promise<Response>);

function scripted(steps: Step[]): { fetch: typeof fetch; calls: Request[] } {
  const calls: Request[] = [];
  const fetchFn = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const req = new Request(input, init);
    calls.push(req);
    const step = steps.shift();
    if (!step) return Promise.reject(new Error("no more scripted steps"));
    if (step instanceof Error) return Promise.reject(step);
    if (typeof step === "function") return step();
    return Promise.resolve(step);
  };
  return { fetch: fetchFn as typeof fetch, calls };
}

function recorder() {
  const sleeps: number[] = [];
  const seen: RetryInfo[] = [];
  return {
    sleeps,
    seen,
    opts: {
      sleep: (ms: number) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      onRetry: (i: RetryInfo) => {
        seen.push(i);
      },
    },
  };
}

Deno.test("retry_fetch - retries 5xx with exponential backoff then succeeds", async () => {
  const s = scripted([
    new Response("x", { status: 502 }),
    new Response("x", { status: 503 }),
    new Response("ok"),
  ]);
  const r = recorder();
  const f = createRetryingFetch({ fetch: s.fetch, ...r.opts, random: () => 1, baseDelayMs: 100 });
  const res = await f("https://api.example/x");
  assert.equal(await res.text(), "ok");
  assert.equal(s.calls.length, 3);
  assert.deepEqual(r.sleeps, [100, 200]);
  assert.deepEqual(r.seen.map((x) => x.status), [502, 503]);
});

Deno.test("retry_fetch - jitter keeps delays between half and full backoff", async () => {
  const s = scripted([new Response("", { status: 500 }), new Response("ok")]);
  const r = recorder();
  const f = createRetryingFetch({ fetch: s.fetch, ...r.opts, random: () => 0, baseDelayMs: 400 });
  await (await f("https://a/x")).text();
  assert.deepEqual(r.sleeps, [200]);
});

Deno.test("retry_fetch - gives up after the retry budget and returns the last response", async () => {
  const s = scripted([
    new Response("", { status: 500 }),
    new Response("", { status: 500 }),
    new Response("last", { status: 500 }),
  ]);
  const r = recorder();
  const f = createRetryingFetch({ fetch: s.fetch, ...r.opts, retries: 2 });
  const res = await f("https://a/x");
  assert.equal(res.status, 500);
  assert.equal(await res.text(), "last");
  assert.equal(s.calls.length, 3);
});

Deno.test("retry_fetch - honours Retry-After on 429", async () => {
  const s = scripted([
    new Response("", { status: 429, headers: { "retry-after": "3" } }),
    new Response("ok"),
  ]);
  const r = recorder();
  const f = createRetryingFetch({ fetch: s.fetch, ...r.opts });
  assert.equal(await (await f("https://a/x")).text(), "ok");
  assert.deepEqual(r.sleeps, [3000]);
  assert.equal(r.seen[0].reason, "rate_limited");
});

Deno.test("retry_fetch - honours X-RateLimit-Reset on GitHub-style 403", async () => {
  const now = 1_700_000_000_000;
  const s = scripted([
    new Response("", {
      status: 403,
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(now / 1000 + 5) },
    }),
    new Response("ok"),
  ]);
  const r = recorder();
  const f = createRetryingFetch({ fetch: s.fetch, ...r.opts, now: () => now });
  assert.equal(await (await f("https://a/x")).text(), "ok");
  assert.deepEqual(r.sleeps, [5000]);
});

Deno.test("retry_fetch - plain 403/404 are not retried", async () => {
  const s = scripted([new Response("", { status: 403 })]);
  const f = createRetryingFetch({ fetch: s.fetch, ...recorder().opts });
  assert.equal((await f("https://a/x")).status, 403);
  const s2 = scripted([new Response("", { status: 404 })]);
  const f2 = createRetryingFetch({ fetch: s2.fetch, ...recorder().opts });
  assert.equal((await f2("https://a/x")).status, 404);
  assert.equal(s.calls.length + s2.calls.length, 2);
});

Deno.test("retry_fetch - a wait beyond the cap returns the 429 instead of sleeping", async () => {
  const s = scripted([new Response("", { status: 429, headers: { "retry-after": "3600" } })]);
  const r = recorder();
  const f = createRetryingFetch({ fetch: s.fetch, ...r.opts, maxRetryAfterMs: 10_000 });
  assert.equal((await f("https://a/x")).status, 429);
  assert.deepEqual(r.sleeps, []);
});

Deno.test("retry_fetch - network errors are retried for GET, not for POST by default", async () => {
  const s = scripted([new TypeError("connection reset"), new Response("ok")]);
  const f = createRetryingFetch({ fetch: s.fetch, ...recorder().opts });
  assert.equal(await (await f("https://a/x")).text(), "ok");

  const s2 = scripted([new TypeError("connection reset"), new Response("ok")]);
  const f2 = createRetryingFetch({ fetch: s2.fetch, ...recorder().opts });
  await assert.rejects(() => f2("https://a/x", { method: "POST", body: "{}" }), TypeError);

  const s3 = scripted([new TypeError("reset"), new Response("ok")]);
  const f3 = createRetryingFetch({ fetch: s3.fetch, ...recorder().opts, retryNonIdempotent: true });
  const res = await f3("https://a/x", { method: "POST", body: "hello" });
  assert.equal(await res.text(), "ok");
  assert.equal(await s3.calls[1].text(), "hello");
});

Deno.test("retry_fetch - per-attempt timeout aborts and retries", async () => {
  let n = 0;
  const hang: typeof fetch = ((input: Request) => {
    n++;
    if (n === 1) {
      return new Promise((_, reject) => {
        input.signal.addEventListener("abort", () => reject(input.signal.reason));
      });
    }
    return Promise.resolve(new Response("ok"));
  }) as typeof fetch;
  const f = createRetryingFetch({ fetch: hang, timeoutMs: 20, ...recorder().opts });
  assert.equal(await (await f("https://a/x")).text(), "ok");

  const always: typeof fetch = ((input: Request) =>
    new Promise((_, reject) => {
      input.signal.addEventListener("abort", () => reject(input.signal.reason));
    })) as typeof fetch;
  const g = createRetryingFetch({ fetch: always, timeoutMs: 10, retries: 1, ...recorder().opts });
  await assert.rejects(() => g("https://a/x"), FetchTimeoutError);
});

Deno.test("retry_fetch - caller abort is not retried", async () => {
  const ctrl = new AbortController();
  const hang: typeof fetch = ((input: Request) =>
    new Promise((_, reject) => {
      input.signal.addEventListener("abort", () => reject(input.signal.reason));
    })) as typeof fetch;
  const f = createRetryingFetch({ fetch: hang, ...recorder().opts });
  const p = f("https://a/x", { signal: ctrl.signal });
  ctrl.abort(new Error("user cancelled"));
  await assert.rejects(p, /user cancelled/);
});

Deno.test("retry_fetch - per-host concurrency limit queues requests", async () => {
  let active = 0;
  let peak = 0;
  const slow: typeof fetch = (async () => {
    active++;
    peak = Math.max(peak, active);
    await new Promise((r) => setTimeout(r, 5));
    active--;
    return new Response("ok");
  }) as typeof fetch;
  const f = createRetryingFetch({ fetch: slow, perHostConcurrency: 2 });
  const all = await Promise.all(Array.from({ length: 6 }, () => f("https://a/x")));
  await Promise.all(all.map((r) => r.text()));
  assert.equal(peak, 2);
  // Different hosts do not share the limit.
  peak = 0;
  const g = createRetryingFetch({ fetch: slow, perHostConcurrency: 1 });
  const res = await Promise.all([g("https://a/x"), g("https://b/x")]);
  await Promise.all(res.map((r) => r.text()));
  assert.equal(peak, 2);
});

Deno.test("retry_fetch - rateLimitDelayMs parses seconds and HTTP dates", () => {
  const now = Date.parse("2025-01-01T00:00:00Z");
  assert.equal(rateLimitDelayMs(new Headers({ "retry-after": "2" }), now), 2000);
  assert.equal(
    rateLimitDelayMs(new Headers({ "retry-after": "Wed, 01 Jan 2025 00:00:10 GMT" }), now),
    10_000,
  );
  assert.equal(rateLimitDelayMs(new Headers({}), now), null);
});

Deno.test("retry fetch - a refusal of our own (an AppError, e.g. the SSRF guard's) is not retried", async () => {
  let calls = 0;
  const f = createRetryingFetch({
    retries: 3,
    baseDelayMs: 1,
    fetch: () => {
      calls++;
      return Promise.reject(new AppError("validation_failed", 400, "loopback refused"));
    },
  });
  await assert.rejects(f("http://127.0.0.1/x"), /loopback refused/);
  assert.equal(calls, 1);
});
