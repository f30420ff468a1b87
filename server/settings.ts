/**
 * @module Settings: the sole reader of `MCP_ROUTER_*` environment variables and CLI flags.
 *
 * Every other module receives a parsed {@linkcode Settings} object; nothing else reads the
 * environment.
 */
import { z } from "zod";

const DEFAULT_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";

function defaultDataDir(env: Record<string, string | undefined>): string {
  const xdg = env.XDG_DATA_HOME;
  if (xdg) return `${xdg}/mcp-router`;
  const home = env.HOME ?? env.USERPROFILE ?? ".";
  return `${home}/.local/share/mcp-router`;
}

function defaultPodmanSocket(env: Record<string, string | undefined>): string {
  const runtimeDir = env.XDG_RUNTIME_DIR ?? `/run/user/${Deno.uid?.() ?? 0}`;
  return `${runtimeDir}/podman/podman.sock`;
}

/** A base URL, or `off` to disable what uses it ("" once parsed). */
const urlOrOff = z.union([z.enum(["off", ""]).transform(() => ""), z.string().url()]);
const csv = z.string().transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean));
const bool = z.union([z.boolean(), z.enum(["1", "0", "true", "false", "yes", "no"])]).transform(
  (v) => v === true || v === "1" || v === "true" || v === "yes",
);

/** The router's whole configuration, validated. */
export const SettingsSchema = z.object({
  dataDir: z.string().min(1),
  host: z.string().min(1).default("127.0.0.1"),
  port: z.coerce.number().int().min(0).max(65535).default(8080),
  podmanSocket: z.string().min(1),
  /**
   * CA bundle mounted into containers for their outbound TLS; empty string disables. (The
   * router's own fetches trust Deno's store: `DENO_TLS_CA_STORE`, `DENO_CERT`.)
   */
  caBundle: z.string().default(DEFAULT_CA_BUNDLE),
  /** Base image the runtime images build FROM (Docker Hub users: `docker.io/library/debian:trixie-slim`). */
  baseImage: z.string().default("localhost/mcp-router-base:trixie"),
  nodeImage: z.string().default("localhost/mcp-router-node"),
  uvImage: z.string().default("localhost/mcp-router-uv"),
  sandboxImage: z.string().default("localhost/mcp-router-sandbox"),
  /** Debian mirror used by debootstrap and apt inside image builds. */
  debianMirror: z.string().default("http://deb.debian.org/debian"),
  anthropicApiKey: z.string().optional(),
  anthropicModel: z.string().default("claude-sonnet-5-5"),
  anthropicBaseUrl: z.string().url().optional(),
  githubToken: z.string().optional(),
  githubApiUrl: z.string().url().default("https://api.github.com"),
  /** npm registry read for `npx:` packages' descriptions (`off` disables the lookup). */
  npmRegistryUrl: urlOrOff.default("https://registry.npmjs.org"),
  /** PyPI read for `uvx:` packages' descriptions (`off` disables the lookup). */
  pypiUrl: urlOrOff.default("https://pypi.org"),
  /** `servers`: one tool per server; `tools`: every server's tools flattened. */
  expose: z.enum(["servers", "tools"]).default("servers"),
  sessionIdleTimeoutMs: z.coerce.number().int().positive().default(10 * 60_000),
  maxContainers: z.coerce.number().int().positive().default(16),
  maxContainersPerServer: z.coerce.number().int().positive().default(8),
  callTimeoutMs: z.coerce.number().int().positive().default(120_000),
  startTimeoutMs: z.coerce.number().int().positive().default(120_000),
  containerMemoryMb: z.coerce.number().int().positive().default(1024),
  containerPids: z.coerce.number().int().positive().default(512),
  containerCpus: z.coerce.number().positive().default(1),
  sandboxTimeoutS: z.coerce.number().positive().default(30),
  sandboxMaxTimeoutS: z.coerce.number().positive().default(300),
  sandboxNetwork: bool.default(false),
  /** Memory cap of one sandbox's whole process tree (watchdog; cgroup too where it holds). */
  sandboxMemoryMb: z.coerce.number().int().min(64).default(2048),
  allowedOrigins: csv.or(z.array(z.string())).default([]),
  allowedHosts: csv.or(z.array(z.string())).default([]),
  /**
   * Host names, IPs or CIDRs (`mcp.lan`, `10.1.2.3`, `10.0.0.0/8`, `*.corp.example`) whose
   * loopback or private addresses remote MCP servers may use even when keys are required;
   * link-local and cloud-metadata addresses and the router's own listener stay refused.
   */
  allowedRemoteHosts: csv.or(z.array(z.string())).default([]).refine(
    (list) => list.every((h) => /^[A-Za-z0-9._:*\[\]-]+(\/\d{1,3})?$/.test(h)),
    { message: "comma-separated host names, IP addresses or CIDRs" },
  ),
  /**
   * Host folders (colon-separated) that plan `mounts` may come from; a source must resolve inside
   * one of them. Empty (default): every mount is refused.
   */
  mountRoots: z.string().transform((s) => s.split(":").map((x) => x.trim()).filter(Boolean))
    .or(z.array(z.string())).default([]).refine(
      (list) => list.every((p) => p.startsWith("/")),
      { message: "colon-separated absolute host folders" },
    ),
  /** Proxies (IPs or CIDRs) whose `X-Forwarded-For` names the real client. */
  trustedProxies: csv.or(z.array(z.string())).default([]),
  maxBodyBytes: z.coerce.number().int().positive().default(1_048_576),
  maxJsonDepth: z.coerce.number().int().positive().default(64),
  toolCallsPerMinute: z.coerce.number().int().positive().default(600),
  maxSessionsPerKey: z.coerce.number().int().positive().default(32),
  auditRetentionDays: z.coerce.number().int().positive().default(30),
  logLevel: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /**
   * OAuth test mode (conformance runs only): a client id pre-registered with loopback
   * `/callback` redirect URIs whose consent is approved without sign-in. Refused at start-up
   * unless the router listens on loopback.
   */
  oauthTestClient: z.string().regex(/^[A-Za-z0-9._~-]{1,100}$/).optional(),
  /**
   * An external authorization server to trust instead of the embedded one: its issuer URL
   * (JWT `iss`; the JWKS comes from its metadata unless `oauthJwksUrl` is set).
   */
  oauthIssuer: z.string().url().refine(
    (u) => /^https:\/\//.test(u) || /^http:\/\/(127\.0\.0\.1|localhost)[:/]/.test(u),
    {
      message: "the issuer must be an https URL",
    },
  ).optional(),
  /** The `aud` external tokens must carry (default: the router's `/mcp` URI). */
  oauthAudience: z.string().min(1).optional(),
  /** The external issuer's JWKS URL, when its metadata does not name one. */
  oauthJwksUrl: z.string().url().optional(),
});
/** The router's whole configuration. */
export type Settings = z.infer<typeof SettingsSchema>;

