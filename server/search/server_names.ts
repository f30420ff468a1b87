/**
 * @module The words that name a server: its own name, the prefix its tools share (`jira_`,
 * `kubectl_`) and the product names (capitalised words inside a sentence) of its description,
 * kept only when most tools using the word are the server's own ("Redis", "Jira", "Excel" — not
 * "time" or "fetch", which many tools of other servers say too). A query naming a server's
 * product ranks that server's tools higher.
 */
import { stem, terms } from "./text.ts";
import type { ToolFields } from "./tool_fields.ts";

/** Share of the tools holding a word that must be the server's own for the word to name it. */
export const NAMING_SHARE = 0.7;

/**
 * Product names of a description: capitalised words that do not open a sentence, lower-cased
 * whole (`HubSpot` → hubspot) and stemmed.
 */
export function productTerms(about: string): string[] {
  const out: string[] = [];
  for (const sentence of about.split(/[.!?:;]\s+|\n+/)) {
    const ws = sentence.split(/[\s(),/]+/).filter(Boolean);
    for (let i = 1; i < ws.length; i++) {
      if (/^[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$/.test(ws[i])) out.push(stem(ws[i].toLowerCase()));
    }
  }
  return out;
}

/**
 * The words of a query that may name a server: its index terms, and its words lower-cased whole
 * (`GitHub` → github, which the index terms split).
 */
export function namingWords(query: string): string[] {
  const whole = query.split(/[^A-Za-z0-9]+/).filter((w) => w.length >= 3)
    .map((w) => stem(w.toLowerCase()));
  return [...new Set([...terms(query), ...whole])];
}

/**
 * Term → the servers (by index) it names.
 * @param fields every tool's fields
 * @param serverOf each tool's server index
 * @param abouts each server's description, by server index
 */
export function serverNameTerms(
  fields: ToolFields[],
  serverOf: number[],
  abouts: string[],
): Map<string, number[]> {
  // A product of the description counts when one of the server's tools says it too.
  const products = abouts.map((about) => new Set(productTerms(about)));
  const candidates = abouts.map(() => new Set<string>());
  fields.forEach((f, i) => {
    const s = serverOf[i];
    for (const t of f.server) candidates[s].add(t);
    for (const t of [...f.name, ...f.summary, ...f.rest]) {
      if (products[s].has(t)) candidates[s].add(t);
    }
  });
  const wanted = new Set(candidates.flatMap((c) => [...c]));
  // Per candidate term: how many tools hold it, and how many of them each server has.
  const total = new Map<string, number>();
  const own = new Map<string, Map<number, number>>();
  fields.forEach((f, i) => {
    const held = new Set(
      [...f.name, ...f.summary, ...f.rest, ...f.params, ...f.server, ...f.about]
        .filter((t) => wanted.has(t)),
    );
    for (const t of held) {
      total.set(t, (total.get(t) ?? 0) + 1);
      const per = own.get(t) ?? new Map<number, number>();
      per.set(serverOf[i], (per.get(serverOf[i]) ?? 0) + 1);
      own.set(t, per);
    }
  });
  const out = new Map<string, number[]>();
  candidates.forEach((set, s) => {
    for (const t of set) {
      if (t.length < 3 || t === stem("server")) continue;
      const share = (own.get(t)?.get(s) ?? 0) / Math.max(1, total.get(t) ?? 0);
      if (share >= NAMING_SHARE) out.set(t, [...(out.get(t) ?? []), s]);
    }
  });
  return out;
}
