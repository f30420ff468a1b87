/**
 * @module Key arguments in a launch (`--api-key YOUR_API_KEY`, `--token=<token>`): a key the README
 * names as an environment variable moves there; a placeholder with no such variable is dropped
 * from the arguments and becomes a field the user fills — never passed on literally.
 */
import { isPlaceholder, looksSecret } from "./env_names.ts";

const SECRET_FLAG_RE =
  /^--?([a-z0-9-]*(?:api[-_]?key|token|secret|password|access[-_]?key|(?:service|anon|private|secret|license|master|auth)[-_]key))(?:=(.*))?$/i;

/** A database/queue connection string: an example of the user's own service, never a default. */
export const DATA_STORE_URL_RE =
  /^(postgres(ql)?|mysql|mariadb|mongodb(\+srv)?|rediss?|amqps?|sqlserver|mssql|clickhouse|neo4j(\+s)?|bolt):\/\//i;

/** Service words of a connection-string scheme, as they appear in env names. */
const SCHEME_WORDS: Record<string, string[]> = {
  postgres: ["POSTGRES", "PG", "DATABASE", "DB"],
  mysql: ["MYSQL", "DATABASE", "DB"],
  mariadb: ["MARIADB", "MYSQL", "DATABASE", "DB"],
  mongodb: ["MONGO", "MONGODB", "DATABASE", "DB"],
  redis: ["REDIS"],
  amqp: ["AMQP", "RABBIT", "RABBITMQ"],
  sqlserver: ["MSSQL", "SQLSERVER", "DATABASE", "DB"],
  clickhouse: ["CLICKHOUSE"],
  neo4j: ["NEO4J"],
  bolt: ["NEO4J", "BOLT"],
};

/** The one documented env key holding a connection string of this scheme (`MCP_MONGODB_URI`). */
function connectionKey(url: string, knownKeys: ReadonlySet<string>): string | null {
  const scheme = url.match(/^([a-z]+)/i)![1].toLowerCase().replace(/ql$|s$/, "");
  const words = SCHEME_WORDS[scheme] ?? SCHEME_WORDS[scheme.replace(/s$/, "")] ?? [];
  const hits = [...knownKeys].filter((k) =>
    /(URI|URL|DSN|CONNECTION_STRING|CONN_STR|CONNECTION)$/.test(k) &&
    k.split("_").some((t) => words.includes(t))
  );
  return hits.length === 1 ? hits[0] : null;
}

/** Flags naming who the user is (`--username`, `--email`, `--login`). */
const IDENTITY_FLAG_RE = /^--?([a-z0-9-]*(?:user-?name|email|login))(?:=(.*))?$/i;

/** A command-line value the user must supply (its placeholder was dropped from the args). */
export interface ArgField {
  flag: string;
  description: string;
  required: boolean;
  secret: boolean;
  /** The README wrote `flag=value` (one argument). */
  equals: boolean;
}

