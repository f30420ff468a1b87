/**
 * @module Server schemas: the launch plan a user reviews, and the stored server record.
 *
 * Schema first, type derived: every record that crosses a boundary (HTTP body, KV read,
 * analyzer output) is parsed with one of these.
 */
import { z } from "zod";
import {
  absolutePathProblem,
  MAX_MOUNT_PATH,
  MAX_MOUNTS,
  tidyPath,
} from "../../runtime/mount_paths.ts";
import { isGithubRepo } from "../../runtime/github_names.ts";
import {
  LIFECYCLES,
  NETWORK_POLICIES,
  SERVER_RUNTIMES,
  TRANSPORTS,
} from "../../runtime/launch_target.ts";

/** Server names: lower-case letters, digits and dashes, 1–48 chars, starting with a letter/digit. */
export const ServerNameSchema = z.string().regex(
  /^[a-z0-9][a-z0-9-]{0,47}$/,
  "must be 1-48 chars of a-z, 0-9 and '-', starting with a letter or digit",
);

/** Environment variable keys as shells accept them. */
export const EnvKeySchema = z.string().regex(
  /^[A-Za-z_][A-Za-z0-9_]{0,127}$/,
  "must be a valid environment variable name",
);

/** One environment variable the user must (or may) fill in. */
export const EnvVarSpecSchema = z.object({
  key: EnvKeySchema,
  description: z.string().max(2000).default(""),
  required: z.boolean().default(false),
  secret: z.boolean().default(false),
  default: z.string().max(10_000).optional(),
});
/** One environment variable the user must (or may) fill in. */
export type EnvVarSpec = z.infer<typeof EnvVarSpecSchema>;

/** How a server is installed and run: `image` also covers Docker images. */
export const RuntimeSchema = z.enum(SERVER_RUNTIMES);
/** How a server is installed and run. */
export type Runtime = z.infer<typeof RuntimeSchema>;

/** Wire protocol the downstream server speaks. */
export const TransportSchema = z.enum(TRANSPORTS);
/** Wire protocol the downstream server speaks. */
export type Transport = z.infer<typeof TransportSchema>;

/**
 * What a server's container may reach: `none` (no network), `egress` (default: the internet, not
 * the host's services) or `host-services` (the engine default, host addresses included).
 */
export const NetworkPolicySchema = z.enum(NETWORK_POLICIES);
/** What a server's container may reach. */
export type NetworkPolicy = z.infer<typeof NetworkPolicySchema>;

/**
 * A host folder (or file) bind-mounted into the server's container: `source` must resolve inside
 * one of the `MCP_ROUTER_MOUNT_ROOTS` (judged when saved and at each launch, see
 * `server/mounts/policy.ts`), `target` is the container path, `readonly` defaults to true.
 */
