/**
 * @module What an env var's name says: no setting a user fills for a server (toolchain and
 * machine variables, prefixes, example names, npm's own config), or a secret.
 */

/**
 * Names that are no setting of the server: a prefix (`MDB_MCP_`, `SIMCTL_CHILD_`), example names
 * (`FOO`, `BAR`), npm's own config (`NPM_CONFIG_IGNORE_SCRIPTS`), or a toolchain variable.
 */
export function notASetting(key: string): boolean {
  return TOOLCHAIN_ENV.has(key) || key.endsWith("_") || /^(FOO|BAR|BAZ|QUX|QUUX)$/.test(key) ||
    /^NPM_CONFIG_/.test(key);
}

/** Machine/toolchain variables that clients need but a containerised server does not. */
export const TOOLCHAIN_ENV = new Set([
  "PATH",
  "HOME",
  "USER",
  "SHELL",
  "TMPDIR",
  "GOPATH",
  "GOCACHE",
  "GOMODCACHE",
  "GOROOT",
  "GOBIN",
  "PYTHONPATH",
  "PYTHONIOENCODING",
  "PYTHONUNBUFFERED",
  "VIRTUAL_ENV",
  "NODE_OPTIONS",
  "NODE_PATH",
  "NODE_EXTRA_CA_CERTS",
  "NODE_TLS_REJECT_UNAUTHORIZED",
  "UV_PYTHON_PREFERENCE",
  "UV_PYTHON",
  "UV_NATIVE_TLS",
  "SSL_CERT_FILE",
  "REQUESTS_CA_BUNDLE",
  "APPDATA",
  "USERPROFILE",
  "LOCALAPPDATA",
  "DISPLAY",
  "TERM",
  "LANG",
  "LC_ALL",
]);

/** Guess whether a variable holds a secret from its name. */
export function looksSecret(key: string): boolean {
  return /(KEY|TOKEN|SECRET|PASSWORD|PASSWD|PASS|CREDENTIALS?|PRIVATE|AUTH)(_|$)/.test(key) &&
    !/(_URL|_HOST|_PORT|_PATH|_FILE|_DIR|_ID|_NAME)$/.test(key);
}
