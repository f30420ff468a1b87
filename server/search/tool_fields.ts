/**
 * @module The searchable fields of each tool, as index terms: its name (without the prefix every
 * tool of its server shares, `jira_`, `API-`, which moves to the server field; run-together
 * words split when both halves are index words elsewhere, `worklog` → work log), its title, its
 * description's summary sentence and the rest, its parameters, and its server's name. Mentions of
 * sibling tools (`use search_papers first`) are taken out of descriptions: they say what the
 * tool is not. The server's description is a field of each of its tools too.
 */
import { COMPOUND_TERMS, splitSummary, stem, terms } from "./text.ts";
import { ACTION_STEMS } from "./actions.ts";

/** One tool as the router caches it. */
export interface SearchableTool {
  server: string;
  serverAbout: string;
  name: string;
  title?: string;
  description?: string;
  inputSchema: Record<string, unknown>;
}

/** Names of the fields, strongest first. */
export type FieldName = "name" | "summary" | "rest" | "params" | "server" | "about";

/** A tool's fields as index terms, and its summary sentence. */
export type ToolFields = Record<FieldName, string[]> & { summaryText: string };

/** Longest description and parameter text indexed per tool. */
const MAX_TEXT = 4000;

function paramText(schema: Record<string, unknown>): string {
  const props = schema.properties;
  if (!props || typeof props !== "object") return "";
  return Object.entries(props as Record<string, { description?: unknown }>)
    .map(([k, v]) => `${k} ${typeof v?.description === "string" ? v.description : ""}`)
    .join(" ")
    .slice(0, MAX_TEXT);
}

/** The multi-word names of a server's tools (`search_papers`), to take out of descriptions. */
function siblingNames(tools: SearchableTool[]): Set<string> {
  return new Set(tools.map((t) => t.name).filter((n) => /[_-]|[a-z][A-Z]/.test(n)));
}

/** A text without the identifiers in `names`. */
function scrub(text: string, names: Set<string>): string {
  if (!names.size) return text;
  return text.replace(/[A-Za-z][\w-]*/g, (w) => names.has(w) ? " " : w);
}

/**
 * First name terms every tool (or more than half of the tools, when 4 or more) of a server
 * shares, other than verbs.
 */
function sharedPrefixTerms(names: string[][]): Set<string> {
  const shared = new Set<string>();
  if (names.length < 2) return shared;
  const first = new Map<string, number>();
  for (const n of names) if (n.length > 1) first.set(n[0], (first.get(n[0]) ?? 0) + 1);
  for (const [t, c] of first) {
    // A shared verb (`get_…`) still says what each tool does.
    if (ACTION_STEMS.has(t)) continue;
    if (c === names.length || (names.length >= 4 && c > names.length / 2)) shared.add(t);
  }
  return shared;
}

/** Splits a run-together name word in two index words (`worklog` → work, log), or keeps it. */
function splitCompound(term: string, vocabulary: Set<string>): string[] {
  if (term.length < 7 || COMPOUND_TERMS.has(term)) return [term];
  const known = (w: string) => vocabulary.has(w) ? w : vocabulary.has(stem(w)) ? stem(w) : "";
  for (let i = 3; i <= term.length - 3; i++) {
    const a = known(term.slice(0, i));
    const b = a && known(term.slice(i));
    if (a && b) return [term, a, b];
  }
  return [term];
}

/**
 * Every tool's fields, in the order given.
 * @param tools the tools of every server
 */
export function toolFields(tools: SearchableTool[]): ToolFields[] {
  const byServer = new Map<string, SearchableTool[]>();
  for (const t of tools) byServer.set(t.server, [...(byServer.get(t.server) ?? []), t]);
  const siblings = new Map<string, Set<string>>();
  const shared = new Map<string, Set<string>>();
  for (const [server, list] of byServer) {
    siblings.set(server, siblingNames(list));
    shared.set(server, sharedPrefixTerms(list.map((t) => terms(t.name))));
  }
  const raw = tools.map((tool) => {
    const text = scrub((tool.description ?? "").slice(0, MAX_TEXT), siblings.get(tool.server)!);
    const { summary, rest } = splitSummary(text);
    const prefix = shared.get(tool.server)!;
    const name = terms(tool.name);
    return {
      name: [...name.filter((t) => !prefix.has(t)), ...terms(tool.title ?? "")],
      summary: terms(summary),
      rest: terms(rest),
      params: terms(paramText(tool.inputSchema)),
      server: [...terms(tool.server), ...name.filter((t) => prefix.has(t))],
      about: terms(tool.serverAbout),
      summaryText: summary,
    };
  });
  const vocabulary = new Set<string>();
  for (const f of raw) for (const t of [...f.summary, ...f.rest, ...f.params]) vocabulary.add(t);
  for (const f of raw) f.name = f.name.flatMap((t) => splitCompound(t, vocabulary));
  return raw;
}
