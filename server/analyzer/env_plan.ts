/**
 * @module The plan's environment variables: which keys a launch takes (the chosen launch, the
 * README's equivalent examples, config fragments, env docs, server.json and smithery.yaml), and
 * for each whether it is required and secret, with the evidence behind it.
 */
import { fromInstallLink } from "./install_links.ts";
import type { EnvVarSpec, Evidence } from "../schemas/server.ts";
import type { EnvFragment } from "./config_entries.ts";
import type { ManifestFacts } from "./manifests.ts";
import type { ReadmeBlock } from "./readme_blocks.ts";
import type { Candidate } from "./candidates.ts";
import { DATA_STORE_URL_RE } from "./secret_args.ts";
import { lastSentence } from "./env_hints.ts";
import { isPlaceholder, looksSecret, notASetting, PLACEHOLDER_PATH_RE } from "./env_names.ts";
import type { EnvDoc } from "./env_vars.ts";
import { flagFor, modeSwitch, numberedFallback, sameConcreteWord } from "./env_examples.ts";
import { DEV_SECTION_RE, modeSection } from "./sections.ts";
import {
  alternativeKeys,
  blanketOptional,
  flagDefaults,
  optionalInProse,
  optionalSecretKinds,
  requiredSecretKinds,
} from "./env_prose.ts";

/**
 * Example values that are settings already made (switches, numbers, a cloud region, this machine's
 * own addresses listed, `localhost,127.0.0.1`), not blanks to fill.
 */
const LITERAL_SETTING_RE =
  /^(true|false|yes|no|on|off|default|\d{1,6}|(localhost|127\.0\.0\.1|0\.0\.0\.0|::1|\*)(\s*,\s*(localhost|127\.0\.0\.1|0\.0\.0\.0|::1|\*))+|(us|eu|ap|sa|ca|me|af|il|mx)-(gov-)?(north|south|east|west|central|northeast|southeast|northwest|southwest)-\d|(us|europe|asia|australia|northamerica|southamerica)-[a-z]+\d)$/i;

