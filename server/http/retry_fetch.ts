/**
 * @module The one outbound HTTP helper: a `fetch` with per-attempt timeouts, retries with
 * exponential backoff and jitter on 5xx / network errors, rate-limit awareness (`Retry-After`,
 * `X-RateLimit-Reset` on 403/429, capped) and a per-host concurrency limit.
 *
 * Every outbound client (GitHub, the Anthropic SDK through its `fetch` option, remote checks)
 * uses a fetch made by {@linkcode createRetryingFetch}.
 */
import { createLogger } from "../../runtime/foundation/log.ts";
import { sleep as defaultSleep } from "../../runtime/foundation/timing.ts";
import { AppError } from "../errors.ts";

const log = createLogger("retry_fetch");

/** Information passed to {@linkcode RetryingFetchOptions.onRetry} before each wait. */
export interface RetryInfo {
  /** The URL being fetched (without query string). */
  url: string;
  /** Attempt number that just failed (1-based). */
  attempt: number;
  /** How long the helper will wait before the next attempt. */
  delayMs: number;
  /** HTTP status of the failed attempt, or null for a network error / timeout. */
  status: number | null;
  /** Why the attempt is retried. */
  reason: "server_error" | "rate_limited" | "network_error" | "timeout";
}

/** Options of {@linkcode createRetryingFetch}; every field is optional. */
export interface RetryingFetchOptions {
  /** Underlying fetch (default: `globalThis.fetch`). */
  fetch?: typeof fetch;
  /** Per-attempt timeout until response headers arrive, in ms (default 30 000; 0 disables). */
  timeoutMs?: number;
  /** Retries after the first attempt (default 3, so at most 4 attempts). */
  retries?: number;
  /** First backoff delay in ms, doubled per attempt (default 500). */
  baseDelayMs?: number;
  /** Cap of one exponential backoff delay in ms (default 8 000). */
  maxDelayMs?: number;
  /**
   * Longest wait honoured from `Retry-After` / `X-RateLimit-Reset` in ms (default 60 000); when a
   * server asks for longer, the rate-limited response is returned to the caller as is.
   */
  maxRetryAfterMs?: number;
  /** Concurrent requests per host (default 4); waiting requests queue in FIFO order. */
  perHostConcurrency?: number;
  /**
   * Also retry non-idempotent methods (POST, PATCH) — default false: such requests are only
   * retried when no response arrived (network error) and this is true. Rate-limit responses
   * (429, or 403 with a rate-limit header) are retried for every method since the server
   * rejected the request without processing it.
   */
  retryNonIdempotent?: boolean;
  /** Sleep used between attempts (tests inject a fake; default: setTimeout, abortable). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Clock in ms since the epoch, for `X-RateLimit-Reset` / HTTP-date math (default Date.now). */
  now?: () => number;
  /** Random source in [0, 1) for jitter (default Math.random). */
  random?: () => number;
  /** Called before each retry wait (logging, tests). */
  onRetry?: (info: RetryInfo) => void;
}

/** Thrown when an attempt times out and no retries remain. */
export class FetchTimeoutError extends Error {
  override name = "FetchTimeoutError";
}

const IDEMPOTENT = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"]);

/** A FIFO counting semaphore. */
class Semaphore {
  #active = 0;
  #queue: (() => void)[] = [];
  constructor(readonly limit: number) {}
  async acquire(): Promise<() => void> {
    if (this.#active >= this.limit) {
      await new Promise<void>((resolve) => this.#queue.push(resolve));
    } else {
      this.#active++;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      if (next) next();
      else this.#active--;
    };
  }
}

/**
 * Parse how long a rate-limited response asks the client to wait, in ms.
 * @returns null when the response carries no usable hint
 */
export function rateLimitDelayMs(headers: Headers, now: number): number | null {
  const retryAfter = headers.get("retry-after");
  if (retryAfter) {
    const secs = Number(retryAfter.trim());
    if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now);
  }
  const reset = headers.get("x-ratelimit-reset");
  if (reset && headers.get("x-ratelimit-remaining") === "0") {
    const epoch = Number(reset.trim());
    if (Number.isFinite(epoch)) return Math.max(0, epoch * 1000 - now);
  }
  return null;
}

function isRateLimited(res: Response): boolean {
  if (res.status === 429) return true;
  if (res.status !== 403) return false;
  return res.headers.has("retry-after") || res.headers.get("x-ratelimit-remaining") === "0";
}