export const MountSchema = z.object({
  source: z.string().max(MAX_MOUNT_PATH).transform(tidyPath).superRefine((p, ctx) => {
    const problem = absolutePathProblem(p);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
  // Where in the container a mount may land is the runtime's rule (checked at save and launch).
  target: z.string().max(MAX_MOUNT_PATH).transform(tidyPath).superRefine((p, ctx) => {
    const problem = absolutePathProblem(p) ??
      (p === "/" ? "must not be / (the container's root)" : null);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  }),
  readonly: z.boolean().default(true),
}).strict();
/** A host folder mounted into the server's container. */
export type Mount = z.infer<typeof MountSchema>;

/** A plan's mounts: at most 16, no target twice. */
export const MountListSchema = z.array(MountSchema).max(MAX_MOUNTS).superRefine((list, ctx) => {
  const seen = new Set<string>();
  list.forEach((m, i) => {
    if (seen.has(m.target)) {
      ctx.addIssue({
        code: "custom",
        path: [i, "target"],
        message: `target ${m.target} is used twice`,
      });
    }
    seen.add(m.target);
  });
});

/** Container lifecycle: per client session (default), per tool call, or one shared container. */
export const LifecycleSchema = z.enum(LIFECYCLES);
/** Container lifecycle mode. */
export type Lifecycle = z.infer<typeof LifecycleSchema>;

/** Where a server came from. */
export const OriginSchema = z.object({
  kind: z.enum(["github", "npx", "uvx", "image", "remote"]),
  ref: z.string().min(1).max(2000),
});
/** Where a server came from. */
export type Origin = z.infer<typeof OriginSchema>;

/** Where a plan's content came from. */
export const PlanSourceSchema = z.enum(["claude", "heuristic", "mixed", "deterministic", "user"]);

/** One piece of evidence behind a plan field (file + line). */
export const EvidenceSchema = z.object({
  field: z.string(),
  file: z.string(),
  line: z.number().int().nonnegative().optional(),
  text: z.string().max(2000).optional(),
});
/** One piece of evidence behind a plan field. */
export type Evidence = z.infer<typeof EvidenceSchema>;

const MAX_ARGS = 64;

/** A GitHub `owner/name`, strictly (it becomes part of GitHub API paths). */
export const GithubRepoSchema = z.string().refine(isGithubRepo, {
  message: "must be a GitHub owner/name (owner: letters, digits, '-'; name: no '.' or '..')",
});

/** A branch, tag or commit: no whitespace, no `.`/`..` segments, no leading '/' or '-'. */
export const GitRefSchema = z.string().min(1).max(200).regex(/^[^\s\\]+$/, "no spaces")
  .refine(
    (r) => !r.startsWith("-") && r.split("/").every((s) => s !== "" && s !== "." && s !== ".."),
    {
      message: "not a valid git ref",
    },
  );

/** Fields shared by a plan and a stored server: everything needed to launch it. */
export const LaunchFieldsSchema = z.object({
  runtime: RuntimeSchema,
  /** npm/PyPI package spec installed once at image-build time (e.g. `pkg@1.2.3`). */
  package: z.string().max(300).nullish(),
  /** Image reference for `image` runtime. */
  image: z.string().max(500).nullish(),
  /** Shell install steps (source builds), run at image-build time. */
  install: z.array(z.string().max(2000)).max(32).default([]),
  /**
   * How a uvx server's dependencies resolve: unset = fresh (the newest of everything);
   * `as-of YYYY-MM-DD` = as PyPI stood at the end of that day (UTC), via uv's `--exclude-newer`.
   * A test sets it when a fresh resolve dies importing (README "The as-of-release-date retry").
   */
  install_resolution: z.string().regex(
    /^as-of \d{4}-\d{2}-\d{2}$/,
    "must be 'as-of YYYY-MM-DD'",
  ).nullish(),
  command: z.string().max(500).nullable().default(null),
  args: z.array(z.string().max(4000)).max(MAX_ARGS).default([]),
  transport: TransportSchema.default("stdio"),
  /** Container port for sse/http transports. */
  port: z.number().int().min(1).max(65535).nullish(),
  /** URL path for sse/http transports (default `/mcp` or `/sse`). */
  path: z.string().max(500).nullish(),
  /** Endpoint for `remote` servers: `http:` or `https:` only (the rest is judged on connect). */
  url: z.string().url().max(2000).refine((u) => /^https?:\/\//i.test(u), {
    message: "remote URLs must use http: or https:",
  }).nullish(),
  /**
   * Request headers for `remote` servers; `${VAR}` in a value is filled from the server's env
   * values (e.g. `{"Authorization": "Bearer ${NEON_API_KEY}"}`), so secrets stay in env values.
   */
  headers: z.record(
    z.string().regex(/^[A-Za-z0-9-]{1,100}$/, "header names are letters, digits and '-'"),
    z.string().max(4000).regex(/^[^\r\n]*$/, "header values are one line"),
  ).default({}),
  env: z.array(EnvVarSpecSchema).max(100).default([]),
  /**
   * `image` servers without an image: build one from a GitHub repository folder's Dockerfile
   * (downloaded as the repository tarball; tagged by the hash of this spec).
   */
  build: z.object({
    repo: GithubRepoSchema,
    ref: GitRefSchema,
    path: z.string().max(500).regex(/^[^\s]*$/).refine((p) => !p.includes(".."), {
      message: "no '..' in paths",
    }).refine((p) => p.split("/").every((s) => s !== "."), {
      message: "no '.' segments in paths",
    }).default(""),
    dockerfile: z.string().min(1).max(200).regex(/^[^\s]+$/).refine((p) => !p.includes(".."), {
      message: "no '..' in paths",
    }).default("Dockerfile"),
  }).nullish(),
  lifecycle: LifecycleSchema.default("session"),
  /** Egress policy of the server's container (see {@linkcode NetworkPolicySchema}). */
  network: NetworkPolicySchema.default("egress"),
  /** Host folders mounted into the container (see {@linkcode MountSchema}). */
  mounts: MountListSchema.default([]),
  /** `prefix` (default) namespaces tools as `<server>__<tool>`; `none` passes them through. */
  namespace: z.enum(["prefix", "none"]).default("prefix"),
});

/** Another documented way to run a planned server (an alternative to the plan's launch). */
export const PlanAlternativeSchema = z.object({
  runtime: RuntimeSchema,
  command: z.string().max(500).nullable(),
  args: z.array(z.string().max(4000)).max(MAX_ARGS),
  url: z.string().max(2000).nullish(),
  package: z.string().max(500).nullish(),
  image: z.string().max(500).nullish(),
});
/** Another documented way to run a planned server. */
export type PlanAlternative = z.infer<typeof PlanAlternativeSchema>;

/** A command-line value the user must fill in (e.g. the `--api-key` a README shows as a placeholder). */
export const ArgFieldSchema = z.object({
  flag: z.string().max(200),
  description: z.string().max(2000).default(""),
  required: z.boolean().default(true),
  secret: z.boolean().default(false),
  /** Passed as one `flag=value` argument (as the README wrote it) instead of `flag` `value`. */
  equals: z.boolean().default(false),
});
/** A command-line value the user must fill in. */
export type ArgField = z.infer<typeof ArgFieldSchema>;

/** A plan as the analyzer returns it and `POST /api/servers` accepts it. */
export const PlanSchema = LaunchFieldsSchema.extend({
  name: ServerNameSchema,
  display_name: z.string().max(200).default(""),
  description: z.string().max(4000).default(""),
  origin: OriginSchema.optional(),
  /** Provenance of the plan (analyzer) — accepted and stored, never required. */
  source: z.union([PlanSourceSchema, OriginSchema]).optional(),
  detected_tools: z.array(z.string()).default([]),
  evidence: z.array(EvidenceSchema).default([]),
  warnings: z.array(z.string()).default([]),
  /** Other ways the README documents to run the server; the review form can switch to one. */
  alternatives: z.array(PlanAlternativeSchema).max(10).optional(),
  /** Command-line values the user fills in (their placeholders were left out of `args`). */
  arg_fields: z.array(ArgFieldSchema).max(20).optional(),
  active: z.boolean().default(true),
}).superRefine((plan, ctx) => {
  if (plan.runtime === "remote" && !plan.url) {
    ctx.addIssue({ code: "custom", path: ["url"], message: "remote servers need a url" });
  }
  if (plan.runtime === "remote" && plan.mounts.length > 0) {
    ctx.addIssue({
      code: "custom",
      path: ["mounts"],
      message: "remote servers run in no container: they cannot mount host folders",
    });
  }
  if (plan.runtime !== "remote" && !plan.command && plan.runtime !== "image") {
    ctx.addIssue({ code: "custom", path: ["command"], message: "a command is required" });
  }
  if (plan.network === "none" && plan.runtime !== "remote" && plan.transport !== "stdio") {
    ctx.addIssue({
      code: "custom",
      path: ["network"],
      message: `${plan.transport} servers are reached over a published port: use egress`,
    });
  }
  if (plan.runtime === "image" && !plan.image && !plan.build) {
    ctx.addIssue({
      code: "custom",
      path: ["image"],
      message: "image servers need an image (or a repository build)",
    });
  }
  const keys = new Set<string>();
  plan.env.forEach((spec, i) => {
    if (keys.has(spec.key)) {
      ctx.addIssue({
        code: "custom",
        path: ["env", i, "key"],
        message: `duplicate env key ${spec.key}`,
      });
    }
    keys.add(spec.key);
  });
});
/** A plan as the analyzer returns it and `POST /api/servers` accepts it. */
export type Plan = z.infer<typeof PlanSchema>;

/** An MCP protocol generation: `modern` = 2026-07-28 and later, `legacy` = 2025-era revisions. */
export const ProtocolEraSchema = z.enum(["modern", "legacy"]);
/** An MCP protocol generation. */
export type ProtocolEra = z.infer<typeof ProtocolEraSchema>;

/** Tool, resource and prompt descriptors cached from the last successful load. */
export const CapabilitiesSchema = z.object({
  tools: z.array(
    z.object({
      name: z.string(),
      title: z.string().optional(),
      description: z.string().optional(),
      inputSchema: z.record(z.string(), z.unknown()).default({ type: "object" }),
      outputSchema: z.record(z.string(), z.unknown()).optional(),
      annotations: z.record(z.string(), z.unknown()).optional(),
    }).passthrough(),
  ).default([]),
  resources: z.array(z.record(z.string(), z.unknown())).default([]),
  resource_templates: z.array(z.record(z.string(), z.unknown())).default([]),
  prompts: z.array(z.record(z.string(), z.unknown())).default([]),
  server_capabilities: z.record(z.string(), z.unknown()).default({}),
  /** The server's own `serverInfo` from `initialize` (name, version, title). */
  server_info: z.object({
    name: z.string(),
    version: z.string().optional(),
    title: z.string().optional(),
  }).passthrough().optional(),
  /** The server's `instructions` from `initialize`, if it sent any. */
  instructions: z.string().optional(),
  /**
   * The protocol generation the server spoke when this was fetched: `modern` (2026-07-28 and
   * later, via `server/discover`) or `legacy` (2025-era `initialize`). Absent in older caches.
   */
  protocol_era: ProtocolEraSchema.optional(),
  /** The negotiated protocol revision, e.g. `2026-07-28` or `2025-11-25`. */
  protocol_version: z.string().optional(),
  fetched_at: z.string(),
});
/** Cached downstream capabilities. */
export type Capabilities = z.infer<typeof CapabilitiesSchema>;

/** Result of the last test/launch. */
export const HealthSchema = z.object({
  ok: z.boolean(),
  checked_at: z.string(),
  error: z.string().nullable().default(null),
  /** The remote server answered 401: the router must be authorized there (OAuth) first. */
  needs_authorization: z.boolean().optional(),
});
/** Result of the last test/launch. */
export type Health = z.infer<typeof HealthSchema>;

/** A stored server record. */
export const ServerRecordSchema = LaunchFieldsSchema.extend({
  id: z.string(),
  name: ServerNameSchema,
  display_name: z.string(),
  description: z.string(),
  source: OriginSchema,
  plan_source: PlanSourceSchema.default("user"),
  capabilities: CapabilitiesSchema.nullable().default(null),
  active: z.boolean().default(true),
  health: HealthSchema.nullable().default(null),
  created_at: z.string(),
  updated_at: z.string(),
});
/** A stored server record. */
export type ServerRecord = z.infer<typeof ServerRecordSchema>;