/** A vendor's concrete public API endpoint (`https://api.pagerduty.com`, no placeholder). */
const PUBLIC_ENDPOINT_RE =
  /^https:\/\/api\.(?![^/]*(example|your|<|\{))[a-z0-9.-]+\.[a-z]{2,}(\/[^\s<>{}]*)?$/i;
/** A URL carrying a user and password (`scheme://user:pass@host`). */
const CREDENTIAL_URL_RE = /^[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i;

/** Sections of an extra the launch does without: a proxy, TLS certificates. */
const EXTRA_SECTION_RE = /\b(prox(y|ies)|tls|ssl|certificates?)\b/i;

/** A keyword/value connection string (`dbname=db host=h user=u password=p`): the user's database. */
const KEYWORD_DSN_RE =
  /\b(?:host|dbname|user|password)=\S+\s+(?:\S+\s+)*?(?:host|dbname|user|password)=/i;

/** Tuning knobs (log level, ports, timeouts, feature switches): never required unless said so. */
const KNOB_RE =
  /(^|_)(LOG|LOGGING|LOGLEVEL|VERBOSITY|DEBUG|VERBOSE|TIMEOUT|PORT|TRANSPORT|MODE|ENV|ENVIRONMENT|ENABLED?|DISABLED?|DISABLE|LEVEL|MAX|MIN|LIMIT|CACHE|TELEMETRY|READ_?ONLY)(_|$)/;

/** What {@linkcode planEnv} reads. */
export interface EnvPlanInput {
  best: Candidate;
  candidates: Candidate[];
  blocks: ReadmeBlock[];
  docs: EnvDoc[];
  docByKey: Map<string, EnvDoc>;
  fragments: EnvFragment[];
  facts: ManifestFacts;
  text: string;
  /** Keys that now carry a key argument's value (`--api-key X` → `X_API_KEY`). */
  movedEnv: string[];
  /** The remote plan's header templates (`Authorization: Bearer ${KEY}`). */
  plannedHeaders: Record<string, string>;
  readmeFile: string;
  /** Where the evidence of each key is pushed. */
  evidence: Evidence[];
}

/** The env vars of the chosen launch, each with required/secret/description (at most 100). */
export function planEnv(input: EnvPlanInput): EnvVarSpec[] {
  const { best, candidates, blocks, docs, docByKey, fragments, facts, text, movedEnv } = input;
  const { plannedHeaders, readmeFile, evidence } = input;
  const sameLaunch = candidates.filter((c) =>
    c.runtime === best.runtime && (c.package ?? c.url) === (best.package ?? best.url) &&
    sameEntry(c, best) && c.transport === best.transport &&
    c.kind !== "manifest" && c.kind !== "server_json" && !c.windowsWrapper && !c.inferred &&
    !/windows/i.test(c.section) && !DEV_SECTION_RE.test(c.section) &&
    // "Using Multiple Linear Workspaces": each copy's extra keys tell the copies apart.
    // A one-click install link repeats a client's entry (VS Code's prompt for every key).
    // A proxy or TLS section's copy adds that extra's keys ("Proxy Configuration > Docker").
    // (An "HTTP streaming transport mode" section's copy sets that mode's listener.)
    (c === best || (!MULTI_SETUP_RE.test(c.section) && !fromInstallLink(c) &&
      !EXTRA_SECTION_RE.test(c.section.replace(/\]\([^)]*\)/g, "]")) &&
      (!modeSection(c.section) || modeSection(best.section))))
  );
  const launches = sameLaunch.length ? sameLaunch : [best];
  // Bare launch lines (`npx -y pkg`, a global binary) carry no env: the README's client block
  // for a checkout of the same server says which keys a launch needs.
  const clientBlocks = candidates.filter((c) =>
    c.kind === "config_block" && Object.keys(c.env).length > 0 && !c.windowsWrapper &&
    !DEV_SECTION_RE.test(c.section) && (c.own || c.runtime === "source")
  );
  const examples = launches.every((c) => !Object.keys(c.env).length && c.kind !== "config_block") &&
      clientBlocks.length
    ? clientBlocks
    : launches;
  const envShown = examples.some((c) => Object.keys(c.env).length > 0);
  // Blocks whose env keys share nothing are ways to sign in ("1. Custom Connections" with a
  // client id and secret, "2. Bearer Token" with a token): the planned one's keys are its own.
  const withEnv = examples.filter((c) => Object.keys(c.env).length > 0);
  const authModes = withEnv.length >= 2 && withEnv.includes(best) &&
    withEnv.every((c, i) =>
      withEnv.every((d, j) => i === j || !Object.keys(c.env).some((k) => k in d.env))
    );
  const voters = authModes ? [best] : examples;

  const sjEnv = new Map<
    string,
    { isRequired?: boolean; isSecret?: boolean; description?: string; default?: string }
  >();
  // smithery.yaml's start command env, then server.json's (which wins).
  for (const e of facts.smitheryEnv) sjEnv.set(e.name, e);
  for (const p of facts.serverJson?.packages ?? []) for (const e of p.env) sjEnv.set(e.name, e);
  const keys: string[] = [];
  const temps = shellTemporaries(text);
  const addKey = (k: string) => {
    if (
      !notASetting(k) && !temps.has(k) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) && !keys.includes(k)
    ) {
      keys.push(k);
    }
  };
  Object.keys(best.env).forEach(addKey);
  movedEnv.forEach(addKey);
  for (const c of examples) Object.keys(c.env).forEach(addKey);
  if (best.runtime === "image" || best.kind === "server_json" || sjEnv.size) {
    [...sjEnv.keys()].forEach(addKey);
  }
  for (const f of fragments) {
    if (!DEV_SECTION_RE.test(f.block.section) && !/windows/i.test(f.block.section)) {
      Object.keys(f.env).forEach(addKey);
    }
  }
  if (best.runtime !== "remote") docs.forEach((d) => addKey(d.key));
  // A remote's header (or URL) templates name the keys it sends.
  for (const v of Object.values(plannedHeaders)) {
    for (const m of v.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) addKey(m[1]);
  }

  const optionalKinds = optionalSecretKinds(text);
  // "They are optional and can be removed … if you aren't using the product."
  const allOptional = blanketOptional(text);
  const alternatives = alternativeKeys(text);
  const saidOptional = optionalInProse(text);
  const requiredKinds = requiredSecretKinds(text);
  // The same setting's flag has a documented default (`--host` … `localhost` by default).
  const defaultedFlags = flagDefaults(text);
  const emptyFlags = flagDefaults(text, true);
  const soleKinds = new Set(
    requiredKinds.flatMap((kind) => {
      const of = keys.filter((k) => looksSecret(k) && k.toUpperCase().endsWith(kind));
      return of.length === 1 ? of : [];
    }),
  );
  // A server that defaults to HTTP, switched to stdio by the launch's env (`MCP_TRANSPORT=stdio`).
  const httpDefault =
    /\bhttp\b[^|\n]{0,20}\(default\)|\bdefaults? (is |to )?[`"']?(streamable[- ])?http\b/i
      .test(text);
  const stdioSwitch = (key: string) =>
    httpDefault && /TRANSPORT/.test(key) && /^stdio$/i.test(best.env[key] ?? "");
  const env: EnvVarSpec[] = keys.slice(0, 100).map((key) => {
    const doc = docByKey.get(key);
    const sj = sjEnv.get(key);
    // An example passing the value as a flag (`--read-token=…` for LOGFIRE_READ_TOKEN) has it too.
    // A shell launch line whose next steps set the key (`KEY=…` in a block just after) has it too.
    const setAfter = (c: Candidate) =>
      c.kind === "shell" && c.line !== undefined && !Object.keys(c.env).length &&
      blocks.some((b) =>
        b.kind === "fence" && b.line > c.line! && b.line <= c.line! + 30 &&
        // ("Optionally:" introduces settings the launch does without.)
        !/^\W*optional(ly)?\b/i.test(lastSentence(b.context)) &&
        new RegExp(`^\\s*(export\\s+)?${key}=`, "m").test(b.text)
      );
    const inExamples = examples.filter((c) =>
      key in c.env || c.args.some((a, i) =>
        flagFor(a, key, c.args[i + 1])
      ) || setAfter(c)
    ).length;
    let required: boolean;
    // (The README's own "Required" outweighs a registry entry's `isRequired: false`.)
    // (The README's "falls back to `C`, `D`" outweighs a manifest's required list.)
    if (sj?.isRequired !== undefined && !(alternatives.has(key) && doc?.required !== true)) {
      required = sj.isRequired || doc?.required === true;
    } else if (numberedFallback(key, keys)) required = false;
    // The server's own HTTP listener's credential (`X_MCP_HTTP_AUTH_TOKEN`): it guards the endpoint,
    // the server serves without it (and a stdio launch has no listener).
    else if (best.runtime !== "remote" && LISTENER_AUTH_RE.test(key)) required = false;
    else if (
      doc?.required !== true && looksSecret(key) &&
      optionalKinds.some((k) => key.toUpperCase().endsWith(k))
    ) required = false;
    else if (movedEnv.includes(key)) required = true;
    // The planned launch passes it as a flag it keeps (`--workspace /path/to/project` for
    // `X_WORKSPACE`): the argument gives the value, the variable is not needed as well.
    else if (
      doc?.required !== true && !looksSecret(key) &&
      best.args.some((a, i) => flagFor(a, key, best.args[i + 1]))
    ) required = false;
    else if (doc?.required !== true && allOptional) required = false;
    else if (doc?.required !== true && alternatives.has(key)) required = false;
    else if (doc?.required !== true && saidOptional.has(key)) required = false;
    else if (
      doc?.required !== false && looksSecret(key) && inExamples >= 1 &&
      requiredKinds.some((k) => key.toUpperCase().endsWith(k))
    ) required = true;
    else if (
      // "A Mapbox access token is required" and no launch shows env: the one key of that kind.
      doc?.required !== false && !envShown && soleKinds.has(key)
    ) required = true;
    else if (stdioSwitch(key)) required = true;
    // In a list that marks its needed entries "(required)", an unmarked one is not needed.
    else if (doc?.required === null && markedSiblings(doc, docs)) required = false;
    else if (doc?.required !== true && KNOB_RE.test(key.toUpperCase())) required = false;
    else if (doc?.required === true) required = true;
    else if (doc?.required === false) required = false;
    // The service's own public endpoint (`https://api.pagerduty.com`) works as given.
    else if (!looksSecret(key) && PUBLIC_ENDPOINT_RE.test(best.env[key] ?? "")) required = false;
    else if (doc && (doc.default !== null || /\bdefault/i.test(doc.description))) required = false;
    else if (
      !looksSecret(key) && [...defaultedFlags].some((f) => key === f || key.endsWith(`_${f}`))
    ) required = false;
    // (`--password` "empty by default", the launch's `"…_PASSWORD": ""`: no value works.)
    else if (
      best.env[key] === "" && [...emptyFlags].some((f) => key === f || key.endsWith(`_${f}`))
    ) required = false;
    // The launch's connection string to the user's own database (`postgresql://user:pass@…`,
    // `dbname=… host=…`): a sample of theirs to replace, never a working default.
    else if (
      /(URL|URI|DSN|CONNECTION(_STRING)?)$/.test(key) &&
      (DATA_STORE_URL_RE.test(best.env[key] ?? "") || KEYWORD_DSN_RE.test(best.env[key] ?? ""))
    ) required = true;
    else if (best.runtime === "remote") {
      // A key the planned headers send (`Authorization: ${KEY}`) is the remote's credential.
      // Unless the README says the remote signs in with OAuth (the router's OAuth client does that).
      required = Object.values(plannedHeaders).some((v) => v.includes(`\${${key}}`)) &&
        !/\boauth\b/i.test(text);
    } else if (
      !looksSecret(key) && examples.some((c) => LITERAL_SETTING_RE.test(c.env[key] ?? ""))
    ) required = false;
    // A mode switch each example sets its own way (`User_Password`, `Salesforce_CLI`): a choice.
    else if (!looksSecret(key) && modeSwitch(examples, key)) required = false;
    // `"NEO4J_DATABASE": "neo4j"`, `DOLT_USER=root` in every example: a working value, not a blank.
    else if (
      !looksSecret(key) && !/(USER|USERNAME|LOGIN|ADMIN|HOST)$/.test(key) &&
      sameConcreteWord(examples, key)
    ) required = false;
    else {
      const votes = authModes ? (key in best.env ? 1 : 0) : inExamples;
      required = votes / voters.length > 0.5 && votes >= 1 &&
          (best.env[key] === undefined || isPlaceholder(best.env[key]) || !doc ||
            // A placeholder path (`/path/to/config/directory`): the user's own folder.
            PLACEHOLDER_PATH_RE.test(best.env[key]) ||
            // A credential's value in an example is the author's sample, never a default.
            (looksSecret(key) && !!best.env[key]) ||
            DATA_STORE_URL_RE.test(best.env[key]) ||
            // Every one of several examples sets it: the user's own value, not a default.
            (examples.length >= 2 && inExamples === examples.length)) ||
        // No launch shows any env: in a list that marks its optional entries ("(Optional)",
        // defaults), an unmarked entry is one the server needs.
        (!envShown && !!doc && doc.required === null && contrastMarked(doc, docs)) ||
        // "Replace `your-api-token` with your web3.career API token": a blank the user fills.
        toReplace(key, best.env[key], text);
    }
    const secret = looksSecret(key) || CREDENTIAL_URL_RE.test(best.env[key] ?? "") ||
      (sj?.isSecret === true && !/(URL|ORG|HOST|PORT|PATH|NAME|ID|REGION)$/.test(key));
    const description = (doc?.description || sj?.description || "").slice(0, 2000);
    const spec: EnvVarSpec = { key, description, required, secret };
    const def = doc?.default ?? sj?.default;
    if (!required && def && !secret && def.length < 200 && !isPlaceholder(def)) spec.default = def;
    // The switch to stdio is needed and its value known: filled in, the user need not type it.
    if (stdioSwitch(key)) spec.default = best.env[key];
    if (doc) {
      evidence.push({
        field: `env.${key}`,
        file: readmeFile,
        line: doc.line,
        text: doc.description,
      });
    } else if (sj) evidence.push({ field: `env.${key}`, file: "server.json" });
    return spec;
  });

  return env;
}

