/**
 * @module Container runtime facade for the REST API: health of the Podman engine and images,
 * the `test` launch, server logs, and image clean-up on delete.
 */
import type { ContainerBackend } from "../../runtime/backend.ts";
import { clearLogs, getLogs } from "../../runtime/log_buffer.ts";
import { limitsInForce } from "../../runtime/limits.ts";
import type { DownstreamPool } from "../mcp/downstream/pool.ts";
import { snapshotCapabilities } from "../mcp/capabilities.ts";
import type { TestReport } from "../schemas/api.ts";
import { DownstreamError } from "../mcp/downstream/errors.ts";
import { errorMessage, runtimeUnavailable } from "../errors.ts";
import type { Capabilities, ServerRecord } from "../schemas/server.ts";
import type { RuntimeFacade, RuntimeStatus } from "../composition/contracts.ts";
import type { Settings } from "../settings.ts";
import type { Store } from "../store/store.ts";
import { createLogger } from "../../runtime/foundation/log.ts";
import { retryAsOfRelease } from "../mcp/downstream/resolve_retry.ts";
import { withEnvDefaults } from "./launch_env.ts";
import { authorizationHint } from "../downstream_auth/principal.ts";

const logger = createLogger("runtime");

/** Log lines a failed test report carries. */
const REPORT_LOG_LINES = 20;

/** What {@linkcode PoolRuntime} needs. */
export interface PoolRuntimeDeps {
  settings: Settings;
  store: Store;
  backend: ContainerBackend | null;
  pool: DownstreamPool;
  /** Why the backend is null (shown in health), when it is. */
  unavailableReason?: string;
  /** What to install when Podman is missing. */
  installHint?: string | null;
  /** Image name → tag/state, for health. */
  images?: () => Promise<Record<string, string>>;
  /** Remove a deleted server's install image. */
  removeImage?: (server: ServerRecord) => Promise<void>;
}

/** The runtime facade over the downstream pool and the container backend. */
export class PoolRuntime implements RuntimeFacade {
  /** @param deps settings, store, backend, pool */
  constructor(private readonly deps: PoolRuntimeDeps) {}

  /** Engine reachability, version, limit enforcement and images. */
  async status(): Promise<RuntimeStatus> {
    const { backend } = this.deps;
    if (!backend) {
      return {
        ok: false,
        reason: this.deps.unavailableReason ?? "no container backend",
        version: null,
        limits: "unsupported: no container runtime",
        limitsInForce: [],
        images: {},
        installHint: this.deps.installHint ?? null,
      };
    }
    try {
      const info = await backend.info();
      const images = await (this.deps.images?.() ?? Promise.resolve({})).catch(() => ({}));
      return {
        ok: true,
        reason: null,
        version: info.version,
        limits: info.limits,
        limitsInForce: limitsInForce(info, this.deps.settings),
        images,
        installHint: null,
      };
    } catch (error) {
      return {
        ok: false,
        reason: `podman socket ${this.deps.settings.podmanSocket} does not answer: ${
          errorMessage(error)
        }`,
        version: null,
        limits: "unsupported: no container runtime",
        limitsInForce: [],
        images: {},
        installHint: null,
      };
    }
  }

  /** Launch in a throw-away session, list capabilities, store them with the health, tear down. */
  async test(server: ServerRecord, env: Record<string, string>): Promise<TestReport> {
    const { report, capabilities } = await this.probe(server, env);
    if (report.ok && report.install_resolution) await this.keepResolution(server, report);
    if (capabilities) {
      try {
        await this.deps.store.setCapabilities(server.id, capabilities);
      } catch (error) {
        // The server answered, but what it offers could not be cached: say so, as a failure.
        report.ok = false;
        report.error = `listed ${capabilities.tools.length} tools but could not store them: ${
          errorMessage(error)
        }`;
      }
    }
    // Health is recorded whatever happened above, so a failed test never stays "untested".
    await this.deps.store.setHealth(server.id, {
      ok: report.ok,
      checked_at: new Date().toISOString(),
      // The authorization URL of a test is one-time: health says what to do instead.
      error: report.needs_authorization ? authorizationHint(server.name) : report.error,
      ...(report.needs_authorization ? { needs_authorization: true } : {}),
    }).catch((error) =>
      logger.warn("could not record health", { server: server.name, error: errorMessage(error) })
    );
    return report;
  }

  /**
   * Launch a server (stored or not) in a throw-away session and list what it offers; stores
   * nothing. Used by `test` and by the analyzer's verification.
   * @throws {AppError} 503 when a container is needed and the runtime is unavailable
   */
  async probe(
    server: ServerRecord,
    env: Record<string, string>,
  ): Promise<{ report: TestReport; capabilities: Capabilities | null }> {
    const started = performance.now();
    const startedAt = new Date().toISOString();
    const withDefaults = withEnvDefaults(server, env);
    if (server.runtime !== "remote") {
      const status = await this.status();
      if (!status.ok) throw runtimeUnavailable(status.reason ?? "unknown");
    }
    let report: TestReport;
    let capabilities: Capabilities | null = null;
    try {
      capabilities = await this.deps.pool.withEphemeral(
        server,
        withDefaults,
        (conn) => snapshotCapabilities(conn.client, conn.requestOptions),
      );
      report = {
        ok: true,
        started: true,
        initialized: true,
        tools: capabilities.tools.map((t) => ({ name: t.name, description: t.description })),
        resources: capabilities.resources.length,
        prompts: capabilities.prompts.length,
        error: null,
        logs: [],
        duration_ms: 0,
        failure: null,
        notes: [],
      };
    } catch (error) {
      const kind = (error as { kind?: string }).kind;
      const startup = error instanceof DownstreamError ? error.startup : undefined;
      report = {
        ok: false,
        started: kind !== "start_failed" && kind !== "config",
        initialized: false,
        tools: [],
        resources: 0,
        prompts: 0,
        error: startup?.summary ?? errorMessage(error),
        logs: this.logs(server.id, { lines: REPORT_LOG_LINES, since: startedAt }),
        duration_ms: 0,
        failure: startup ?? null,
        notes: [],
        ...(kind === "needs_authorization" ? { needs_authorization: true } : {}),
      };
    }
    report.duration_ms = Math.round(performance.now() - started);
    // A uvx server that died importing gets one rebuild with dependencies as of its release.
    return await retryAsOfRelease(server, { report, capabilities }, {
      settings: this.deps.settings,
      since: startedAt,
      probe: (resolved) => this.probe(resolved, env),
      removeImage: this.deps.removeImage,
    });
  }

  /** Record the as-of resolution a test found in the server's plan; drop the fresh image. */
  private async keepResolution(server: ServerRecord, report: TestReport): Promise<void> {
    try {
      await this.deps.store.updateServer(server.id, (current) => ({
        ...current,
        install_resolution: report.install_resolution,
      }));
      await this.deps.removeImage?.(server).catch(() => {});
    } catch (error) {
      report.notes.push(`could not save install_resolution in the plan: ${errorMessage(error)}`);
    }
  }

  /** Last stderr lines of the server's containers (redacted). */
  logs(serverId: string, options: { lines: number; since?: string }): string[] {
    return getLogs(serverId, options).map((e) => `${e.ts} ${e.line}`);
  }

  /** Forget the server's log buffer and remove its install image. */
  async removeServer(server: ServerRecord): Promise<void> {
    clearLogs(server.id);
    await this.deps.removeImage?.(server);
  }
}
