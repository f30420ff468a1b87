/** Tool search text: identifier splitting, literals, phrases, synonyms, actions, tool fields. */
import assert from "node:assert/strict";
import {
  isQuestion,
  rewriteLiterals,
  splitSummary,
  stem,
  terms,
  words,
} from "../../../server/search/text.ts";
import { relatedTerms, rewritePhrases } from "../../../server/search/synonyms.ts";
import { actionFactor, queryActions, toolAction } from "../../../server/search/actions.ts";
import { type SearchableTool, toolFields } from "../../../server/search/tool_fields.ts";

Deno.test("Tool search text - identifiers split at case, _, -, and letter/digit runs", () => {
  assert.deepEqual(words("getCurrentTime"), ["get", "current", "time"]);
  assert.deepEqual(words("list_pull-requests"), ["list", "pull", "requests"]);
  assert.deepEqual(words("HTTPServer2 ec2 m5"), ["http", "ec", "m5"]); // "server": a stop word
  assert.deepEqual(words("the 42 tools of my server"), []);
});

Deno.test("Tool search text - compound terms are one index word", () => {
  assert.deepEqual(terms("create_pull_request"), ["creat", "pullrequest"]);
  assert.deepEqual(terms("pull the latest docs"), ["pull", "latest", "doc"]);
  assert.deepEqual(terms("news"), ["news"]);
});

Deno.test("Tool search text - a word named like an object property stems to a string", () => {
  assert.equal(stem("constructor"), "constructor");
  assert.equal(stem("valueOf".toLowerCase()), "valueof");
  assert.deepEqual(terms("call the constructor"), ["call", "constructor"]);
  assert.equal(stem("sent"), "send");
});

Deno.test("Tool search text - literal values become their kind", () => {
  const q = (s: string) => words(rewriteLiterals(s));
  assert.deepEqual(q("show me notes.txt"), ["show", "file", "txt"]);
  assert.deepEqual(q("import data.csv"), ["import", "file", "csv"]);
  assert.deepEqual(q("grab https://example.com/a?b=1 now"), ["grab", "url", "web", "page", "now"]);
  assert.deepEqual(q("mail bob@example.com"), ["mail", "email", "address"]);
  assert.deepEqual(q("list docs.example.com"), ["list", "url", "web", "page"]);
  assert.deepEqual(q("move PAY-42 to done"), ["move", "done"]);
  assert.deepEqual(q("what is at 40.7128, -74.0060"), ["coordinates"]);
  assert.deepEqual(q("add 17 and 25"), ["add", "number"]);
  assert.deepEqual(q("if it's 9am in Berlin"), ["time", "berlin"]);
  assert.deepEqual(q("expose it on localhost:5432"), ["expose", "local", "port"]);
  assert.deepEqual(q("remove session:1 and user:42"), ["remove", "key", "key"]);
  // Not file names: a product, an instance type, a property.
  assert.deepEqual(q("Next.js m5.large document.title"), [
    "next",
    "js",
    "m5",
    "large",
    "document",
    "title",
  ]);
});

Deno.test("Tool search text - irregular past forms and British spellings meet their words", () => {
  assert.deepEqual(terms("the mail she sent"), terms("the mail she sends"));
  assert.deepEqual(terms("ran wrote"), terms("run write"));
  assert.deepEqual(terms("summarise the colours"), terms("summarize the colors"));
  assert.deepEqual(terms("analysed the dialogue"), terms("analyzed the dialog"));
  // Participles used as adjectives in descriptions keep their own stem.
  assert.notDeepEqual(terms("a given project"), terms("a give project"));
});

Deno.test("Tool search text - a description's summary skips headings and list marks", () => {
  const d = "\n  🎯 Purpose:\n  1. Retrieves a list of objects. More detail here.\n\nUsage: …";
  const { summary, rest } = splitSummary(d);
  assert.equal(summary, "Retrieves a list of objects.");
  assert.match(rest, /More detail here/);
  assert.equal(splitSummary("No full stop").summary, "No full stop");
});

Deno.test("Tool search text - questions", () => {
  assert.ok(isQuestion("which branches do I have"));
  assert.ok(isQuestion("the weather in Paris?"));
  assert.ok(!isQuestion("delete the old branch"));
});

