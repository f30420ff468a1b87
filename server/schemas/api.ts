/**
 * @module REST API schemas: request bodies, queries and responses of `/api`, from which the
 * OpenAPI document is generated.
 */
import { z } from "@hono/zod-openapi";
import {
  CapabilitiesSchema,
  EnvVarSpecSchema,
  MountListSchema,
  PlanSchema,
  ProtocolEraSchema,
} from "./server.ts";

/** A server's state as every report shows it (see CONVENTIONS: `health.status`). */
export const HealthStatusSchema = z.enum(["ok", "failed", "untested", "needs_setup"]);
/** A server's state as every report shows it. */
export type HealthStatus = z.infer<typeof HealthStatusSchema>;

/**
 * A server's health as responses show it: the last test's result, or `needs_setup` while a
 * required env value is missing (such a server is not offered to MCP clients).
 */
export const ServerHealthSchema = z.object({
  status: HealthStatusSchema,
  /** Whether the last test passed (false when never tested). */
  ok: z.boolean(),
  /** When it was last tested; null when never. */
  checked_at: z.string().nullable(),
  error: z.string().nullable(),
  /** Required env keys with neither a value nor a default (`needs_setup` when any). */
  missing: z.array(z.string()),
  /** Set (`needs_setup`) when the remote server wants an OAuth authorization first. */
  needs_authorization: z.boolean().optional(),
}).openapi("ServerHealth");
/** A server's health as responses show it. */
export type ServerHealth = z.infer<typeof ServerHealthSchema>;

/** The JSON error body every failing route returns. */
export const ErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
}).openapi("Error");

/** `POST /api/servers/analyze` body: `source` (or its alias `github_url`). */
export const AnalyzeBodySchema = z.object({
  source: z.string().min(1).max(2000).optional(),
  github_url: z.string().min(1).max(2000).optional(),
  verify: z.boolean().default(false),
}).refine((b) => b.source || b.github_url, {
  message: "source is required",
  path: ["source"],
}).openapi("AnalyzeRequest");

/** Plan accepted by `POST /api/servers` (also what analyze returns). */
export const PlanBodySchema = PlanSchema;

/**
 * `POST /api/servers` body: a plan plus `arg_values`, the user's value for each of its
 * `arg_fields` by flag (`{"--password": "…"}`).
 */
export const CreateServerBodySchema = PlanSchema.safeExtend({
  arg_values: z.record(z.string().max(200), z.string().max(4000)).optional(),
});

/** `PUT /api/servers/:id` body: any plan field, plus an optional optimistic-concurrency version. */
export const ServerPatchSchema = z.object({
  name: z.string().optional(),
  display_name: z.string().max(200).optional(),
  description: z.string().max(4000).optional(),
  runtime: z.enum(["npx", "uvx", "image", "source", "remote"]).optional(),
  package: z.string().max(300).nullish(),
  image: z.string().max(500).nullish(),
  install: z.array(z.string().max(2000)).max(32).optional(),
  command: z.string().max(500).nullish(),
  args: z.array(z.string().max(4000)).max(64).optional(),
  transport: z.enum(["stdio", "sse", "http"]).optional(),
  port: z.number().int().min(1).max(65535).nullish(),
  path: z.string().max(500).nullish(),
  url: z.string().max(2000).nullish(),
  headers: z.record(z.string(), z.string()).optional(),
  env: z.array(EnvVarSpecSchema).max(100).optional(),
  lifecycle: z.enum(["session", "call", "shared"]).optional(),
  network: z.enum(["none", "egress", "host-services"]).optional(),
  mounts: MountListSchema.optional(),
  /** `as-of YYYY-MM-DD`, or null for a fresh resolve (uvx servers). */
  install_resolution: z.string().regex(/^as-of \d{4}-\d{2}-\d{2}$/).nullish(),
  namespace: z.enum(["prefix", "none"]).optional(),
  active: z.boolean().optional(),
  version: z.string().optional(),
}).strict().openapi("ServerPatch");

/** One env var's status in responses (secret values masked). */
export const EnvStatusSchema = z.object({
  key: z.string(),
  set: z.boolean(),
  secret: z.boolean(),
  value: z.string().nullable(),
  updated_at: z.string().nullable(),
});

/** A server as the API returns it. */
export const ServerResponseSchema = z.object({
  id: z.string(),
  name: z.string(),
  display_name: z.string(),
  description: z.string(),
  source: z.object({ kind: z.string(), ref: z.string() }),
  plan_source: z.string(),
  runtime: z.string(),
  package: z.string().nullish(),
  image: z.string().nullish(),
  install: z.array(z.string()),
  command: z.string().nullable(),
  args: z.array(z.string()),
  transport: z.string(),
  port: z.number().nullish(),
  path: z.string().nullish(),
  url: z.string().nullish(),
  headers: z.record(z.string(), z.string()).default({}),
  env: z.array(EnvVarSpecSchema),
  env_values: z.array(EnvStatusSchema),
  lifecycle: z.string(),
  network: z.string().default("egress"),
  /** Host folders mounted into the container (`source` as saved; resolved at each launch). */
  mounts: z.array(z.object({ source: z.string(), target: z.string(), readonly: z.boolean() }))
    .default([]),
  /** How a uvx server's dependencies resolve: null = fresh, `as-of YYYY-MM-DD` after a retry. */
  install_resolution: z.string().nullish(),
  namespace: z.string(),
  active: z.boolean(),
  capabilities: CapabilitiesSchema.nullable(),
  health: ServerHealthSchema,
  created_at: z.string(),
  updated_at: z.string(),
  version: z.string(),
}).openapi("Server");

