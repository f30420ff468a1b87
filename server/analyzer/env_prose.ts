/**
 * @module What a README's prose says about its keys as a whole: secret kinds it calls optional
 * ("API key (optional)") or needed ("You'll need an API key"), and keys offered as alternatives
 * to each other ("either `A` or `B`").
 */

/**
 * Name endings of variables the README calls optional in prose ("API Key (optional)",
 * "optionally get a token"): `API_KEY`, `TOKEN`, `PASSWORD`.
 * @param text README markdown
 */
export function optionalSecretKinds(readme: string): string[] {
  const kinds = new Set<string>();
  // A `KEY=… # Optional: Bearer token …` line speaks of that key alone (read per key elsewhere).
  const text = readme.replace(/^.*\b[A-Z][A-Z0-9_]{2,}=.*$/gm, "");
  const noun = "(api[ _-]?key|access[ _-]?token|token|password)";
  const res = [
    new RegExp(`\\b${noun}s?\\s*\\((optional|not required)\\)`, "gi"),
    // Not a step done to the key ("(Optional) Restrict the API key to …").
    new RegExp(
      `\\boptional(?:ly)?\\b(?![^.\\n]{0,25}?\\b(?:restrict|rotate|regenerate|limit|revoke|scope|secure|rename|label|copy|store|save|delete)\\w*\\b)[^.\\n]{0,25}?\\b${noun}`,
      "gi",
    ),
    new RegExp(`\\b${noun}s?\\b[^.\\n]{0,20}\\b(is|are) optional\\b`, "gi"),
    // "The reader works without a key, subject to rate limits."
    new RegExp(
      `\\b(?:works?|runs?|usable) without (?:an? |the |your )?(api[ _-]?key|key|token)\\b`,
      "gi",
    ),
    // "Without an API key, the server will still search the docs."
    new RegExp(
      `\\bwithout (?:an? |the |your )?${noun}\\b[^.\\n]{0,80}\\b(still|works?|only|limited)\\b`,
      "gi",
    ),
  ];
  for (const re of res) {
    for (const m of text.matchAll(re)) {
      const n = (m.slice(1).find((g) =>
        g && !/optional|not required|^(is|are|still|works?|only|limited)$/i.test(g)
      ) ?? "")
        .toLowerCase();
      if (/api|^key$/.test(n)) {
        kinds.add("API_KEY");
      } else if (/token/.test(n)) {
        kinds.add("TOKEN");
      } else if (/password/.test(n)) {
        kinds.add("PASSWORD");
      }
    }
  }
  return [...kinds];
}

/** An env-var name in prose, backticked or bare. */
const PROSE_KEY_RE = /`?\b([A-Z][A-Z0-9]*_[A-Z0-9_]{2,})\b`?/g;
/** Whether a text names an env var ({@linkcode PROSE_KEY_RE} without its global state). */
const NAMES_KEY_RE = new RegExp(PROSE_KEY_RE.source);

/**
 * Keys the README offers as alternatives to each other ("either `A` or `B`", "`A` or `B`",
 * "one of …"): none of them is required on its own. Aliases ("or its alias") are not alternatives.
 * @param text README markdown
 */
export function alternativeKeys(text: string): Set<string> {
  const out = new Set<string>(methodTableKeys(text));
  // "`A` (or its alias `B`)": two names of one setting, never two ways.
  const aliases = new Set<string>();
  for (const sentence of text.split(/(?<=[.!?])\s+|\n/)) {
    if (/\balias\b/i.test(sentence)) {
      for (const m of sentence.matchAll(PROSE_KEY_RE)) aliases.add(m[1]);
      continue;
    }
    const keys = [...new Set([...sentence.matchAll(PROSE_KEY_RE)].map((m) => m[1]))];
    // "If only `A` and `B` are provided, the server exposes …": one set of keys among several.
    if (/^\W*if only\b/i.test(sentence)) {
      keys.forEach((k) => out.add(k));
      continue;
    }
    if (keys.length < 2) continue;
    // ("If `A` and `B` are not set, the server will fall back to using `C`, `D` and `E`.")
    if (/\beither\b[^.]*\bor\b|\bone of\b|\bfalls? back to\b/i.test(sentence)) {
      keys.forEach((k) => out.add(k));
      continue;
    }
    // "Use `JIRA_PERSONAL_TOKEN` instead of `JIRA_USERNAME` + `JIRA_API_TOKEN`": another way to
    // sign in (not a new name for the same setting, nor a deprecated one).
    const instead = sentence.match(/^(.*)\binstead of\b(.*)$/i);
    if (
      instead && NAMES_KEY_RE.test(instead[1]) && NAMES_KEY_RE.test(instead[2]) &&
      !/\b(alternative name|renamed|deprecated|legacy|old name)\b/i.test(sentence)
    ) {
      keys.forEach((k) => out.add(k));
      continue;
    }
    // `A` or `B`, `A`/`B` — two names joined directly.
    for (
      const m of sentence.matchAll(
        /`?\b([A-Z][A-Z0-9]*_[A-Z0-9_]{2,})\b`?\s*(?:\bor\b|\/)\s*`?\b([A-Z][A-Z0-9]*_[A-Z0-9_]{2,})\b`?/g,
      )
    ) {
      // `LOGIN` / `PASSWORD`: one credential's two halves, both needed.
      if (credentialPair(m[1], m[2])) continue;
      out.add(m[1]);
      out.add(m[2]);
    }
  }
  aliases.forEach((k) => out.delete(k));
  return out;
}