/** Environment variable → settings field. */
const ENV_MAP: Record<string, keyof Settings> = {
  MCP_ROUTER_DATA: "dataDir",
  MCP_ROUTER_HOST: "host",
  MCP_ROUTER_PORT: "port",
  MCP_ROUTER_PODMAN_SOCKET: "podmanSocket",
  MCP_ROUTER_CA_BUNDLE: "caBundle",
  MCP_ROUTER_BASE_IMAGE: "baseImage",
  MCP_ROUTER_NODE_IMAGE: "nodeImage",
  MCP_ROUTER_UV_IMAGE: "uvImage",
  MCP_ROUTER_SANDBOX_IMAGE: "sandboxImage",
  MCP_ROUTER_DEBIAN_MIRROR: "debianMirror",
  ANTHROPIC_API_KEY: "anthropicApiKey",
  MCP_ROUTER_ANTHROPIC_MODEL: "anthropicModel",
  MCP_ROUTER_ANTHROPIC_BASE_URL: "anthropicBaseUrl",
  GITHUB_TOKEN: "githubToken",
  MCP_ROUTER_GITHUB_API_URL: "githubApiUrl",
  MCP_ROUTER_NPM_REGISTRY: "npmRegistryUrl",
  MCP_ROUTER_PYPI_URL: "pypiUrl",
  MCP_ROUTER_EXPOSE: "expose",
  MCP_ROUTER_SESSION_IDLE_TIMEOUT_MS: "sessionIdleTimeoutMs",
  MCP_ROUTER_MAX_CONTAINERS: "maxContainers",
  MCP_ROUTER_MAX_CONTAINERS_PER_SERVER: "maxContainersPerServer",
  MCP_ROUTER_CALL_TIMEOUT_MS: "callTimeoutMs",
  MCP_ROUTER_START_TIMEOUT_MS: "startTimeoutMs",
  MCP_ROUTER_CONTAINER_MEMORY_MB: "containerMemoryMb",
  MCP_ROUTER_CONTAINER_PIDS: "containerPids",
  MCP_ROUTER_CONTAINER_CPUS: "containerCpus",
  MCP_ROUTER_SANDBOX_TIMEOUT_S: "sandboxTimeoutS",
  MCP_ROUTER_SANDBOX_MAX_TIMEOUT_S: "sandboxMaxTimeoutS",
  MCP_ROUTER_SANDBOX_NETWORK: "sandboxNetwork",
  MCP_ROUTER_SANDBOX_MEMORY_MB: "sandboxMemoryMb",
  MCP_ROUTER_ALLOWED_ORIGINS: "allowedOrigins",
  MCP_ROUTER_ALLOWED_HOSTS: "allowedHosts",
  MCP_ROUTER_ALLOWED_REMOTE_HOSTS: "allowedRemoteHosts",
  MCP_ROUTER_TRUSTED_PROXIES: "trustedProxies",
  MCP_ROUTER_MOUNT_ROOTS: "mountRoots",
  MCP_ROUTER_MAX_BODY_BYTES: "maxBodyBytes",
  MCP_ROUTER_MAX_JSON_DEPTH: "maxJsonDepth",
  MCP_ROUTER_TOOL_CALLS_PER_MINUTE: "toolCallsPerMinute",
  MCP_ROUTER_MAX_SESSIONS_PER_KEY: "maxSessionsPerKey",
  MCP_ROUTER_AUDIT_RETENTION_DAYS: "auditRetentionDays",
  MCP_ROUTER_LOG_LEVEL: "logLevel",
  MCP_ROUTER_OAUTH_TEST_CLIENT: "oauthTestClient",
  MCP_ROUTER_OAUTH_ISSUER: "oauthIssuer",
  MCP_ROUTER_OAUTH_AUDIENCE: "oauthAudience",
  MCP_ROUTER_OAUTH_JWKS_URL: "oauthJwksUrl",
};

