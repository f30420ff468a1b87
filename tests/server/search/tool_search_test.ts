/** Tool search ranking: fields, synonyms, the server prior, actions, determinism and speed. */
import assert from "node:assert/strict";
import {
  RANKER_DEFAULTS,
  type RankerOptions,
  type SearchableTool,
  ToolIndex,
} from "../../../server/search/tool_search.ts";

function tool(
  server: string,
  name: string,
  description: string,
  props: string[] = [],
  serverAbout = "",
): SearchableTool {
  return {
    server,
    serverAbout,
    name,
    description,
    inputSchema: {
      type: "object",
      properties: Object.fromEntries(props.map((p) => [p, { type: "string" }])),
    },
  };
}

const TOOLS: SearchableTool[] = [
  tool("files", "list_directory", "List the files and directories in a path.", ["path"]),
  tool("files", "read_text_file", "Read the complete contents of a file as text.", ["path"]),
  tool("files", "move_file", "Move or rename files and directories.", ["source", "destination"]),
  tool("memory", "delete_entities", "Delete entities from the knowledge graph.", [], "memory"),
  tool("memory", "search_nodes", "Search for nodes in the knowledge graph.", ["query"], "memory"),
  tool("chat", "chat_post_message", "Post a new message to a channel.", ["channel", "text"]),
  tool("chat", "chat_list_channels", "List the channels of the workspace.", []),
  tool("tracker", "tracker_create_issue", "Create a new issue in a project.", ["title"]),
  tool("tracker", "tracker_delete_issue", "Delete an issue.", ["key"]),
  tool("tracker", "tracker_search", "Search issues with a query language.", ["jql"]),
  tool("web", "fetch", "Fetch a URL from the internet and return its content as markdown.", [
    "url",
  ]),
  tool("code", "create_pull_request", "Open a pull request between two branches.", ["head"]),
  tool("code", "list_commits", "List the commits of a branch.", ["branch"]),
];

const index = new ToolIndex(TOOLS);
const top = (q: string, k = 1) => index.search(q, k).map((m) => `${m.tool.server}/${m.tool.name}`);

Deno.test("Tool search - a word in the tool's name outranks the same word in detail", () => {
  const idx = new ToolIndex([
    tool("a", "send_report", "Sends it. Mentions a folder in passing somewhere down here."),
    tool("b", "list_folder", "Lists things."),
  ]);
  assert.equal(idx.search("folder")[0].tool.name, "list_folder");
});

Deno.test("Tool search - general synonyms find tools named otherwise", () => {
  assert.deepEqual(top("what's inside my folder"), ["files/list_directory"]);
  assert.deepEqual(top("file a ticket about the login bug"), ["tracker/tracker_create_issue"]);
  assert.deepEqual(top("forget what you know about Zeus"), ["memory/delete_entities"]);
  assert.deepEqual(top("open a PR from my branch"), ["code/create_pull_request"]);
});

Deno.test("Tool search - literal values point at their kind, not at their words", () => {
  assert.deepEqual(top("show me notes.txt"), ["files/read_text_file"]);
  assert.deepEqual(top("grab https://example.com/channel as markdown"), ["web/fetch"]);
});

Deno.test("Tool search - the action asked for decides between tools of one thing", () => {
  assert.deepEqual(top("remove the issue PAY-1"), ["tracker/tracker_delete_issue"]);
  assert.deepEqual(top("add a new issue"), ["tracker/tracker_create_issue"]);
  assert.deepEqual(top("which issues mention the login page"), ["tracker/tracker_search"]);
});

Deno.test("Tool search - the server prior: a query naming a server's world picks its tools", () => {
  assert.deepEqual(top("which channels exist in our chat workspace"), ["chat/chat_list_channels"]);
  // `pull` alone is no pull request.
  assert.ok(
    !top("pull the page content from the internet", 1).includes("code/create_pull_request"),
  );
});

