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
    /^NPM_CONFIG_/.test(key) ||
    // A table of REST endpoints (`POST` | `/uploads`): HTTP methods, not variables.
    /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)$/.test(key);
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
  "NODE_VERSION",
  "NVM_DIR",
  "NVM_BIN",
  "PYENV_VERSION",
  "UV_PATH",
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
  const k = key.toUpperCase();
  if (/(^|_)(ACCESS_KEY_ID|CONNECTION_STRING|DATABASE_URL|DATABASE_URI|API_HASH)$/.test(k)) {
    return true;
  }
  // Token counts, public keys and keys that are identifiers (a Jira or commercetools project key).
  if (
    /(^|_)(MAX|MIN|MAXIMUM|MINIMUM|NUM)_TOKENS$|(^|_)(PUBLIC|PROJECT|STORE|UNIT|SPACE|ISSUE|PARTITION|SORT|PRIMARY|ROUTING|CACHE)_KEY$/
      .test(k)
  ) return false;
  // (`GOOGLE_APPLICATION_CREDENTIALS` and its kin name a credentials file, not its content.)
  if (/(^|_)(APPLICATION|OAUTH)_CREDENTIALS$/.test(k)) return false;
  return SECRET_WORD_RE.test(k) && !NOT_SECRET_SUFFIX_RE.test(k) && !SWITCH_PREFIX_RE.test(k);
}

/** A secret's word in a name: `…_KEY`, `…TOKEN_…`, `…_PAT`, `…_PWD`, `…_CRED`. */
const SECRET_WORD_RE =
  /(KEYS?|TOKENS?|SECRET|PASSWORD|PASSWD|(^|_)(PASS|PAT|PWD|TKN|CRED|AUTH)|CREDENTIALS?|PRIVATE)(_|$)/;

/** Names of a secret's settings, not the secret: where it is, what it is, how it is used. */
const NOT_SECRET_SUFFIX_RE =
  /_(URL|URI|HOST|PORT|PATH|FILE|DIR|ID|NAME|ENABLED|DISABLED|SCOPES?|TYPE|MODE|PROXY|GROUPS|HOUR|LIMIT|TIMEOUT|TTL|LENGTH|COUNT|METHOD|PROVIDER|ENDPOINT|REGION|VERSION|FORMAT|ISSUER|AUDIENCE|REQUIRED|THRESHOLD|PLUGIN|PARAMETER|USERNAME|USER|COMMAND|MS|SECONDS)$/;
/** On/off switches about a secret (`REQUIRE_REQUEST_TOKEN`, `DISABLE_AUTH`). */
const SWITCH_PREFIX_RE = /(^|_)(REQUIRE|VALIDATE|ENABLE|DISABLE|USE|ALLOW|SKIP|NO)_/;

/** Whether an env value is a placeholder for the user to fill in (`<token>`, `your-key`, `sk-...`, `votre_jeton`), not a usable default. */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return !v || /^<.*>$/.test(v) || /^\$\{?[A-Za-z_:.-]+\}?$/.test(v) ||
    // `[TOKEN]`, `{API_KEY}`, `{{api_key}}`: a bracketed name to replace.
    /^(\[[A-Za-z][\w.-]*\]|\{\{?[A-Za-z][\w.-]*\}?\})$/.test(v) ||
    // A counting sample (`123456`, `1234567890`).
    /^1234\d*$/.test(v) && "1234567890".startsWith(v) ||
    /(your|xxx|changeme|replace|here|example|\.\.\.|<|>)/i.test(v) ||
    /^(such as|e\.g\.|eg:|for example|like)\b/i.test(v) ||
    // Other languages' "your …" / "here" (pt/es/fr/de/it, zh/ja).
    // (Whole words: "ici" is inside "pricing", "aqui" inside "aquifer".)
    /(^|[_\s-])(sua|seu|votre|ton|tu|su|ihr|dein|tuo|aqu[ií]|ici)([_\s-]|$)|你的|您的|あなたの/i
      .test(
        v,
      );
}

/**
 * Upper-case words a README gives as a setting's values, not settings (`MODE=READ_ONLY`,
 * `# Options: READ_ONLY, ALL_CRUD`).
 * @param text README markdown
 */
export function settingValues(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/\b[A-Z][A-Z0-9_]{2,}=["']?([A-Z][A-Z0-9_]{2,})\b(?!=)/g)) {
    out.add(m[1]);
  }
  for (const m of text.matchAll(/#\s*(?:options?|values?|one of|choices?)\s*:\s*([^\n]+)/gi)) {
    for (const w of m[1].matchAll(/\b[A-Z][A-Z0-9_]{2,}\b/g)) out.add(w[0]);
  }
  // (`LOG_LEVEL=DEBUG` beside `DEBUG=true`: a setting too.)
  for (const v of out) if (new RegExp(`\\b${v}\\s*=`).test(text)) out.delete(v);
  return out;
}

/** A placeholder path (`/path/to/vault`, `C:\\path\\to\\x`): the user's own folder or file. */
export const PLACEHOLDER_PATH_RE = /(^|[/\\])path[/\\]to([/\\]|$)/i;