function displayUrl(req: Request): string {
  try {
    const u = new URL(req.url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return "?";
  }
}

/**
 * Build a `fetch` with timeouts, retries, rate-limit handling and a per-host concurrency limit.
 * Semaphores are per returned function, so one client's limit does not affect another's.
 * @param opts see {@linkcode RetryingFetchOptions} (all optional)
 */
export function createRetryingFetch(opts: RetryingFetchOptions = {}): typeof fetch {
  const inner = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const retries = Math.max(0, opts.retries ?? 3);
  const baseDelay = opts.baseDelayMs ?? 500;
  const maxDelay = opts.maxDelayMs ?? 8_000;
  const maxRetryAfter = opts.maxRetryAfterMs ?? 60_000;
  const perHost = Math.max(1, opts.perHostConcurrency ?? 4);
  const sleep = opts.sleep ?? defaultSleep;
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const hosts = new Map<string, Semaphore>();

  const semaphoreFor = (url: string): Semaphore => {
    let host = "?";
    try {
      host = new URL(url).host;
    } catch { /* relative or odd URL: one shared bucket */ }
    let sem = hosts.get(host);
    if (!sem) hosts.set(host, sem = new Semaphore(perHost));
    return sem;
  };

  const backoff = (attempt: number): number => {
    const exp = Math.min(maxDelay, baseDelay * 2 ** (attempt - 1));
    return Math.round(exp / 2 + random() * (exp / 2)); // "equal jitter"
  };

  const retryingFetch = async (
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> => {
    const base = new Request(input, init);
    const callerSignal = base.signal;
    const idempotent = IDEMPOTENT.has(base.method.toUpperCase());
    const sem = semaphoreFor(base.url);
    const url = displayUrl(base);

    for (let attempt = 1;; attempt++) {
      const last = attempt > retries;
      const req = last ? base : base.clone();
      const controller = new AbortController();
      const onCallerAbort = () => controller.abort(callerSignal.reason);
      if (callerSignal.aborted) throw callerSignal.reason;
      callerSignal.addEventListener("abort", onCallerAbort, { once: true });
      let timedOut = false;
      const timer = timeoutMs > 0
        ? setTimeout(() => {
          timedOut = true;
          controller.abort(new FetchTimeoutError(`timed out after ${timeoutMs} ms: ${url}`));
        }, timeoutMs)
        : undefined;

      const release = await sem.acquire();
      let res: Response | null = null;
      let error: unknown = null;
      try {
        controller.signal.throwIfAborted();
        res = await inner(new Request(req, { signal: controller.signal }));
      } catch (e) {
        error = e;
      } finally {
        clearTimeout(timer);
        callerSignal.removeEventListener("abort", onCallerAbort);
        release();
      }

      if (error !== null) {
        if (callerSignal.aborted) throw callerSignal.reason;
        // Our own refusals (an SSRF guard's verdict, a bad request we built) never change.
        const canRetry = !last && !(error instanceof AppError) &&
          (idempotent || opts.retryNonIdempotent === true);
        if (!canRetry) {
          if (timedOut) {
            throw new FetchTimeoutError(`timed out after ${timeoutMs} ms: ${url}`, {
              cause: error,
            });
          }
          throw error;
        }
        const delayMs = backoff(attempt);
        const reason = timedOut ? "timeout" : "network_error";
        opts.onRetry?.({ url, attempt, delayMs, status: null, reason });
        log.debug("retrying request", { url, attempt, delayMs, reason });
        await sleep(delayMs, callerSignal);
        continue;
      }

      const response = res as Response;
      if (last) return response;
      let delayMs: number | null = null;
      let reason: RetryInfo["reason"] = "server_error";
      if (isRateLimited(response)) {
        const hinted = rateLimitDelayMs(response.headers, now());
        if (hinted !== null && hinted > maxRetryAfter) return response;
        delayMs = hinted ?? backoff(attempt);
        reason = "rate_limited";
      } else if (response.status >= 500 && response.status !== 501 && idempotent) {
        delayMs = backoff(attempt);
      } else if (response.status >= 500 && response.status !== 501 && opts.retryNonIdempotent) {
        delayMs = backoff(attempt);
      }
      if (delayMs === null) return response;
      await response.body?.cancel().catch(() => {});
      opts.onRetry?.({ url, attempt, delayMs, status: response.status, reason });
      log.debug("retrying request", { url, attempt, delayMs, status: response.status, reason });
      await sleep(delayMs, callerSignal);
    }
  };
  return retryingFetch as typeof fetch;
}
