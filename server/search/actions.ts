/**
 * @module What a tool does and what a query asks for, as one of a few actions (read, create,
 * update, delete, run, send): a tool's from the first verb of its name (`jira_get_issue` → read),
 * a query's from its verbs ("forget …" → delete) or, when it only asks ("which branches …"), read.
 * A tool whose action the query asks for ranks a little higher; a change when only a read was
 * asked, a little lower.
 */
import { stem } from "./text.ts";

/** An action a tool performs. */
export type Action = "read" | "create" | "update" | "delete" | "run" | "send";

/** Verbs in their base form (a query's "assigned to me" asks for no assignment). */
const VERBS: Record<Action, string> = {
  read:
    "get read fetch retrieve show view describe list search find query lookup check inspect count explain export download summarize extract browse",
  create:
    "create add new make insert append register generate write upload import draft push fork remember memorize post publish",
  update:
    "update edit modify change patch rename move replace transition assign set merge format sort toggle apply mark",
  delete: "delete remove drop erase clear uninstall unwatch forget destroy purge",
  run: "run execute exec start trigger rerun evaluate invoke launch",
  send: "send post reply publish",
};

/** Nouns that are verbs when they open a request ("file a bug", "log two hours"). */
const OPENING_VERBS: Record<string, Action> = { file: "create", log: "create", note: "create" };

/** Stems of every action verb: words about how, not what (the server prior leaves them out). */
export const ACTION_STEMS: ReadonlySet<string> = new Set(
  Object.values(VERBS).flatMap((list) => list.split(" ").map((w) => stem(w))),
);

const BY_WORD = new Map<string, Action[]>();
for (const [action, list] of Object.entries(VERBS) as [Action, string][]) {
  for (const w of list.split(" ")) BY_WORD.set(w, [...(BY_WORD.get(w) ?? []), action]);
}

/** Actions that leave things as they were. */
const READS = new Set<Action>(["read"]);

/**
 * The action of a tool, from the first word of its name that is a known verb (its base form, or
 * its third person: `Lists`, `gets`).
 * @param name the tool's name (`create_pull_request`, `API-post-page`)
 */
export function toolAction(name: string): Action | undefined {
  const parts = name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase().split(/[^a-z0-9]+/);
  for (const p of parts) {
    const a = BY_WORD.get(p) ?? BY_WORD.get(p.replace(/e?s$/, ""));
    if (a) return a[0];
  }
  return undefined;
}

/**
 * The actions a query asks for: those of its verbs, or read when it asks a question and names
 * no change.
 * @param words the query's words, unstemmed, in order
 * @param question whether the query is a question
 */
export function queryActions(words: string[], question: boolean): Set<Action> {
  const out = new Set<Action>();
  const opening = words.length ? OPENING_VERBS[words[0]] : undefined;
  if (opening) out.add(opening);
  for (const w of words) for (const a of BY_WORD.get(w) ?? []) out.add(a);
  if (question && ![...out].some((a) => !READS.has(a))) return new Set<Action>(["read"]);
  return out;
}

/**
 * How a tool's action bears on its score for a query.
 * @param asked the query's actions ({@link queryActions})
 * @param action the tool's action ({@link toolAction})
 * @param factors the factor for an asked action, and for a change when only a read is asked
 */
export function actionFactor(
  asked: Set<Action>,
  action: Action | undefined,
  factors: { match: number; unwantedChange: number },
): number {
  if (!asked.size || !action) return 1;
  if (asked.has(action)) return factors.match;
  const readOnly = [...asked].every((a) => READS.has(a));
  return readOnly && !READS.has(action) ? factors.unwantedChange : 1;
}