/**
 * Shell temporaries: variables a block computes (`PAT_B64=$(printf … | base64)`) only to hand on
 * as another's value (`-e PERSONAL_ACCESS_TOKEN="$PAT_B64"`) — that other is the setting.
 */
function shellTemporaries(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/^\s*(?:export\s+)?([A-Z][A-Z0-9_]{2,})=\$\(/gm)) {
    if (new RegExp(`[A-Z0-9_]=["']?\\$\\{?${m[1]}\\b`).test(text)) out.add(m[1]);
  }
  return out;
}

/** A credential of the server's own HTTP/SSE listener (`HEVY_MCP_HTTP_BEARER_TOKEN`). */
const LISTENER_AUTH_RE =
  /(^|_)(HTTP|SSE|STREAMABLE_HTTP)_(AUTH_|BEARER_|ACCESS_)?(TOKEN|SECRET|KEY)$/;

/** Flags of npx/uvx/pipx whose next word is their value, not a positional. */
const VALUE_FLAGS = new Set(["--from", "--with", "-p", "--package", "--python", "--index-url"]);

/** The first positional word after the package: the entry point or sub-command a launch runs. */
/** A section about running several copies of the server (one per workspace, account…). */
const MULTI_SETUP_RE =
  /\b(multiple|several|many|multi[- ]?)\s*(\w+\s+)?(workspaces?|accounts?|instances?|organi[sz]ations?|tenants?|environments?|profiles?|projects?)\b/i;

