/**
 * @module Small synthetic READMEs for the analyzer's kind tests: fenced JSON and shell blocks, and
 * the deterministic evidence of a README (owner `alice`, no sub-folder).
 */
import { gatherEvidence } from "../../../server/analyzer/evidence.ts";

/** A Markdown code fence. */
export const fence = "```";
/** A fenced JSON block of a value. */
export const json = (o: unknown) => [`${fence}json`, JSON.stringify(o, null, 2), fence].join("\n");
/** A Claude Desktop block launching `command args` with env values (server name `weather`). */
export const block = (command: string, args: string[], env: Record<string, string> = {}) =>
  json({ mcpServers: { weather: { command, args, env } } });
/** A fenced bash block of lines. */
export const sh = (...lines: string[]) => [`${fence}bash`, ...lines, fence].join("\n");

/** The deterministic evidence of a README and its manifest files. */
export function gather(readme: string, files: Record<string, string> = {}, repo = "weather-mcp") {
  return gatherEvidence({
    readme: { path: "README.md", text: readme },
    files,
    repoName: repo,
    subpath: null,
    owner: "alice",
  });
}

/** The required keys of an env list, sorted. */
export const required = (env: { key: string; required: boolean }[]) =>
  env.filter((e) => e.required).map((e) => e.key).sort();
