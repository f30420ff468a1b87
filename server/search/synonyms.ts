/**
 * @module General English relatedness for tool search: groups of verbs and nouns that name the
 * same action or thing in everyday requests and in tool descriptions ("forget" → delete, "folder"
 * → directory, "PR" → pull request), and a few phrases ("look up", "table of contents"). Written
 * by hand, about tools in general — never about one server's tool list.
 */
import { stem } from "./text.ts";

/**
 * Each word of a group also counts, weaker, as the group's other words: `=` marks true synonyms
 * (weight 1), `~` words for the same action (0.8), the rest related words (0.6).
 */
const GROUPS: string[] = [
  // actions
  "~ search find lookup query locate seek discover",
  "~ get fetch retrieve read show view open load display see inspect describe details",
  "~ list enumerate browse overview whole entire",
  "~ create add new make insert register generate setup",
  "~ delete remove drop erase destroy trash purge discard clear uninstall",
  "~ update edit modify change patch alter adjust tweak set mark",
  "~ write save store put persist keep",
  "~ run execute exec invoke launch trigger kick start",
  "~ stop terminate kill end halt cancel abort",
  "send post publish notify message reply answer respond",
  "~ rename move relocate",
  "~ replace substitute swap edit",
  "= copy duplicate clone",
  "copy fork",
  "= sort order arrange",
  "compare diff difference changed",
  "convert translate transform turn",
  "download grab pull save export",
  "upload attach import",
  "summarize summary overview brief short",
  "count number total many",
  "watch subscribe follow monitor alert notify track",
  "close resolve resolved done complete finish",
  "assign give delegate owner",
  "scale replica replicas instances",
  "react reaction emoji",
  "~ comment reply remark",
  "~ type enter fill input",
  "format style bold italic font color colour background highlight border",
  "conditional condition threshold rule",
  "= blank empty",
  "echo repeat",
  "expose forward tunnel",
  "~ unwatch unsubscribe unfollow",
  "~ evict drain cordon maintenance",
  // things
  "file document doc",
  "= folder directory dir",
  "= issue ticket bug",
  "issue task defect problem",
  "commit revision changeset",
  "= repository repo codebase",
  "= price cost pricing",
  "price billing charge spend expense",
  "weather forecast temperature rain",
  "time clock hour timezone date",
  "= image picture photo pic",
  "image screenshot png jpg",
  "= video clip movie footage",
  "video recording screencast",
  "news headline headlines article",
  "web internet online website webpage site url link blog",
  "= web internet online",
  "= email mail inbox",
  "message chat dm conversation",
  "message email",
  "channel room",
  "user person people member account profile colleague teammate",
  "contact customer lead client",
  "company organization org",
  "spreadsheet sheet workbook excel",
  "= row record entry",
  "= column field",
  "column attribute property",
  "= database db sql",
  "key value cache",
  "error exception crash failure fail incident",
  "log logs output print console stdout",
  "= flaky intermittent intermittently unstable sporadic unreliable",
  "build pipeline ci workflow",
  "deploy deployment release ship rollout",
  "rollback revert undo previous",
  "container pod",
  "cluster kubernetes k8s kubectl",
  "~ height elevation altitude high tall",
  "size space storage big bytes disk",
  "location place address near nearby local",
  "place restaurant cafe bar shop venue business",
  "field input box textbox",
  "dialog popup alert modal confirm",
  "node worker host machine",
  "= process program",
  "sheet worksheet tab",
  "cell range",
  "directions route drive driving walk walking travel commute distance far trip",
  "~ coordinates latitude longitude gps geocode",
  "paper preprint preprints publication research",
  "citation cite cites reference bibtex bibliography",
  "research investigate investigation deep report study analysis",
  "memory remember memorize recall knowledge remind",
  "note observation fact",
  "relation relationship link connection association",
  "think reasoning thought reflect",
  "sum plus arithmetic add",
  "~ docs documentation manual guide reference",
  "library package framework dependency sdk",
  "code source function snippet",
  "schema structure ddl migration",
  "sprint iteration",
  "wiki knowledge page",
  "~ contents content text body",
  "label tag category",
  "filter rule automatically automatic",
  "design mockup layout",
  "javascript js script",
  "request call traffic network http",
  "chart plot graph visualize",
  "credits usage balance quota",
];