/** Sub-commands of a package's own CLI (a one-off request, a login, `x-auth`), never its server. */
const CLI_VERB_RE =
  /^(get|post|put|patch|delete|list|ls|search|query|call|login|logout|auth|authenticate|setup|init|install|uninstall|config|configure|help|version|doctor|status)$|[-_](auth|login|setup)$/;

function entryWord(c: Candidate): string | undefined {
  const pkg = c.package ?? "";
  for (let i = 0; i < c.args.length; i++) {
    const a = c.args[i];
    if (VALUE_FLAGS.has(a)) {
      i++;
      continue;
    }
    if (a.startsWith("-")) continue;
    if (pkg && (a === pkg || a.startsWith(`${pkg}@`) || a.startsWith(`${pkg}==`))) continue;
    return a;
  }
  return undefined;
}

/** Two launches of one package run the same thing unless both name different entry points
 * (`telethon-mcp-server` vs the `telethon-mcp-auth` login helper). */
function sameEntry(a: Candidate, b: Candidate): boolean {
  if (a.runtime !== "npx" && a.runtime !== "uvx") return true;
  const x = entryWord(a), y = entryWord(b);
  // `npx pkg get --path …` beside the server's `npx pkg`: the package's CLI, not its server.
  if (x === undefined || y === undefined) return !CLI_VERB_RE.test(x ?? y ?? "");
  return x === y;
}

