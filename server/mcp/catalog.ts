/**
 * @module Catalog: what the router exposes, computed from stored servers and their cached
 * capabilities only (listing never starts a container).
 *
 * `servers` mode: one tool per server (`{tool?, arguments?}`); `tools` mode: every cached tool as
 * `<server>__<tool>`. Servers with `namespace: none` always expose their own tools, resources and
 * prompts unprefixed.
 */
import type {
  Prompt,
  Resource,
  ResourceTemplateType as ResourceTemplate,
  Tool,
} from "@modelcontextprotocol/server";
import type { Capabilities, ServerRecord } from "../schemas/server.ts";
import { assignNames, wrapUri } from "./names.ts";

/** Exposure mode. */
export type ExposeMode = "servers" | "tools";

/**
 * How long a built catalogue is reused before the stored servers are read again (changes made
 * in this process rebuild it at once; changes by another process, e.g. the CLI, show after at
 * most this long). Also the `ttlMs` of the list results 2026-07-28 clients get.
 */
export const CATALOG_TTL_MS = 2_000;

/** Where a call to an exposed tool goes. */
export type ToolTarget =
  | { kind: "server"; server: ServerRecord }
  | { kind: "tool"; server: ServerRecord; tool: string }
  | { kind: "builtin"; name: string };

/** One exposed tool and its target. */
export interface ExposedTool {
  tool: Tool;
  target: ToolTarget;
}

/** One exposed prompt and where it goes. */
export interface ExposedPrompt {
  prompt: Prompt;
  server: ServerRecord;
  original: string;
}

/** Everything the router exposes for one listing. */
export interface Catalog {
  tools: ExposedTool[];
  prompts: ExposedPrompt[];
  resources: Resource[];
  resourceTemplates: ResourceTemplate[];
  /** Exposed tool name → target. */
  toolByName: Map<string, ExposedTool>;
  promptByName: Map<string, ExposedPrompt>;
  /** Server name → record (active servers only). */
  serverByName: Map<string, ServerRecord>;
}

/** Input schema of a server-as-tool. */
export const SERVER_TOOL_INPUT_SCHEMA = {
  type: "object" as const,
  properties: {
    tool: { type: "string", description: "Its tool to call; omit to list them with schemas." },
    arguments: {
      type: "object",
      description: "That tool's arguments.",
      additionalProperties: true,
    },
  },
  additionalProperties: false,
};

