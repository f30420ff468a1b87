/**
 * @module Grounding of a Claude plan in the evidence: a command, package, image or env key that
 * appears nowhere in the README and manifests is flagged, never silently kept.
 */
import type { ClaudePlan } from "./prompt.ts";
import { imageBaseName } from "./launch.ts";

/** Launchers every plan may use without the README naming them. */
const GENERIC_COMMANDS = new Set([
  "npx",
  "uvx",
  "uv",
  "node",
  "python",
  "python3",
  "deno",
  "bun",
  "bunx",
  "docker",
  "podman",
  "pipx",
  "go",
  "cargo",
  "java",
]);

/**
 * Warnings for the parts of `plan` the texts never mention.
 * @param plan Claude's plan
 * @param texts the README and manifest texts Claude was shown
 */
export function ungroundedWarnings(
  plan: Pick<ClaudePlan, "command" | "package" | "image" | "env">,
  texts: string[],
): string[] {
  const corpus = texts.join("\n").toLowerCase();
  const seen = (word: string) => corpus.includes(word.toLowerCase());
  const warnings: string[] = [];
  const command = plan.command?.split(/[\\/]/).pop() ?? "";
  if (command && !GENERIC_COMMANDS.has(command) && !seen(command)) {
    warnings.push(`Claude's command "${command}" appears nowhere in the README or manifests`);
  }
  const pkg = plan.package?.replace(/@[^@/]+$/, "").replace(/(==|>=|\[).*$/, "");
  if (pkg && !seen(pkg)) {
    warnings.push(`Claude's package "${pkg}" appears nowhere in the README or manifests`);
  }
  if (plan.image && !seen(imageBaseName(plan.image))) {
    warnings.push(`Claude's image "${plan.image}" appears nowhere in the README or manifests`);
  }
  for (const e of plan.env) {
    if (!seen(e.key)) {
      warnings.push(`Claude's env key ${e.key} appears nowhere in the README or manifests`);
    }
  }
  return warnings;
}
