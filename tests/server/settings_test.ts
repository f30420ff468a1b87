/** @module Settings: defaults, environment overrides, errors naming the variable, child env. */
import assert from "node:assert/strict";
import {
  inheritableSettingsEnv,
  loadSettings,
  SETTINGS_ENV_VARS,
  SettingsError,
} from "../../server/settings.ts";

Deno.test("settings - defaults follow the environment's home and runtime dirs", () => {
  const s = loadSettings({ HOME: "/home/ann", XDG_RUNTIME_DIR: "/run/user/1000" });
  assert.equal(s.dataDir, "/home/ann/.local/share/mcp-router");
  assert.equal(s.podmanSocket, "/run/user/1000/podman/podman.sock");
  assert.equal(s.host, "127.0.0.1");
  assert.equal(s.port, 8080);
  assert.equal(s.expose, "servers");
  assert.equal(s.caBundle, "/etc/ssl/certs/ca-certificates.crt");
  assert.equal(loadSettings({ XDG_DATA_HOME: "/data" }).dataDir, "/data/mcp-router");
});

Deno.test("settings - every conventional variable is read, typed and validated", () => {
  for (
    const name of [
      "MCP_ROUTER_DATA",
      "MCP_ROUTER_HOST",
      "MCP_ROUTER_PORT",
      "MCP_ROUTER_PODMAN_SOCKET",
      "MCP_ROUTER_CA_BUNDLE",
      "MCP_ROUTER_GITHUB_API_URL",
      "GITHUB_TOKEN",
      "ANTHROPIC_API_KEY",
      "MCP_ROUTER_ANTHROPIC_BASE_URL",
      "MCP_ROUTER_ANTHROPIC_MODEL",
      "MCP_ROUTER_EXPOSE",
    ]
  ) assert.ok(SETTINGS_ENV_VARS.includes(name), name);
  const s = loadSettings({
    MCP_ROUTER_DATA: "/srv/router",
    MCP_ROUTER_PORT: "9090",
    MCP_ROUTER_EXPOSE: "tools",
    MCP_ROUTER_SANDBOX_NETWORK: "yes",
    MCP_ROUTER_ALLOWED_HOSTS: "a.example, b.example,",
    MCP_ROUTER_CA_BUNDLE: "",
  });
  assert.equal(s.dataDir, "/srv/router");
  assert.equal(s.port, 9090);
  assert.equal(s.expose, "tools");
  assert.equal(s.sandboxNetwork, true);
  assert.deepEqual(s.allowedHosts, ["a.example", "b.example"]);
  // An empty variable means "unset", not "empty value".
  assert.equal(s.caBundle, "/etc/ssl/certs/ca-certificates.crt");
  // Explicit overrides (CLI flags) win over the environment.
  assert.equal(loadSettings({ MCP_ROUTER_PORT: "9090" }, { port: 7000 }).port, 7000);
});

Deno.test("settings - bad values fail with the variable's name", () => {
  assert.throws(
    () => loadSettings({ MCP_ROUTER_PORT: "eighty", MCP_ROUTER_EXPOSE: "all" }),
    (e: unknown) =>
      e instanceof SettingsError && /MCP_ROUTER_PORT/.test(e.message) &&
      /MCP_ROUTER_EXPOSE/.test(e.message),
  );
  assert.throws(() => loadSettings({ MCP_ROUTER_GITHUB_API_URL: "not a url" }), SettingsError);
});

Deno.test("settings - a spawned router inherits settings and TLS trust, never secrets", () => {
  assert.deepEqual(
    inheritableSettingsEnv({
      MCP_ROUTER_PODMAN_SOCKET: "/run/user/1001/podman/podman.sock",
      MCP_ROUTER_CA_BUNDLE: "/etc/corp-ca.pem",
      MCP_ROUTER_EXPOSE: "tools",
      MCP_ROUTER_HOST: "0.0.0.0",
      MCP_ROUTER_PORT: "80",
      MCP_ROUTER_LOG_LEVEL: "",
      ANTHROPIC_API_KEY: "sk-ant-x",
      GITHUB_TOKEN: "ghp_x",
      DENO_TLS_CA_STORE: "system",
      PATH: "/usr/bin",
    }),
    {
      MCP_ROUTER_PODMAN_SOCKET: "/run/user/1001/podman/podman.sock",
      MCP_ROUTER_CA_BUNDLE: "/etc/corp-ca.pem",
      MCP_ROUTER_EXPOSE: "tools",
      DENO_TLS_CA_STORE: "system",
    },
  );
});