/** Result of {@linkcode moveSecretArgs}. */
export interface MovedArgs {
  args: string[];
  /** Env keys that now carry the argument's value. */
  env: string[];
  /** Placeholder key arguments dropped from `args`, for the user to fill. */
  fields: ArgField[];
  warnings: string[];
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The environment variable the README says a flag defaults to or reads from: in a line that
 * documents the flag, "`name` env var" or "environment variable `NAME`".
 */
export function flagEnvVar(flag: string, readme: string): string | null {
  const flagRe = new RegExp(`(^|[^\\w-])${escapeRe(flag)}(?![\\w-])`);
  for (const line of readme.split(/\r?\n/)) {
    if (!flagRe.test(line)) continue;
    const m = line.match(/`([A-Za-z_][A-Za-z0-9_]{2,})`\s*(?:env(?:ironment)?\b|variable)/) ??
      line.match(/env(?:ironment)?[ _-]?var(?:iable)?s?\s*`([A-Za-z_][A-Za-z0-9_]{2,})`/i) ??
      // "`--token` - GitLab token (replaces `GITLAB_PERSONAL_ACCESS_TOKEN`)"
      line.match(
        /\b(?:replaces|same as|equivalent to|overrides|alias (?:for|of)|instead of)\s+`([A-Z][A-Z0-9_]{2,})`/,
      ) ??
      // "* `--service-key <key>` or `SUPABASE_SERVICE_ROLE_KEY=<key>`: …": the flag or its twin.
      line.match(/^\s*(?:[-*+]\s+)?`[^`]*`\s+or\s+`([A-Z][A-Z0-9_]{2,})=[^`]*`/);
    if (m && m[1].includes("_")) return m[1];
  }
  return null;
}

/** The one `…_API_KEY`-style name (for flag `API_KEY`) the README mentions anywhere, if only one. */
function soleMention(readme: string, fromFlag: string): string | null {
  const re = new RegExp(`\\b[A-Z][A-Z0-9_]*_${fromFlag}\\b`, "g");
  const names = new Set((readme.match(re) ?? []).filter((n) => !/^(YOUR|MY|THE)_/.test(n)));
  return names.size === 1 ? [...names][0] : null;
}

/** A flag's value that only names what to put there (`-p password`). */
const SECRET_WORD_RE = /^(password|passwd|secret|token|api[-_]?key)$/i;

/** The long flag a README line pairs with a short one (`| \`--app-id\` | \`-a\` |`), if any. */
function longAlias(short: string, readme: string): string | null {
  const tick = new RegExp("`" + escapeRe(short) + "`");
  for (const line of readme.split(/\r?\n/)) {
    if (!tick.test(line)) continue;
    const long = line.match(/`(--[a-z][a-z0-9-]+)`/i);
    if (long) return long[1];
  }
  return null;
}

/**
 * A non-key flag whose value is the user's to fill: a placeholder (`--uc_server "<your url>"`)
 * whose setting the README also names as an env var (`UC_SERVER`) moves there; a value that is
 * just the word for a secret (`-p password`) is dropped and becomes a field (key null).
 */
function placeholderTwin(
  args: readonly string[],
  i: number,
  knownKeys: ReadonlySet<string>,
  readme: string,
): { flag: string; value: string; key: string | null; takesNext: boolean } | null {
  const a = args[i];
  const fm = a.match(/^--?([a-z][a-z0-9_-]*)(?:=(.*))?$/i);
  if (!fm) return null;
  const next = args[i + 1];
  const value = fm[2] ?? (next !== undefined && !next.startsWith("-") ? next : "");
  if (!value) return null;
  const flag = a.replace(/=.*$/, "");
  const takesNext = fm[2] === undefined;
  const documented = flagEnvVar(flag, readme);
  if (SECRET_WORD_RE.test(value)) return { flag, value, key: documented, takesNext };
  // `-t abcd123` where the README says `-t` is the `monday_token` env var: the user's secret.
  if (
    documented && looksSecret(documented.toUpperCase()) && !/[/@:]/.test(value) &&
    new RegExp(`\`${escapeRe(flag)}\``).test(readme)
  ) {
    return { flag, value, key: documented, takesNext };
  }
  // A connection string (`--connection-string postgresql://user:password@host/db`) is the user's
  // own service, as a placeholder is.
  const dsn = DATA_STORE_URL_RE.test(value);
  // A short flag (`-a`) is read by the long name the README pairs it with (`--app-id`).
  const long = fm[1].length < 3 ? longAlias(flag, readme) : flag;
  if ((!isPlaceholder(value) || value.includes("/")) && !dsn || !long) return null;
  // `--clientId` / `--client-id` / `--client_id` all name CLIENT_ID.
  const name = long.replace(/^-+/, "").replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase()
    .replace(/-/g, "_");
  // (A folder or file flag — `--directory $REPO_DIR` — is a path to fill in place, not a setting.)
  if (/(^|_)(DIRECTORY|DIR|PATH|FILE|CWD|FOLDER|ROOT)$/.test(name)) return null;
  const key = documented ??
    [...knownKeys].find((k) => k === name || k.endsWith(`_${name}`)) ??
    soleMention(readme, name);
  return key ? { flag, value, key, takesNext } : null;
}

/**
 * Move `--api-key VALUE`-style arguments into the environment variables the README names, and
 * drop unnamed placeholder values.
 * @param args the launch's arguments
 * @param knownKeys every env key the README mentions (docs, config `env`, headers)
 * @param readme README text
 */
export function moveSecretArgs(
  args: readonly string[],
  knownKeys: ReadonlySet<string>,
  readme: string,
): MovedArgs {
  const out: MovedArgs = { args: [], env: [], fields: [], warnings: [] };
  // (`<SINGLESTORE_API_KEY>`, only ever a value to replace, names no variable.)
  const nameText = readme.replace(/<[A-Z][A-Z0-9_]*>|\[[A-Z][A-Z0-9_]*\]/g, "");
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    // VS Code's prompt (`--db-path ${input:db_path}`): the user's value, asked for by the form.
    const prompt = a.match(/^(?:(-[^=\s]+)=)?\$\{input:([\w.-]+)\}$/);
    const promptFlag = prompt?.[1] ??
      (/^-[^=\s]+$/.test(out.args.at(-1) ?? "") ? out.args.at(-1) : null);
    if (prompt && promptFlag) {
      if (!prompt[1]) out.args.pop();
      out.fields.push({
        flag: promptFlag,
        equals: !!prompt[1],
        description: `value for ${promptFlag} (VS Code asks for "${prompt[2]}")`,
        required: true,
        secret: looksSecret(prompt[2].toUpperCase().replace(/[-.]/g, "_")),
      });
      out.warnings.push(`${promptFlag} needs your value: it was left out of the arguments`);
      continue;
    }
    // `-u GRAFANA_URL -k GRAFANA_API_KEY`: the value is the name of a variable the README
    // documents, a placeholder for it — the variable carries it instead.
    const named = a.match(/^(-[^=\s]+)=([A-Z][A-Z0-9]*_[A-Z0-9_]+)$/)?.[2] ??
      (/^-[^=\s]+$/.test(a) && /^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/.test(args[i + 1] ?? "")
        ? args[i + 1]
        : null);
    if (named && knownKeys.has(named)) {
      if (!a.includes("=")) i++;
      out.env.push(named);
      continue;
    }
    const m = a.match(SECRET_FLAG_RE);
    // A positional connection string (`mongodb://user:pass@host/db`) with a documented env var
    // for it (MCP_MONGODB_URI) goes there: the user's own database, never a literal example.
    const dsnKey = !m && DATA_STORE_URL_RE.test(a) && !(args[i - 1] ?? "").startsWith("-")
      ? connectionKey(a, knownKeys)
      : null;
    if (dsnKey) {
      out.env.push(dsnKey);
      continue;
    }
    // `--username=YOUR_DOCKER_HUB_USERNAME`: an identity placeholder is the user's to fill too.
    const idm = !m ? a.match(IDENTITY_FLAG_RE) : null;
    // `--username=` left empty (optional SASL credentials): nothing to pass.
    if (idm && idm[2] === "") {
      out.fields.push({
        flag: a.slice(0, -1),
        equals: true,
        description: `value for ${a.slice(0, -1)} (empty in the README)`,
        required: false,
        secret: false,
      });
      continue;
    }
    if (idm) {
      const next = args[i + 1];
      const value = idm[2] ?? (next !== undefined && !next.startsWith("-") ? next : "");
      if (value !== "" && isPlaceholder(value) && !value.includes("/")) {
        if (idm[2] === undefined) i++;
        const flag = a.replace(/=.*$/, "");
        const named = [...knownKeys].find((k) =>
          k.endsWith(`_${idm[1].toUpperCase().replace(/-/g, "_")}`)
        );
        if (named) out.env.push(named);
        else {
          out.fields.push({
            flag,
            description: `value for ${flag} (the README shows ${value})`,
            required: true,
            secret: false,
            equals: idm[2] !== undefined,
          });
          out.warnings.push(`${flag} needs your value: it was left out of the arguments`);
        }
        continue;
      }
    }
    if (!m) {
      const twin = placeholderTwin(args, i, knownKeys, readme);
      if (twin) {
        if (twin.takesNext) i++;
        if (twin.key) out.env.push(twin.key);
        else {
          out.fields.push({
            flag: twin.flag,
            description: `value for ${twin.flag} (the README shows ${twin.value})`,
            required: true,
            secret: true,
            equals: !twin.takesNext,
          });
          out.warnings.push(`${twin.flag} needs your value: it was left out of the arguments`);
        }
        continue;
      }
      out.args.push(a);
      continue;
    }
    const next = args[i + 1];
    const value = m[2] ?? (next !== undefined && !next.startsWith("-") ? next : "");
    const takesNext = m[2] === undefined && value !== "";
    const flagName = a.replace(/=.*$/, "");
    // (`--apiKey` is API_KEY.)
    const fromFlag = m[1].replace(/([a-z0-9])([A-Z])/g, "$1_$2").toUpperCase().replace(/-/g, "_");
    const fromValue = value.replace(/^<|>$/g, "").replace(/^YOUR_/i, "").replace(/_HERE$/i, "");
    // A bare word (`TOKEN`) in prose is no variable: only a documented key or an `A_B` name.
    const mentioned = (k: string) =>
      /^[A-Z][A-Z0-9_]{2,}$/.test(k) &&
      (knownKeys.has(k) ||
        (k.includes("_") && new RegExp(`(^|[^A-Za-z0-9_])${k}([^A-Za-z0-9_]|$)`).test(nameText)));
    const key = flagEnvVar(flagName, readme) ??
      [fromValue, fromFlag].find(mentioned) ??
      [...knownKeys].find((k) => k.endsWith(`_${fromFlag}`) || k === fromFlag) ??
      soleMention(nameText, fromFlag);
    const placeholder = value === "" || isPlaceholder(value) || /^\$\{/.test(value);
    if (key) {
      if (takesNext) i++;
      out.env.push(key);
      continue;
    }
    if (placeholder) {
      if (takesNext) i++;
      out.fields.push({
        flag: flagName,
        description: `value for ${flagName} (the README shows ${value || "no value"})`,
        required: true,
        secret: true,
        equals: m[2] !== undefined,
      });
      out.warnings.push(`${flagName} needs your value: it was left out of the arguments`);
      continue;
    }
    out.args.push(a);
    out.warnings.push(
      `argument ${m[1]} passes a secret on the command line; edit it before saving`,
    );
  }
  return out;
}