/** The first sentence of a text's prose (markdown headings skipped), on one line, capped. */
function firstSentence(text: string | undefined, max = 300): string {
  const prose = (text ?? "").split("\n").filter((l) => !/^\s*#/.test(l)).join("\n");
  const flat = prose.replace(/\s+/g, " ").trim();
  const sentence = flat.match(/^.*?[.!?](?=\s|$)/)?.[0] ?? flat;
  return sentence.length > max ? `${sentence.slice(0, max - 1)}…` : sentence;
}

/**
 * What a server says of itself in `initialize`: its title, else the first sentence of its
 * instructions ("" when neither).
 * @param caps the server's capabilities snapshot
 */
export function selfDescription(caps: Capabilities | null | undefined): string {
  return caps?.server_info?.title?.trim() || firstSentence(caps?.instructions);
}

/** Most tool names listed in a server-as-tool's description. */
const MAX_LISTED_TOOLS = 60;

/**
 * Description of a server-as-tool, kept short (the model sees one per server): what the server
 * is for and its tool names — no per-tool summaries; schemas come when it is loaded, or from
 * `find_tools`. Without a description of its own, what the server says of itself stands in.
 */
export function describeServer(server: ServerRecord): string {
  const about = firstSentence(server.description || selfDescription(server.capabilities), 200);
  const head = [server.display_name || server.name, about].filter(Boolean).join(": ");
  const tools = server.capabilities?.tools ?? [];
  const listed = tools.slice(0, MAX_LISTED_TOOLS).map((t) => t.name).join(", ");
  const more = tools.length > MAX_LISTED_TOOLS
    ? ` and ${tools.length - MAX_LISTED_TOOLS} more`
    : "";
  const body = tools.length
    ? `Tools: ${listed}${more}.`
    : "Tools not yet known: call without `tool` to load the server and list them.";
  return `${head}\n${body}`;
}

/**
 * Build the catalog.
 * @param servers stored servers (inactive ones are skipped)
 * @param options exposure mode, built-in tools (e.g. `python_sandbox`), and the ids of servers
 *   that need setup (a required env value missing: skipped too)
 */
export function buildCatalog(
  servers: ServerRecord[],
  options: { mode: ExposeMode; builtins?: Tool[]; needsSetup?: ReadonlySet<string> },
): Catalog {
  const active = servers.filter((s) => s.active && !options.needsSetup?.has(s.id));
  const candidates: { raw: string; identity: string; make: (name: string) => ExposedTool }[] = [];
  for (const b of options.builtins ?? []) {
    candidates.push({
      raw: b.name,
      identity: `0builtin:${b.name}`,
      make: (name) => ({ tool: { ...b, name }, target: { kind: "builtin", name: b.name } }),
    });
  }
  for (const server of active) {
    // Flat exposure needs the cached tool list; a server never loaded is exposed as one tool.
    const flat = (options.mode === "tools" || server.namespace === "none") &&
      server.capabilities !== null;
    if (!flat) {
      candidates.push({
        raw: server.name,
        identity: `1server:${server.name}`,
        make: (name) => ({
          tool: {
            name,
            title: server.display_name || server.name,
            description: describeServer(server),
            inputSchema: SERVER_TOOL_INPUT_SCHEMA,
          },
          target: { kind: "server", server },
        }),
      });
      continue;
    }
    for (const t of server.capabilities?.tools ?? []) {
      const raw = server.namespace === "none" ? t.name : `${server.name}__${t.name}`;
      candidates.push({
        raw,
        identity: `2tool:${server.name}:${t.name}`,
        make: (name) => ({
          tool: { ...t, name, inputSchema: t.inputSchema as Tool["inputSchema"] } as Tool,
          target: { kind: "tool", server, tool: t.name },
        }),
      });
    }
  }
  const names = assignNames(candidates);
  const tools = candidates.map((c) => c.make(names.get(c.identity)!));

  const promptCandidates: { raw: string; identity: string; make: (n: string) => ExposedPrompt }[] =
    [];
  const resources: Resource[] = [];
  const resourceTemplates: ResourceTemplate[] = [];
  for (const server of active) {
    const caps = server.capabilities;
    if (!caps) continue;
    const plain = server.namespace === "none";
    for (const p of caps.prompts) {
      const original = String(p.name);
      promptCandidates.push({
        raw: plain ? original : `${server.name}__${original}`,
        identity: `${server.name}:${original}`,
        make: (name) => ({ prompt: { ...p, name } as Prompt, server, original }),
      });
    }
    for (const r of caps.resources) {
      const uri = String(r.uri);
      resources.push({ ...r, uri: plain ? uri : wrapUri(server.name, uri) } as Resource);
    }
    for (const t of caps.resource_templates) {
      const uriTemplate = String(t.uriTemplate);
      resourceTemplates.push(
        {
          ...t,
          uriTemplate: plain ? uriTemplate : wrapUri(server.name, uriTemplate),
        } as ResourceTemplate,
      );
    }
  }
  const promptNames = assignNames(promptCandidates);
  const prompts = promptCandidates.map((c) => c.make(promptNames.get(c.identity)!));
  return {
    tools,
    prompts,
    resources,
    resourceTemplates,
    toolByName: new Map(tools.map((t) => [t.tool.name, t])),
    promptByName: new Map(prompts.map((p) => [p.prompt.name, p])),
    serverByName: new Map(active.map((s) => [s.name, s])),
  };
}
