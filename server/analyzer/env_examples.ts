/**
 * @module What the README's example launches say of one env var: the same plain word in every
 * example (a working value), a different word in each (a mode switch), a numbered fallback of
 * another key, or a flag that passes the key's value.
 */
import { isPlaceholder, looksSecret } from "./env_names.ts";

/**
 * Whether every example setting `key` gives it one plain word (`main`, `neo4j`): a working
 * value (a user name or host is the user's own, even when it reads `root` or `localhost`).
 */
export function sameConcreteWord(
  examples: { env: Record<string, string> }[],
  key: string,
): boolean {
  const values = new Set(examples.filter((c) => key in c.env).map((c) => c.env[key]));
  const [only] = values;
  return values.size === 1 && /^[a-z][a-z0-9]{1,15}$/.test(only) && !isPlaceholder(only) &&
    !/^(user(name)?|pass(word)?|token|secret|key|apikey|name|db|database|host)$/.test(only);
}

/** Whether several examples give `key` different one-word values (`User_Password`, `Salesforce_CLI`). */
export function modeSwitch(examples: { env: Record<string, string> }[], key: string): boolean {
  const values = examples.filter((c) => key in c.env).map((c) => c.env[key]);
  return values.length >= 2 && new Set(values).size === values.length &&
    values.every((v) => /^[A-Za-z][\w.-]{1,40}$/.test(v) && !isPlaceholder(v));
}

/** `X_KEY2`, `X_KEY_3` beside `X_KEY` (or `X_KEY1`): another of the same, a fallback, never needed. */
export function numberedFallback(key: string, keys: string[]): boolean {
  const m = key.match(/^(.*[A-Z])_?([2-9])$/);
  return !!m && keys.some((k) => k === m[1] || k === `${m[1]}1` || k === `${m[1]}_1`);
}

/** Whether a `--flag[=value]` argument passes a secret env var's value (`--read-token` ~ `X_READ_TOKEN`). */
export function flagFor(arg: string, key: string, next?: string): boolean {
  const m = arg.match(/^--([a-z][a-z0-9-]*)(=|$)/i);
  if (!m) return false;
  const name = m[1].toUpperCase().replace(/-/g, "_");
  if (looksSecret(name) && (key === name || key.endsWith(`_${name}`))) return true;
  // A setting passed as a placeholder flag (`--db-url <url>` for NEO4J_URL, `--username <you>`).
  const value = m[2] ? arg.slice(m[0].length) : next ?? "";
  const last = (k: string) => k.split("_").pop() ?? "";
  return !!value && !value.startsWith("-") && (isPlaceholder(value) || /x{4}/i.test(value)) &&
    // (`--client-id` ~ X_CLIENT_ID: the whole name; a bare `--id` names nothing.)
    ((name.length >= 5 && (key === name || key.endsWith(`_${name}`))) ||
      // (`--db-url` ~ NEO4J_URL; but any two files or folders are not one setting:
      // `--service-config-file` is no SNOWFLAKE_PRIVATE_KEY_FILE.)
      (last(name).length >= 3 && last(name) === last(key) &&
        !/^(FILE|PATH|DIR|DIRECTORY|FOLDER|ROOT|CWD)$/.test(last(key))));
}
