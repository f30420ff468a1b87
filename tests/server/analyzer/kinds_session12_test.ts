/**
 * @module Analyzer error kinds found on fresh repositories (issue #13, session 12), one test per
 * kind on a small synthetic README.
 */
import assert from "node:assert/strict";
import { gather, json } from "./readme_kit.ts";

/** A Claude Desktop block launching `command args` with env values. */
const block = (command: string, args: string[], env: Record<string, string> = {}) =>
  json({ mcpServers: { weather: { command, args, env } } });

Deno.test("kinds/session12 - a way 'recommended for npx' is recommended for an npx launch", () => {
  const ev = gather([
    "# Weather MCP",
    "## Installation",
    "### Method 1: Using environment variables",
    block("npx", ["-y", "@weather/mcp"], { WEATHER_API_KEY: "your_key" }),
    "### Method 2: Using command-line arguments (Recommended for npx)",
    block("npx", ["-y", "@weather/mcp", "--units=metric", "--tools=read-only"], {
      WEATHER_API_KEY: "your_key",
    }),
  ].join("\n"));
  assert.deepEqual(ev.plan?.args, ["-y", "@weather/mcp", "--units=metric", "--tools=read-only"]);
  // "Recommended for Docker" recommends nothing for the npx launch.
  const other = gather([
    "# Weather MCP",
    "### Method 1: Using environment variables",
    block("npx", ["-y", "@weather/mcp"], { WEATHER_API_KEY: "your_key" }),
    "### Method 2: Using command-line arguments (Recommended for Docker)",
    block("npx", ["-y", "@weather/mcp", "--units=metric"], { WEATHER_API_KEY: "your_key" }),
  ].join("\n"));
  assert.deepEqual(other.plan?.args, ["-y", "@weather/mcp"]);
});
