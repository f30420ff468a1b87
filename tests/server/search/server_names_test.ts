/** Tool search: the words that name a server, and the prior they give its tools. */
import assert from "node:assert/strict";
import { namingWords, productTerms, serverNameTerms } from "../../../server/search/server_names.ts";
import { type SearchableTool, toolFields } from "../../../server/search/tool_fields.ts";
import { ToolIndex } from "../../../server/search/tool_search.ts";

function tool(server: string, name: string, description: string, about = ""): SearchableTool {
  return { server, serverAbout: about, name, description, inputSchema: {} };
}

Deno.test("Server names - product words: capitalised inside a sentence, whole", () => {
  assert.deepEqual(productTerms("Gmail server for HubSpot and Jira. Fast"), ["hubspot", "jira"]);
  assert.deepEqual(productTerms("A server for Claude"), ["claud"]);
  assert.deepEqual(namingWords("find deals in HubSpot"), [
    "find",
    "deal",
    "hub",
    "spot",
    "hubspot",
  ]);
});

Deno.test("Server names - a word names a server only when its tools are most of those saying it", () => {
  const tools = [
    tool("redis", "set", "Set a Redis key with an optional expiration time."),
    tool("redis", "get", "Get a Redis value by key."),
    tool("time", "get_current_time", "Get the current time in a timezone."),
    tool("cal", "list_events", "List events in a time range."),
    tool("cal", "create_event", "Create an event at a time."),
    tool("notes", "notes_search", "Search notes.", "Notes for Claude and Acme users"),
    tool("notes", "notes_add", "Add a note for Acme."),
  ];
  const servers = ["redis", "time", "cal", "notes"];
  const serverOf = tools.map((t) => servers.indexOf(t.server));
  const abouts = servers.map((s) => tools.find((t) => t.server === s)!.serverAbout);
  const named = serverNameTerms(toolFields(tools), serverOf, abouts);
  assert.deepEqual(named.get("redi"), [0]);
  assert.equal(named.get("time"), undefined); // other servers' tools say "time" too
  assert.deepEqual(named.get("note"), [3]); // the shared `notes_` prefix
  assert.deepEqual(named.get("acm"), [3]); // a product its own tools name
  assert.equal(named.get("claud"), undefined); // only in the description
});

Deno.test("Server names - a query naming a product ranks that server's tools first", () => {
  const tools = [
    tool("excel", "create_sheet", "Add an empty worksheet to an Excel workbook."),
    tool("excel", "read_range", "Read cell values of an Excel sheet."),
    tool("sheets", "create_spreadsheet", "Create a new spreadsheet document with a sheet."),
    tool("sheets", "add_rows", "Add rows to a spreadsheet."),
  ];
  const idx = new ToolIndex(tools);
  assert.equal(idx.search("add a new sheet in Excel")[0].tool.server, "excel");
  const plain = new ToolIndex(tools, { named: 0 });
  const score = (i: ToolIndex) =>
    i.search("add a new sheet in Excel", 4).find((m) => m.tool.name === "create_sheet")!.score;
  assert.ok(score(idx) > score(plain));
});