/** Whether a documented key sits in a list (same section) whose other entries are marked
 * optional or given defaults, while it is not, and it names a service (URL/host/key/token). */
/** A list item near this one marked "(required)", in a list marking no entry "(optional)". */
function markedSiblings(doc: EnvDoc, docs: EnvDoc[]): boolean {
  const near = docs.filter((d) =>
    d.section === doc.section && d.key !== doc.key && Math.abs(d.line - doc.line) <= 12
  );
  // (A list marking both kinds leaves an unmarked entry open.)
  return near.some((d) => d.required === true && /\(required\)/i.test(d.description)) &&
    !near.some((d) => d.required === false && /\(optional\b/i.test(d.description));
}

function contrastMarked(doc: EnvDoc, docs: EnvDoc[]): boolean {
  if (doc.default !== null || /\bdefault/i.test(doc.description)) return false;
  if (
    !/(URL|URI|HOST|ENDPOINT|API_KEY|TOKEN|SECRET|PASSWORD|TEAM_ID|ORG_ID|PROJECT_ID|ACCOUNT_ID)$/
      .test(doc.key)
  ) return false;
  const siblings = docs.filter((d) => d.section === doc.section && d.key !== doc.key);
  return siblings.length >= 2 &&
    siblings.some((d) => d.required === false) &&
    !siblings.some((d) => d.required === true);
}

/**
 * The README tells the user to replace this key's example value with their own ("Replace
 * `your-api-token` with your … token", "… and `COINGLASS_API_KEY` with your API key").
 */
function toReplace(key: string, value: string | undefined, text: string): boolean {
  if (value === undefined || (value !== "" && !isPlaceholder(value))) return false;
  const words = [key, ...(value.length >= 4 ? [value] : [])].map((w) =>
    w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
  );
  return new RegExp(
    `\\breplac(e|ing)\\b[^.\\n]{0,120}[\`"'](${
      words.join("|")
    })[\`"'][^.\\n]{0,20}\\bwith (your|the)\\b`,
    "i",
  ).test(text);
}