/** A word that also means others, one way ("forget" means delete, delete does not mean forget). */
const IMPLIES: Record<string, string> = {
  forget: "delete remove memory",
  remember: "memory create add observation",
  memorize: "memory create add",
  memorized: "memory read",
  know: "knowledge",
  inside: "list contents",
  encyclopedia: "wikipedia article",
  column: "field schema migration",
  done: "status transition",
  resolved: "status",
  stored: "memory store",
  hours: "place details",
  rating: "place details review",
  reviews: "place details",
  highlight: "format conditional",
  bold: "format font",
  italic: "format font",
  background: "fill format color",
  red: "color",
  yellow: "color",
  green: "color",
  blue: "color",
  repeat: "echo",
  switch: "set current",
  machine: "system local",
};

/** Phrases of a query that stand for other words (the phrase's own words are dropped). */
const PHRASES: [RegExp, string][] = [
  [/\bnote down\b|\bwrite down\b|\bkeep in mind\b/i, "remember"],
  [/\bstarts? with\b/i, "prefix pattern"],
  [/\bgo(?:es|ing)? through\b/i, "crawl"],
  [/\bspeed up\b/i, "performance index"],
  [/\blook(?:ing)? up\b/i, "search"],
  [/\btable of contents\b/i, "sections outline"],
  [/\bsea level\b/i, "elevation"],
  [/\b(?:tell|let) me (?:know )?when\b|\bnotify me\b/i, "watch alert notify"],
  [/\bhow many\b/i, "count"],
  [/\bhow far\b|\bhow long\b.*\b(?:drive|walk|ride|fly|get)\b/i, "distance directions"],
  [/\bwho is\b|\bwho are\b/i, "users"],
  [/\bthumbs up\b/i, "reaction"],
  [/\bmerge requests?\b/i, "pull request"],
  [/\b(?:PR|pr|Pr)s?\b/, "pull request"],
  [/\bstep by step\b/i, "steps reasoning thinking"],
  [/\b(?:earlier|previous|past|prior|our) (?:conversations?|chats?|sessions?)\b/i, "memory recall"],
  [/\blook(?:ing)? for\b/i, "search"],
  [/\bkeep an eye on\b/i, "monitor watch"],
  [/\bto watch\b/i, "video"],
  [/\bstop (?:notifying|alerting|watching|following|tracking)\b/i, "unwatch"],
  [/\bas (?:they|it|soon as \w+) (?:arrives?|comes? in)\b/i, "automatically filter"],
  [/\bnext commit\b/i, "staged commit"],
  [/\bsent (?:me|us)\b/i, "received email inbox"],
  [
    /\bopen (?:a|an)(?: new| blank| empty| fresh)?\b|\bstart (?:a|an) (?:new|blank|empty|fresh)\b/i,
    "create new",
  ],
  [/\b(?:give|hand|pass)\b(?= .{1,40}\bto\b)/i, "assign"],
];

/** Stem → the stems it also counts as, with their weights. */
const RELATIONS = new Map<string, Map<string, number>>();

function relate(from: string, to: string, weight: number): void {
  if (from === to) return;
  const m = RELATIONS.get(from) ?? new Map<string, number>();
  if ((m.get(to) ?? 0) < weight) m.set(to, weight);
  RELATIONS.set(from, m);
}

const STRENGTH: Record<string, number> = { "=": 1, "~": 0.8 };
/** Strength of a group without a mark, and of a one-way meaning. */
const RELATED = 0.6;

for (const group of GROUPS) {
  const [mark, ...rest] = group.split(" ");
  const strength = STRENGTH[mark] ?? RELATED;
  const list = mark in STRENGTH ? rest : [mark, ...rest];
  const stems = [...new Set(list.map((w) => stem(w)))];
  for (const a of stems) for (const b of stems) relate(a, b, strength);
}
for (const [word, meant] of Object.entries(IMPLIES)) {
  for (const w of meant.split(" ")) relate(stem(word), stem(w), RELATED);
}

/**
 * The stems a query stem also counts as, with their strength (1, 0.8 or 0.6; the ranker
 * scales them down).
 * @param term a stemmed query word
 */
export function relatedTerms(term: string): ReadonlyMap<string, number> {
  return RELATIONS.get(term) ?? new Map();
}

/**
 * A query with its phrases replaced by the words they stand for ("look up" → search).
 * @param query the query as typed
 */
export function rewritePhrases(query: string): string {
  let out = query;
  for (const [re, meant] of PHRASES) out = out.replace(re, ` ${meant} `);
  return out;
}