Deno.test("Tool search synonyms - strengths, one-way meanings and phrases", () => {
  assert.equal(relatedTerms("folder").get("directori"), 1); // true synonyms
  assert.equal(relatedTerms("remov").get("delet"), 0.8); // the same action
  assert.equal(relatedTerms("headlin").get("news"), 0.6); // related words
  assert.ok(relatedTerms("forget").has("memori")); // one way …
  assert.ok(!relatedTerms("memori").has("forget")); // … only
  assert.equal(relatedTerms("zzzz").size, 0);
  assert.match(rewritePhrases("look up the docs"), /search/);
  assert.match(rewritePhrases("open a PR"), /pull request/);
  assert.doesNotMatch(rewritePhrases("print the table of contents"), /table of contents/);
  // A verb with its object and a person: "give X to Y" is an assignment.
  assert.match(rewritePhrases("give PAY-17 to Maria"), /assign +PAY-17 to Maria/);
  assert.doesNotMatch(rewritePhrases("give me the summary"), /assign/);
  assert.match(rewritePhrases("open a Jira ticket"), /create new +Jira/);
  assert.match(rewritePhrases("start a blank file"), /create new +file/);
  assert.doesNotMatch(rewritePhrases("start a python REPL"), /create/);
  assert.match(rewritePhrases("stop notifying me about papers"), /unwatch/);
  assert.match(rewritePhrases("keep an eye on that page"), /monitor watch/);
  assert.match(rewritePhrases("what will go into my next commit"), /staged commit/);
  assert.ok(relatedTerms("hour").has("place")); // opening hours are a place's details
});

Deno.test("Tool search actions - tools by their first verb, queries by base-form verbs", () => {
  assert.equal(toolAction("jira_get_issue"), "read");
  assert.equal(toolAction("API-post-page"), "create");
  assert.equal(toolAction("createPullRequest"), "create");
  assert.equal(toolAction("Lists"), "read");
  assert.equal(toolAction("git_log"), undefined);
  assert.deepEqual([...queryActions(["forget", "zeus"], false)], ["delete"]);
  // "assigned to me" asks for no assignment; a question only reads.
  assert.deepEqual([...queryActions(["tickets", "assigned", "me"], true)], ["read"]);
  assert.deepEqual([...queryActions(["branch"], false)], []);
  assert.deepEqual([...queryActions(["file", "bug"], false)], ["create"]);
  assert.deepEqual([...queryActions(["read", "file"], false)], ["read"]);
  const f = { match: 1.25, unwantedChange: 0.7 };
  assert.equal(actionFactor(new Set(["read"]), "read", f), 1.25);
  assert.equal(actionFactor(new Set(["read"]), "delete", f), 0.7);
  assert.equal(actionFactor(new Set(["create"]), "delete", f), 1);
  assert.equal(actionFactor(new Set(), "delete", f), 1);
});

function tool(server: string, name: string, description = ""): SearchableTool {
  return { server, serverAbout: "", name, description, inputSchema: {} };
}

Deno.test("Tool search fields - shared name prefixes move to the server field", () => {
  const fields = toolFields([
    tool("jira", "jira_get_issue"),
    tool("jira", "jira_create_issue"),
    tool("jira", "jira_search"),
  ]);
  assert.deepEqual(fields[0].name, ["get", "issu"]);
  assert.deepEqual(fields[0].server, ["jira", "jira"]);
  // A verb most tools start with stays: it says what each does.
  const verbs = toolFields(
    ["get_price", "get_codes", "get_urls", "list_regions"].map((n) => tool("p", n)),
  );
  assert.deepEqual(verbs[0].name, ["get", "price"]);
});

Deno.test("Tool search fields - sibling tool names leave descriptions, run-together names split", () => {
  const fields = toolFields([
    tool("arxiv", "watch_topic", "Save a topic watch. Uses the syntax of search_papers."),
    tool("arxiv", "search_papers", "Search papers by query."),
    tool("jira", "add_worklog", "Add a work log entry."),
  ]);
  assert.ok(!fields[0].rest.includes("paper"), fields[0].rest.join(" "));
  assert.deepEqual(fields[2].name, ["add", "worklog", "work", "log"]);
});