/**
 * A table's first header naming ways to do one thing (`Method`, `Auth mode`); not `Option` or
 * `Type`, which head tables of flags and variables.
 */
const METHOD_HEADER_RE = /^\W*(auth\w*\s+)?(method|mode|approach|way)s?\W*$/i;
/** A line before a table saying its rows are choices ("Choose one method:"). */
const CHOOSE_ONE_RE =
  /\b(choose|pick|select|use) (one|any one|exactly one)\b|\bone of the following\b/i;

/**
 * The keys of a table of sign-in methods, one row a way (`API Key | \`X_KEY\` + \`X_SECRET\``,
 * `Username / Password | \`X_USERNAME\` + \`X_PASSWORD\``): two or more rows naming distinct
 * keys under a `Method` header or after "Choose one method:".
 */
function methodTableKeys(text: string): string[] {
  const lines = text.split("\n");
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\|/.test(lines[i]) || /^\s*\|/.test(lines[i - 1] ?? "")) continue;
    let end = i;
    while (end < lines.length && /^\s*\|/.test(lines[end])) end++;
    const header = lines[i].split("|").map((c) => c.trim()).filter(Boolean);
    const before = lines.slice(Math.max(0, i - 3), i).join(" ");
    if (!METHOD_HEADER_RE.test(header[0] ?? "") && !CHOOSE_ONE_RE.test(before)) continue;
    const rows = lines.slice(i + 2, end).map((
      row,
    ) => [...new Set([...row.matchAll(PROSE_KEY_RE)].map((m) => m[1]))]).filter((keys) =>
      keys.length > 0
    );
    const all = rows.flat();
    if (rows.length >= 2 && new Set(all).size === all.length) out.push(...all);
    i = end;
  }
  return out;
}

const IDENTITY_PART_RE = /(^|_)(LOGIN|USER|USERNAME|EMAIL|ACCOUNT|CLIENT_ID|APP_ID|KEY_ID|ID)$/;
const SECRET_PART_RE = /(^|_)(PASSWORD|PASS|PASSWD|SECRET|CLIENT_SECRET|TOKEN|KEY|APP_PASSWORD)$/;

/** Two names that are one credential's halves (`X_LOGIN` / `X_PASSWORD`, `X_CLIENT_ID` / `X_CLIENT_SECRET`). */
function credentialPair(a: string, b: string): boolean {
  const [id, secret] = IDENTITY_PART_RE.test(a) ? [a, b] : [b, a];
  if (!IDENTITY_PART_RE.test(id) || !SECRET_PART_RE.test(secret)) return false;
  const stem = (k: string) => k.split("_")[0];
  return stem(id) === stem(secret);
}

/**
 * Keys the README offers only for higher rate limits ("Adding a `GITHUB_TOKEN` is highly
 * recommended to avoid the 60 requests/hour rate limit", "`X_TOKEN` … to increase API rate
 * limits") or says are optional in a sentence ("The `KEY` and `FUNDER` environment variables are
 * optional"): the server works without them. A sentence that also says "required" is left alone.
 * @param text README markdown
 */
export function optionalInProse(text: string): Set<string> {
  const out = new Set<string>();
  for (const sentence of text.split(/(?<=[.!?])\s+|\n/)) {
    // ("… are optional but required for certain operations": optional for the server.)
    const plain = sentence.replace(
      /\b(but )?required (only )?for (certain|some|specific|particular)\b/gi,
      "",
    );
    const optional = RATE_LIMIT_RE.test(plain) || SAID_OPTIONAL_RE.test(plain);
    if (!optional || /\b(required|mandatory|must)\b/i.test(plain)) continue;
    for (const m of sentence.matchAll(PROSE_KEY_RE)) out.add(m[1]);
    // (Backticked names without an underscore too: `KEY`, `FUNDER`.)
    for (const m of sentence.matchAll(/`([A-Z][A-Z0-9_]{2,})`/g)) out.add(m[1]);
  }
  return out;
}

