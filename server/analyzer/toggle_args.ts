/**
 * @module Feature switches a README block only demonstrates: a launch copied from "To disable it:
 * … In Claude Desktop config:" carries the switch it shows (`--disable-mcp-ui`,
 * `--serve-resources=false`); the plan runs the server as it comes, without it.
 */

/** Prose that presents a block as the way to turn a default feature off. */
const DISABLE_CONTEXT_RE =
  /\bto (disable|turn off|switch off|opt out)\b|\b(disable|turn off) (it|this|that)\b|\bcan be (disabled|turned off)\b|\byou can disable\b/i;

/** A switch that turns something off: `--disable-x`, `--no-x`, `--x=false`. */
const OFF_SWITCH_RE = /^--(?:(?:disable|no)-[a-z0-9-]+|[a-z][a-z0-9-]*=(?:false|off|0|no))$/i;

/**
 * The arguments without the off-switches the block's context shows how to use.
 * @param args the launch's arguments
 * @param context the prose before the block, and its section heading
 * @returns the arguments kept and the switches left out
 */
export function withoutDemoToggles(
  args: readonly string[],
  context: string,
): { args: string[]; dropped: string[] } {
  if (!DISABLE_CONTEXT_RE.test(context)) return { args: [...args], dropped: [] };
  // (Only a switch of the feature the prose names: `--disable-mcp-ui` under "MCP-UI is enabled by
  // default", not a `--no-sandbox` the launch needs.)
  const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "");
  const prose = squash(context);
  const shown = (a: string) =>
    OFF_SWITCH_RE.test(a) &&
    prose.includes(squash(a.replace(/^--(disable-|no-)?/i, "").replace(/=.*$/, "")));
  return { args: args.filter((a) => !shown(a)), dropped: args.filter(shown) };
}
