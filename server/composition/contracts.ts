/**
 * @module Service contracts the HTTP app is built on: the store, the container runtime facade
 * and the analyzer. `main.ts` wires the real ones; tests inject their own.
 */
import type { Settings } from "../settings.ts";
import type { Store } from "../store/store.ts";
import type { ServerRecord } from "../schemas/server.ts";
import type { TestReport } from "../schemas/api.ts";
import type { AnalyzeStep } from "../analyzer/analyze.ts";

export type { AnalyzeStep };

/** What the container runtime tells `/api/health`. */
export interface RuntimeStatus {
  ok: boolean;
  reason: string | null;
  version: string | null;
  /** `enforced` or `unsupported: <why>`. */
  limits: string;
  /** What bounds containers in fact (cgroup limits that hold, rlimits); empty without an engine. */
  limitsInForce: string[];
  /** Image name → tag or state (`missing`, `building`, …). */
  images: Record<string, string>;
  /** What to install when Podman is missing. */
  installHint: string | null;
}

/** The container runtime as the REST API sees it. */
export interface RuntimeFacade {
  /** Current runtime health. */
  status(): Promise<RuntimeStatus>;
  /**
   * Launch a server in a throw-away session, list its capabilities, tear it down.
   * @throws {AppError} 503 when the runtime is unavailable
   */
  test(server: ServerRecord, env: Record<string, string>): Promise<TestReport>;
  /** Last log lines of a server's containers. */
  logs(serverId: string, options: { lines: number; since?: string }): string[];
  /** Forget a deleted server's artifacts (its install image). */
  removeServer(server: ServerRecord): Promise<void>;
}

/** Analyzer input. */
export interface AnalyzeInput {
  source: string;
  verify: boolean;
}

/** Turns a source string into a plan (deterministic, GitHub heuristics, or Claude). */
export type AnalyzeFn = (
  input: AnalyzeInput,
  options: {
    existingNames: Set<string>;
    onProgress?: (step: AnalyzeStep, detail?: string) => void;
  },
) => Promise<Record<string, unknown>>;

/** Everything the HTTP app needs. */
export interface AppDeps {
  settings: Settings;
  store: Store;
  runtime: RuntimeFacade;
  analyze: AnalyzeFn;
  /** Absolute path of the router's entry (for the Claude Desktop config). */
  entry?: { command: string; args: string[] };
}