/** "The `KEY` and `FUNDER` environment variables are optional." */
const SAID_OPTIONAL_RE =
  /(`[A-Z][A-Z0-9_]{2,}`|\b[A-Z][A-Z0-9]*_[A-Z0-9_]{2,}\b)[^.\n]{0,60}\b(is|are) (entirely |completely |both )?optional\b/;

/** Raising or avoiding a rate limit ("to avoid the 60 requests/hour rate limit", "higher limits"). */
const RATE_LIMIT_RE =
  /\b(avoid|increase|raise|raises|increases|higher|lift|bypass|get around)\b[^.\n]{0,50}\brate[- ]?limit|\brate[- ]?limits?\b[^.\n]{0,30}\b(from \d[\d,]* to|higher|increased|raised)\b/i;

/**
 * The secret kinds the README says the server needs ("You'll need a DeepL API key to use this
 * server", "requires an access token", "an API key is required"), as key suffixes.
 * @param text README markdown
 */
export function requiredSecretKinds(text: string): string[] {
  const kinds = new Set<string>();
  const noun = "(api[ _-]?key|access[ _-]?token|token|password)";
  const res = [
    new RegExp(
      `\\b(?:you(?:'ll| will)? need|requires?|you must (?:have|provide|set))\\s+(?:a|an|your)\\s+(?:[\\w.-]+\\s+){0,3}?${noun}\\b`,
      "gi",
    ),
    new RegExp(`\\b${noun}s?\\s+(?:is|are)\\s+required\\b`, "gi"),
  ];
  for (const re of res) {
    for (const m of text.matchAll(re)) {
      // "… optional", "if you want …" in the same sentence take it back.
      const sentence = text.slice(Math.max(0, m.index! - 120), m.index! + m[0].length + 80);
      if (
        /\b(optional|optionally|if you (want|need|prefer)|for (higher|more)|not required)\b/i.test(
          sentence,
        )
      ) continue;
      const n = m[1].toLowerCase();
      // ("An access token" names the `…_ACCESS_TOKEN` beside a `…_PUBLIC_TOKEN`.)
      kinds.add(
        /api/.test(n)
          ? "API_KEY"
          : /access/.test(n)
          ? "ACCESS_TOKEN"
          : /token/.test(n)
          ? "TOKEN"
          : "PASSWORD",
      );
    }
  }
  return [...kinds];
}

/** "empty by default", "defaults to empty", "default: empty": no value is a working value. */
const EMPTY_DEFAULT_RE =
  /\bempty by default\b|\bdefaults? (?:to |is )?(?:an? )?empty\b|\bdefault:?\s*(?:empty|""|'')/i;

/**
 * Settings whose command-line flag the README gives a default (`--host` … "`localhost` by default",
 * "empty by default", "(default: 8080)"), as the upper-case names env keys end with (`HOST`).
 * @param text README markdown
 * @param emptyOnly only those whose default is empty (`--password` … "empty by default")
 */
export function flagDefaults(text: string, emptyOnly = false): Set<string> {
  const out = new Set<string>();
  for (const line of text.split("\n")) {
    const flag = line.match(/^\s*(?:[-*+]\s+|\|\s*)`?--([a-z][a-z0-9-]*)\b/i)?.[1];
    if (!flag) continue;
    if (!/\bby default\b|\bdefaults?\b/i.test(line)) continue;
    if (emptyOnly && !EMPTY_DEFAULT_RE.test(line)) continue;
    if (/\bno default\b|\bdefaults?:?\s*(none|null|n\/a|-|required)\b|\brequired\b/i.test(line)) {
      continue;
    }
    out.add(flag.toUpperCase().replace(/-/g, "_"));
  }
  return out;
}

/** Sentences that make every key of the README's config optional (one key per product). */
const BLANKET_OPTIONAL_RES = [
  /\b(they|these|all of them|the (keys?|tokens?|credentials?|(env(ironment)?\s+)?variables?))\s+are\s+(all\s+)?optional\b/i,
  /\bcan be (removed|omitted|left out)\b[^.\n]{0,60}\bif you\b[^.\n]{0,20}\b(aren'?t|are not|don'?t|do not)\s+(use|need)/i,
  /\bonly (need|set|configure|provide|add|include)\s+(the\s+)?(keys?|tokens?|credentials?|variables?)\s+(for|of)\s+the\s+(products?|services?|integrations?|platforms?|providers?)\s+you\b/i,
];

/**
 * True when the README says the keys of its configuration are all optional ("They are optional
 * and can be removed from your configuration if you aren't using the product").
 */
export function blanketOptional(text: string): boolean {
  return BLANKET_OPTIONAL_RES.some((re) => re.test(text));
}
