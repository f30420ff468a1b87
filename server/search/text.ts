/**
 * @module Text for tool search: identifiers split into words (camelCase, snake_case, kebab-case,
 * letters and digits), stop words dropped, Porter stemming, a description's summary sentence,
 * and a query's literal values (a file name, a URL, an e-mail address, numbers, a clock time)
 * replaced by their kind.
 */
import { stemmer } from "stemmer";

/** Words that say nothing about which tool is meant: articles, pronouns, filler, tool jargon. */
const STOPWORDS = new Set(
  ("a an the of to in on for and or with by from at as is are be been being was were it its " +
    "this that these those there here my me mine i you your yours we our ours us they them " +
    "their he she his her him can could would should will shall may might must do does did " +
    "please how what which who whom whose when where why any some into about over via " +
    "using use used tool tools mcp server servers want need like just also so than then too " +
    "very let lets go going have has had having thing things something anything " +
    "everything stuff one ones if else all every").split(" "),
);

/**
 * Words kept although they are stop words elsewhere: a question word sets the query's intent
 * ({@link isQuestion}), and these carry meaning on their own in tool descriptions.
 */
const QUESTION_START =
  /^\s*(what|which|who|where|when|how|is|are|was|were|does|do|did|has|have|can)\b/i;

/** Whether a query asks something (a read) rather than orders a change. */
export function isQuestion(query: string): boolean {
  return QUESTION_START.test(query) || /\?\s*$/.test(query);
}

/** Words Porter stemming would merge with another word (`news` → `new`). */
const UNSTEMMED = new Set(["news", "series", "analytics", "settings", "always"]);

/** Stems already computed (tool texts repeat their words); cleared when it grows large. */
const STEMS = new Map<string, string>();

/**
 * Irregular past forms (as Porter leaves them) → the verb's stem: "the mail she sent" asks for
 * send. Participles that descriptions use as adjectives ("a given project", "not found") stay.
 */
const IRREGULAR: Record<string, string> = {
  sent: "send",
  wrote: "write",
  ran: "run",
  took: "take",
  got: "get",
  told: "tell",
  saw: "see",
  kept: "keep",
  gave: "give",
  broke: "break",
  chose: "choos",
  began: "begin",
  brought: "bring",
  bought: "buy",
  spent: "spend",
  paid: "pay",
  said: "say",
  thought: "think",
};

/** The verb stem of an irregular past form (own keys only: "constructor" is no past form). */
function irregular(word: string): string | undefined {
  return Object.hasOwn(IRREGULAR, word) ? IRREGULAR[word] : undefined;
}

/** British spellings → American ones, as tool descriptions mostly spell (`summarise`, `colour`). */
function american(word: string): string {
  if (word.length < 6) return word;
  return word
    .replace(/is(e|ed|es|ing|ation|ations)$/, "iz$1")
    .replace(/ys(e|ed|es|ing)$/, "yz$1")
    .replace(/our(s|ed|ing|ite|ites)?$/, "or$1")
    .replace(/logue(s)?$/, "log$1")
    .replace(/^(cent|met|lit|theat)re(s)?$/, "$1er$2")
    .replace(/^licence(s)?$/, "license$1");
}

/** The Porter stem of a word (`messages` → `messag`), so forms of a word meet. */
export function stem(word: string): string {
  if (word.length <= 3 || UNSTEMMED.has(word)) return irregular(word) ?? word;
  let s = STEMS.get(word);
  if (s === undefined) {
    if (STEMS.size > 50_000) STEMS.clear();
    s = stemmer(american(word));
    STEMS.set(word, s = irregular(s) ?? s);
  }
  return s;
}

