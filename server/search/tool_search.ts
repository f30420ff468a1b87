/**
 * @module Tool search: BM25 over every cached tool of the active servers — tool names (split at
 * `_`, `-`, camelCase), titles, descriptions, parameter names and descriptions, and the server's
 * name and description — with Porter stemming and a table of general synonyms (no network
 * model). Built once per catalogue; a query over 600 tools costs about a millisecond.
 */
import { stemmer } from "stemmer";

/** One searchable tool. */
export interface SearchableTool {
  server: string;
  serverAbout: string;
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
}

/** A ranked match. */
export interface ToolMatch {
  tool: SearchableTool;
  score: number;
}

const STOPWORDS = new Set(
  ("a an the of to in on for and or with by from at as is are be was were it its this that these " +
    "those my me i you your we our us can could would should will do does did please how what " +
    "which who whom whose when where why all any some into about over via using use used tool " +
    "tools mcp server servers want need like just").split(" "),
);

/**
 * General synonym groups: a query word also counts as the group's other words. Everyday verbs
 * and nouns of tool descriptions, not tuned to any server.
 */
const SYNONYM_GROUPS: string[][] = [
  ["search", "find", "lookup", "query", "look", "locate", "seek"],
  ["get", "fetch", "retrieve", "read", "show", "view", "open", "load", "display"],
  ["list", "enumerate", "browse", "all", "index"],
  ["create", "add", "new", "make", "insert", "register", "start"],
  ["delete", "remove", "drop", "erase", "destroy", "trash"],
  ["update", "edit", "modify", "change", "set", "patch", "rename"],
  ["write", "save", "store", "put", "persist", "record", "remember", "note"],
  ["run", "execute", "exec", "invoke", "launch", "evaluate", "eval"],
  ["send", "post", "publish", "notify", "message", "reply"],
  ["file", "files", "document", "doc", "path"],
  ["folder", "directory", "dir"],
  ["web", "website", "webpage", "page", "site", "url", "link", "internet", "online"],
  ["browser", "navigate", "click", "screenshot", "tab"],
  ["image", "picture", "photo", "screenshot", "png"],
  ["issue", "ticket", "bug", "task", "todo"],
  ["pull", "pr", "merge", "review"],
  ["commit", "history", "log", "change", "diff"],
  ["repository", "repo", "project", "codebase"],
  ["database", "db", "sql", "table", "schema", "query"],
  ["chat", "message", "channel", "conversation", "slack", "dm"],
  ["email", "mail", "inbox"],
  ["calendar", "event", "meeting", "schedule", "appointment"],
  ["time", "clock", "date", "timezone", "now", "current"],
  ["weather", "forecast", "temperature"],
  ["summary", "summarize", "overview", "brief"],
  ["translate", "translation", "language"],
  ["memory", "remember", "knowledge", "graph", "entity", "fact", "recall"],
  ["think", "reason", "reasoning", "thought", "plan", "step"],
  ["user", "person", "people", "member", "account", "profile"],
  ["cost", "price", "billing", "invoice", "payment", "charge"],
  ["error", "exception", "crash", "failure", "incident", "alert"],
  ["metric", "metrics", "monitor", "dashboard", "stats", "statistics"],
  ["deploy", "deployment", "release", "build", "pipeline"],
  ["container", "docker", "pod", "kubernetes", "k8s", "cluster"],
  ["map", "location", "place", "address", "geocode", "direction", "route"],
  ["video", "youtube", "transcript", "subtitle"],
  ["code", "source", "function", "symbol", "snippet"],
  ["library", "package", "dependency", "docs", "documentation", "api"],
  ["text", "content", "body"],
  ["download", "scrape", "crawl", "extract"],
  ["count", "number", "total"],
  ["news", "headline", "article", "press", "latest"],
  ["drive", "directions", "route", "distance", "travel", "commute", "trip"],
  ["relation", "relationship", "association", "link", "connection", "associate"],
  ["rename", "move", "relocate"],
  ["replace", "edit", "substitute", "modify"],
  ["aggregate", "pivot", "group", "summarize"],
  ["sum", "add", "plus", "calculate", "arithmetic", "compute"],
  ["contact", "lead", "customer", "crm", "company", "deal"],
  ["member", "user", "people", "who", "team"],
  ["paper", "preprint", "publication", "research", "study", "arxiv"],
  ["watch", "subscribe", "alert", "notify", "monitor", "follow"],
  ["resolve", "close", "done", "complete", "finish", "transition", "status"],
  ["sprint", "iteration", "board", "backlog"],
  ["console", "log", "output", "print", "stdout"],
  ["research", "investigate", "deep", "report", "analysis"],
  ["spreadsheet", "excel", "sheet", "workbook", "cell", "xlsx"],
  ["page", "wiki", "workspace", "notion", "confluence", "doc"],
  ["node", "cordon", "drain", "evict", "maintenance"],
  ["index", "speed", "performance", "fast"],
  ["mail", "email", "inbox", "sent", "gmail"],
];