/** `PUT /api/servers/:id/env/:key` body. */
export const EnvValueBodySchema = z.object({
  value: z.string().max(65_536),
  secret: z.boolean().optional(),
}).strict().openapi("EnvValue");

/** Path parameter `:id` (server id or name). */
export const IdParamSchema = z.object({
  id: z.string().min(1).max(200).openapi({ param: { name: "id", in: "path" } }),
});

/** Path parameters `:id` and `:key`. */
export const EnvParamSchema = z.object({
  id: z.string().min(1).max(200).openapi({ param: { name: "id", in: "path" } }),
  key: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/).openapi({
    param: { name: "key", in: "path" },
  }),
});

/** `GET /api/servers/:id/logs` query. */
export const LogsQuerySchema = z.object({
  lines: z.coerce.number().int().min(1).max(10_000).default(200),
  since: z.string().datetime().optional(),
});

/** `GET /api/config/claude-desktop` query. */
export const ClaudeConfigQuerySchema = z.object({
  mode: z.enum(["stdio", "remote"]).default("stdio"),
});

/** Why a server failed to start, in one line, with what the logs named. */
export const StartupFailureSchema = z.object({
  /**
   * `missing_env`, `missing_argument`, `network`, `missing_module`, `package_not_found`,
   * `python_version`, `command_not_found`, `not_mcp`, `handshake_refused`, `timeout`,
   * `install_failed` or `exited`.
   */
  kind: z.string(),
  /** How it ended, then the cause and what to do: `exited during start-up (code 1): …`. */
  summary: z.string(),
  /** The env var, argument, host, module or package the logs name. */
  subject: z.string().nullable(),
  /** The log line that told. */
  evidence: z.string().nullable(),
}).openapi("StartupFailure");

/** Result of launching a server for a test. */
export const TestReportSchema = z.object({
  ok: z.boolean(),
  started: z.boolean(),
  initialized: z.boolean(),
  tools: z.array(z.object({ name: z.string(), description: z.string().optional() })),
  resources: z.number().int(),
  prompts: z.number().int(),
  /** One line, the cause first when the start failed (see `failure`). */
  error: z.string().nullable(),
  /** The last log lines of the attempt (about 20, redacted). */
  logs: z.array(z.string()),
  duration_ms: z.number(),
  /** Why the server failed to start, classified; null when it started (or failed later). */
  failure: StartupFailureSchema.nullable().default(null),
  /**
   * Set when the test worked only after the as-of-release-date retry (`as-of 2025-12-31`); the
   * server's plan now carries it.
   */
  install_resolution: z.string().nullish(),
  /** What the router did beyond one launch, one line each (e.g. the as-of retry). */
  notes: z.array(z.string()).default([]),
  /** Set when the remote server wants an OAuth authorization the router does not hold yet. */
  needs_authorization: z.boolean().optional(),
}).openapi("TestReport");
/** Result of launching a server for a test. */
export type TestReport = z.infer<typeof TestReportSchema>;

/** `GET /api/health` response. */
export const HealthResponseSchema = z.object({
  status: z.enum(["ok", "degraded"]),
  version: z.string(),
  kv: z.object({ ok: z.boolean() }),
  podman: z.object({
    ok: z.boolean(),
    socket: z.string(),
    reason: z.string().nullable(),
    version: z.string().nullable(),
    install_hint: z.string().nullable(),
  }),
  limits: z.string(),
  /** What bounds each container in fact: cgroup limits that hold, rlimits, and the deadlines. */
  limits_in_force: z.array(z.string()),
  images: z.record(z.string(), z.string()),
  auth: z.object({ required: z.boolean(), keys: z.number().int() }),
  servers: z.array(z.object({
    name: z.string(),
    active: z.boolean(),
    health: ServerHealthSchema,
    /** Protocol generation seen at the last load (`modern` 2026-07-28+, `legacy` 2025); null if unknown. */
    protocol_era: ProtocolEraSchema.nullable(),
    /** Protocol revision negotiated at the last load, e.g. `2026-07-28`; null if unknown. */
    protocol_version: z.string().nullable(),
  })),
  /** Servers missing required env values (not offered to MCP clients until they are set). */
  needs_setup: z.array(z.object({
    name: z.string(),
    missing: z.array(z.string()),
    /** Set when what it needs is an OAuth authorization (`main.ts auth NAME`). */
    needs_authorization: z.boolean().optional(),
  })),
}).openapi("Health");
/** `GET /api/health` response. */
export type HealthResponse = z.infer<typeof HealthResponseSchema>;