function isNumber(w: string): boolean {
  for (let i = 0; i < w.length; i++) {
    const c = w.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/**
 * Words of a text before stemming: camelCase, snake_case, kebab-case and letter/digit runs
 * split, lower-cased, stop words and one-letter words dropped.
 * @example words("getCurrentTime list_pull_requests") // ["get","current","time","list","pull","requests"]
 */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .replace(/([a-zA-Z]{2,})(\d)/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !STOPWORDS.has(w) && !isNumber(w));
}

/** Two-word terms that name one thing, indexed as one word ("pull request" is no "pull"). */
const COMPOUNDS: Record<string, string[]> = {
  "pull request": ["pullrequest"],
  "pull requests": ["pullrequest"],
  "pull number": ["pullrequest", "number"],
  "open source": ["opensource"],
};

const COMPOUND_FIRST = new Set(Object.keys(COMPOUNDS).map((k) => k.split(" ")[0]));

/** The index words compound terms become (never split again). */
export const COMPOUND_TERMS: ReadonlySet<string> = new Set(Object.values(COMPOUNDS).flat());

/** Words of a text, stemmed. */
export function tokens(text: string): string[] {
  return words(text).map(stem);
}

/** The index terms of a text: its words stemmed, compound terms joined ("pull request"). */
export function terms(text: string): string[] {
  const w = words(text);
  const out: string[] = [];
  for (let i = 0; i < w.length; i++) {
    const joined = i + 1 < w.length && COMPOUND_FIRST.has(w[i])
      ? COMPOUNDS[`${w[i]} ${w[i + 1]}`]
      : undefined;
    if (joined) {
      out.push(...joined);
      i++;
    } else out.push(stem(w[i]));
  }
  return out;
}

const HEADING = /^\s*(?:[^\p{L}\p{N}\s]+\s*)*[\p{L} ]{1,30}:\s*$/u;
const LIST_MARK = /^\s*(?:[-*•]|\d+[.)])\s+/;

/**
 * A description's summary: its first sentence once heading lines ("🎯 Purpose:") and list marks
 * are gone; `rest` is everything after it.
 */
export function splitSummary(description: string): { summary: string; rest: string } {
  const lines = description.split("\n").filter((l) => l.trim() && !HEADING.test(l));
  const text = lines.map((l) => l.replace(LIST_MARK, "").trim()).join("\n");
  const cut = text.search(/[.!?](\s|$)|\n\s*\n/);
  if (cut < 0) return { summary: text, rest: "" };
  return { summary: text.slice(0, cut + 1), rest: text.slice(cut + 1) };
}

/** Top-level domains that make `a.b` a web address rather than a file name. */
const WEB_TLDS = new Set(
  "com org net io dev ai app co uk de fr edu gov info me us xyz site page".split(" "),
);

/**
 * A query with its literal values — the arguments of the call, not what the tool does —
 * replaced by their kind: a URL or `example.com` → "url web page", `bob@example.com` → "email
 * address", `notes.txt` → "file txt", `9am` → "time", `40.71, -74.00` → "coordinates", an issue
 * key (`PAY-42`) → nothing; two or more bare numbers add "number" (bare numbers are no index
 * words).
 * @param query the query as typed
 */
export function rewriteLiterals(query: string): string {
  let q = query
    .replace(/\bhttps?:\/\/\S+/gi, " url web page ")
    .replace(/\b[\w.+-]+@[\w-]+(\.[\w-]+)*\.[a-z]{2,}\b/gi, " email address ")
    .replace(/-?\d{1,3}\.\d+\s*,\s*-?\d{1,3}\.\d+/g, " coordinates ")
    // A host and port (`localhost:5432`), then a namespaced key (`session:1`, `user:42`).
    .replace(/\b(?:localhost|[\d.]{7,}|[a-z][\w-]*(?:\.[\w-]+)+):\d{2,5}\b/gi, " local port ")
    .replace(/\b[a-z][\w-]*:[\w:-]+/gi, " key ")
    // A lower-case name with a short extension; `Next.js`, `m5.large`, `document.title` are not.
    .replace(
      /(^|[\s'"(/])[a-z0-9_-][\w.-]*\.([a-z][a-z0-9]{0,3})\b(?![.@\w])/g,
      // The extension says what kind of file (`data.csv` → "file csv": spreadsheets, CSV tools).
      (_m, pre: string, ext: string) =>
        `${pre} ${WEB_TLDS.has(ext) ? "url web page" : `file ${ext}`} `,
    )
    .replace(/\b\d{1,2}(:\d\d)?\s?(am|pm)\b/gi, " time ")
    .replace(/\b[A-Z][A-Z0-9]+-\d+\b/g, " ");
  if ((q.match(/(?:^|\s)-?\d+(\.\d+)?(?=\s|$|[,?.])/g) ?? []).length >= 2) q += " number";
  return q;
}