const SYNONYMS = new Map<string, Set<string>>();
for (const group of SYNONYM_GROUPS) {
  const stems = group.map(stem);
  for (const s of stems) {
    const set = SYNONYMS.get(s) ?? new Set<string>();
    for (const other of stems) if (other !== s) set.add(other);
    SYNONYMS.set(s, set);
  }
}

/** The Porter stem of a word (`messages` → `messag`), so forms of a word meet. */
function stem(word: string): string {
  return word.length <= 3 ? word : stemmer(word);
}

/** Words of a text before stemming: camelCase and snake_case split, lower-cased, no stopwords. */
export function words(text: string): string[] {
  return text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !STOPWORDS.has(w));
}

/** Words of a text, stemmed (the index terms). */
export function tokens(text: string): string[] {
  return words(text).map(stem);
}

/** Field weights: a word in the tool's name says more than one in a parameter description. */
const WEIGHTS = { name: 3, title: 2, summary: 2, description: 0.4, params: 0.6, server: 1.2 };
const K1 = 1.2;
const B = 0.6;
/** Weight of a synonym's match against the word itself. */
const SYNONYM_WEIGHT = 0.35;
/** Share of a tool's score kept whatever part of the query it meets (the rest scales with it). */
const COVER_BASE = 0.5;

interface Doc {
  tool: SearchableTool;
  tf: Map<string, number>;
  length: number;
}

function paramText(schema: Record<string, unknown>): string {
  const props = schema.properties;
  if (!props || typeof props !== "object") return "";
  return Object.entries(props as Record<string, { description?: unknown }>)
    .map(([k, v]) => `${k} ${typeof v?.description === "string" ? v.description : ""}`)
    .join(" ")
    .slice(0, 4000);
}

/** A BM25 index over tools. */
export class ToolIndex {
  readonly #docs: Doc[] = [];
  readonly #df = new Map<string, number>();
  #avgLength = 1;

  /** @param tools the tools to index */
  constructor(tools: SearchableTool[]) {
    let total = 0;
    for (const tool of tools) {
      const tf = new Map<string, number>();
      const add = (text: string | undefined, weight: number) => {
        for (const t of tokens(text ?? "")) tf.set(t, (tf.get(t) ?? 0) + weight);
      };
      add(tool.name, WEIGHTS.name);
      add(tool.title, WEIGHTS.title);
      // The first sentence says what the tool does; the rest is usage detail.
      const description = (tool.description ?? "").slice(0, 4000);
      const cut = description.search(/[.!?](\s|$)|\n\s*\n/);
      const summary = cut < 0 ? description : description.slice(0, cut + 1);
      add(summary, WEIGHTS.summary);
      add(description.slice(summary.length), WEIGHTS.description);
      add(paramText(tool.inputSchema), WEIGHTS.params);
      add(`${tool.server} ${tool.serverAbout}`, WEIGHTS.server);
      let length = 0;
      for (const v of tf.values()) length += v;
      for (const term of tf.keys()) this.#df.set(term, (this.#df.get(term) ?? 0) + 1);
      this.#docs.push({ tool, tf, length });
      total += length;
    }
    this.#avgLength = this.#docs.length ? total / this.#docs.length : 1;
  }

  /** Number of indexed tools. */
  get size(): number {
    return this.#docs.length;
  }

  /**
   * The best matches for a query, best first (ties: server then tool name).
   * @param query free text ("find the commits that touched the login page")
   * @param limit how many (default 5)
   */
  search(query: string, limit = 5): ToolMatch[] {
    const terms = new Map<string, number>();
    const widen = (term: string, weight: number) => {
      if ((terms.get(term) ?? 0) < weight) terms.set(term, weight);
    };
    for (const w of words(query)) {
      const t = stem(w);
      widen(t, 1);
      for (const s of SYNONYMS.get(t) ?? []) widen(s, SYNONYM_WEIGHT);
    }
    const n = this.#docs.length;
    const out: ToolMatch[] = [];
    const asked = new Set(tokens(query));
    for (const doc of this.#docs) {
      let score = 0;
      let covered = 0;
      for (const [term, qWeight] of terms) {
        const f = doc.tf.get(term);
        if (!f) continue;
        if (asked.has(term)) covered++;
        const df = this.#df.get(term) ?? 0;
        const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
        score += qWeight * idf * (f * (K1 + 1)) /
          (f + K1 * (1 - B + B * doc.length / this.#avgLength));
      }
      // Tools that meet more of the query's own words rank above one word matched often.
      if (score > 0) {
        out.push({
          tool: doc.tool,
          score: score * (COVER_BASE + covered / Math.max(1, asked.size)),
        });
      }
    }
    out.sort((a, b) =>
      b.score - a.score || a.tool.server.localeCompare(b.tool.server) ||
      a.tool.name.localeCompare(b.tool.name)
    );
    return out.slice(0, Math.max(1, limit));
  }
}