/** The environment variable names settings are read from (for docs and `--help`). */
export const SETTINGS_ENV_VARS: readonly string[] = Object.keys(ENV_MAP);

/** Settings that hold secrets: never copied into a generated config file. */
const SECRET_ENV_VARS = new Set(["ANTHROPIC_API_KEY", "GITHUB_TOKEN"]);
/** Settings of the HTTP listener, meaningless to a stdio router. */
const LISTENER_ENV_VARS = new Set(["MCP_ROUTER_HOST", "MCP_ROUTER_PORT"]);
/** Non-settings variables a spawned router needs to behave the same (TLS trust store). */
const RUNTIME_ENV_VARS = ["DENO_TLS_CA_STORE", "DENO_CERT"];

/**
 * The variables set in `env` that a router spawned elsewhere (Claude Desktop's stdio entry)
 * must inherit to use the same Podman socket, CA bundle, images and limits: every settings
 * variable that is set, except the listener's and the secrets, plus Deno's TLS trust settings.
 * @param env the environment this command or server runs with
 */
export function inheritableSettingsEnv(
  env: Record<string, string | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...SETTINGS_ENV_VARS, ...RUNTIME_ENV_VARS]) {
    const value = env[name];
    if (value === undefined || value === "") continue;
    if (SECRET_ENV_VARS.has(name) || LISTENER_ENV_VARS.has(name)) continue;
    out[name] = value;
  }
  return out;
}

/** Thrown when settings fail validation; the message names each bad variable. */
export class SettingsError extends Error {
  override name = "SettingsError";
}

/**
 * Build settings from an environment map plus explicit overrides (CLI flags, tests).
 * @param env environment variables (default: `Deno.env.toObject()`)
 * @param overrides values that win over the environment
 * @throws {SettingsError} when a value is invalid
 */
export function loadSettings(
  env: Record<string, string | undefined> = Deno.env.toObject(),
  overrides: Partial<Record<keyof Settings, unknown>> = {},
): Settings {
  const raw: Record<string, unknown> = {
    dataDir: defaultDataDir(env),
    podmanSocket: defaultPodmanSocket(env),
  };
  for (const [envName, field] of Object.entries(ENV_MAP)) {
    const value = env[envName];
    if (value !== undefined && value !== "") raw[field] = value;
  }
  Object.assign(raw, overrides);
  const parsed = SettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const fieldToEnv = Object.fromEntries(Object.entries(ENV_MAP).map(([k, v]) => [v, k]));
    const detail = parsed.error.issues.map((i) => {
      const field = String(i.path[0]);
      return `${fieldToEnv[field] ?? field}: ${i.message}`;
    }).join("; ");
    throw new SettingsError(`invalid settings: ${detail}`);
  }
  return parsed.data;
}

/** Settings for tests: in-memory-friendly defaults under a given data dir. */
export function testSettings(overrides: Partial<Record<keyof Settings, unknown>> = {}): Settings {
  return loadSettings({ HOME: "/nonexistent" }, {
    dataDir: ":memory:",
    npmRegistryUrl: "off",
    pypiUrl: "off",
    ...overrides,
  });
}