Deno.test("Tool search - the doer's word meets the verb; a known word is no short product name", () => {
  const idx = new ToolIndex([
    tool("t", "get_watchers", "Get the list of watchers of an issue."),
    tool("t", "get_votes", "Get the votes on an issue."),
    tool("sentry", "find_projects", "Find projects in Sentry."),
    tool("mail", "search_emails", "Search emails."),
    tool("db", "mongodb_find", "Find documents in MongoDB."),
    tool("db", "sql_query", "Run a SQL query."),
  ]);
  assert.equal(idx.search("who is watching that issue")[0].tool.name, "get_watchers");
  assert.equal(idx.search("find the emails my landlord sent")[0].tool.name, "search_emails");
  assert.equal(idx.search("find in mongo")[0].tool.name, "mongodb_find"); // mongo → mongodb
});

Deno.test("Tool search - a tool that only demonstrates a feature ranks lower", () => {
  const tools = [
    tool("demo", "simulate_research", "Simulates a deep research operation on a topic."),
    tool("web", "research", "Research a topic on the web in depth."),
  ];
  const score = (idx: ToolIndex, server: string) =>
    idx.search("deep research on a topic", 2).find((m) => m.tool.server === server)!.score;
  const ratio = (o: Partial<RankerOptions>) =>
    score(new ToolIndex(tools, o), "demo") / score(new ToolIndex(tools, { demo: 1 }), "demo");
  assert.ok(Math.abs(ratio({}) - RANKER_DEFAULTS.demo) < 1e-9);
  assert.ok(RANKER_DEFAULTS.demo < 1);
  // A real tool's score does not change.
  assert.equal(score(new ToolIndex(tools), "web"), score(new ToolIndex(tools, { demo: 1 }), "web"));
});

Deno.test("Tool search - no match, empty and stop-word queries give nothing", () => {
  assert.deepEqual(index.search("zzzz qqqq"), []);
  assert.deepEqual(index.search("the of and"), []);
  assert.deepEqual(new ToolIndex([]).search("anything"), []);
});

Deno.test("Tool search - deterministic: ties broken by server then name", () => {
  const idx = new ToolIndex([tool("b", "get_x", "Get x."), tool("a", "get_x", "Get x.")]);
  const a = idx.search("get x", 2).map((m) => m.tool.server);
  assert.deepEqual(a, ["a", "b"]);
  assert.deepEqual(new ToolIndex(TOOLS).search("list files", 5), index.search("list files", 5));
});

Deno.test("Tool search - explain says why a tool scores", () => {
  const e = index.explain("remove the folder", "files", "list_directory") as {
    terms: Record<string, string>;
  };
  assert.match(e.terms.folder, /^directori /);
  assert.deepEqual(index.explain("x", "nope", "nope"), { missing: "nope/nope" });
});

Deno.test("Tool search - 600 tools ranked in well under 5 ms per query", () => {
  const many: SearchableTool[] = [];
  const verbs = ["get", "list", "create", "update", "delete", "search", "run", "send"];
  const nouns = ["issue", "file", "page", "user", "message", "branch", "record", "table", "job"];
  for (let s = 0; s < 30; s++) {
    for (let t = 0; t < 20; t++) {
      const v = verbs[(s + t) % verbs.length];
      const n = nouns[(s * 7 + t) % nouns.length];
      many.push(tool(`srv${s}`, `${v}_${n}_${t}`, `${v} a ${n} of server ${s}. `.repeat(8), [
        "id",
        "query",
        "limit",
      ]));
    }
  }
  const idx = new ToolIndex(many);
  const queries = ["delete the old issue", "find messages from bob", "list every table", "run job"];
  for (let i = 0; i < 20; i++) for (const q of queries) idx.search(q, 5);
  const started = performance.now();
  const rounds = 50;
  for (let i = 0; i < rounds; i++) for (const q of queries) idx.search(q, 5);
  const perQuery = (performance.now() - started) / (rounds * queries.length);
  assert.ok(perQuery < 5, `${perQuery.toFixed(2)} ms per query`);
});
