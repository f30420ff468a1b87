/**
 * @module The analyzer's prompt: system text, user message layout, README trimming and the
 * forced tool. Everything Claude sees is built here; bump {@linkcode PROMPT_VERSION} on change.
 */
import { z } from "zod";
import { EnvKeySchema, RuntimeSchema, TransportSchema } from "../schemas/server.ts";
import type { Candidate, HeuristicPlan } from "./evidence.ts";

/** Version of the prompt text, recorded in plan evidence. */
export const PROMPT_VERSION = "analyzer-prompt-v1";

/** Name of the single tool Claude must call. */
export const PLAN_TOOL_NAME = "submit_plan";

/** README budget in characters (~15k tokens). */
export const README_CHAR_BUDGET = 60_000;
/** Per-manifest budget in characters. */
export const MANIFEST_CHAR_BUDGET = 8_000;

/** What Claude answers through the tool (the launch-relevant plan fields). */
export const ClaudePlanSchema = z.object({
  runtime: RuntimeSchema.describe(
    "npx (npm package), uvx (PyPI package, also `uv run --with`), image (container image, i.e. docker run), source (build steps + command), remote (hosted URL only)",
  ),
  command: z.string().nullable().describe(
    "executable: npx, uvx, uv or a binary; null for image and remote",
  ),
  args: z.array(z.string()).describe(
    "arguments after the command (for image: arguments after the image name)",
  ),
  package: z.string().nullable().describe("npm/PyPI package, Go module; null for remote"),
  image: z.string().nullable().describe("image reference for the image runtime, else null"),
  url: z.string().nullable().describe("endpoint for remote servers, else null"),
  transport: TransportSchema,
  install: z.array(z.string()).describe(
    "shell build/install steps for the source runtime, else []",
  ),
  env: z.array(z.object({
    key: EnvKeySchema,
    description: z.string(),
    required: z.boolean(),
    secret: z.boolean(),
    default: z.string().optional(),
  })),
  display_name: z.string().max(200),
  description: z.string().max(4000),
  detected_tools: z.array(z.string()).describe("names of the MCP tools the README lists"),
  notes: z.array(z.string()).describe("caveats the user should know (prerequisites, alternatives)"),
});
/** Claude's answer. */
export type ClaudePlan = z.infer<typeof ClaudePlanSchema>;

/** The tool's JSON Schema, generated from zod. */
export function planToolSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ClaudePlanSchema) as Record<string, unknown>;
  delete schema.$schema;
  return schema;
}

/** System prompt. */
export const SYSTEM_PROMPT =
  `You turn an MCP server's repository (README and manifests) into ONE install-and-serve plan
for a router that runs each server in a fresh container. Answer only by calling the ${PLAN_TOOL_NAME} tool.

Rules:
- Prefer the README's recommended Claude Desktop / "mcpServers" block for the repository's OWN package
  (the package named in package.json / pyproject.toml / server.json). Ignore Windows "cmd /c" variants,
  development / debugging / inspector / build-from-source instructions when a published package exists.
- runtime: npx for npm packages (command "npx", args start with "-y", PACKAGE); uvx for PyPI packages
  (command "uvx"; \`uv run --with PKG\` keeps the literal "uv" launcher); image for container images
  ("docker run … IMAGE" → image = IMAGE, command null, args = what follows the image, env from -e KEY);
  source for binaries built from the repository (install = the README's clone/build/go install steps);
  remote only when the README documents nothing but a hosted endpoint (command null, args [], url set).
- args follow the README block. Keep placeholder paths as written. Never put secrets in args:
  \`--api-key=...\` style arguments are dropped and the environment variable the README names is added
  to env instead (required when the chosen command needed it).
- Transport trap: if the README says the server defaults to HTTP/SSE and a \`--transport stdio\` flag
  exists, a stdio plan must add that flag to args.
- env: every variable the server reads per README/manifests, excluding machine/toolchain variables
  (PATH, GOPATH, PYTHONIOENCODING, …). required = true only when the server cannot do its main job
  without it; variables with documented defaults, alternatives, or optional tuning are not required.
  secret = tokens, keys and passwords.
- Use the deterministic evidence below as hints; correct it when the README clearly says otherwise.`;

/** Split markdown into sections (heading + body). */
function sections(text: string): { heading: string; body: string }[] {
  const out: { heading: string; body: string }[] = [];
  let cur = { heading: "", body: "" };
  let inFence = false;
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (!inFence && /^#{1,6}\s/.test(line)) {
      out.push(cur);
      cur = { heading: line, body: "" };
    }
    cur.body += line + "\n";
  }
  out.push(cur);
  return out.filter((s) => s.body.trim());
}

const PRIORITY_RE =
  /install|usage|config|setup|quick ?start|getting started|environment|claude|running|\brun\b|docker|npx|uvx|transport/i;

/**
 * Trim a README to a character budget, keeping the intro, then installation/configuration
 * sections, then the rest in document order.
 * @param text README markdown
 * @param budget maximum characters (default {@linkcode README_CHAR_BUDGET})
 */
export function trimReadme(text: string, budget = README_CHAR_BUDGET): string {
  if (text.length <= budget) return text;
  const all = sections(text);
  const intro = all[0] ? [all[0]] : [];
  const priority = all.slice(1).filter((s) => PRIORITY_RE.test(s.heading));
  const rest = all.slice(1).filter((s) => !PRIORITY_RE.test(s.heading));
  let used = 0;
  const kept: string[] = [];
  for (const s of [...intro, ...priority, ...rest]) {
    const piece = s.body.length > budget / 2
      ? s.body.slice(0, Math.floor(budget / 2)) + "\n…\n"
      : s.body;
    if (used + piece.length > budget) continue;
    kept.push(piece);
    used += piece.length;
  }
  return `${kept.join("")}\n[README trimmed from ${text.length} to ${used} characters]`;
}

/** Inputs of {@linkcode buildUserMessage}. */
export interface PromptInput {
  repo: string;
  subpath: string | null;
  description: string;
  readme: string;
  files: Record<string, string>;
  candidates: Candidate[];
  heuristic: HeuristicPlan | null;
  /** Launches of earlier plans that failed verification (repair rounds), oldest first. */
  failures?: { launch: string; error: string; logs: string[] }[];
}

/** The user message: repository facts, manifests, evidence, heuristic plan and trimmed README. */
export function buildUserMessage(input: PromptInput): string {
  const manifests = Object.entries(input.files).map(([name, text]) =>
    `<file name="${name}">\n${text.slice(0, MANIFEST_CHAR_BUDGET)}${
      text.length > MANIFEST_CHAR_BUDGET ? "\n…(truncated)" : ""
    }\n</file>`
  ).join("\n");
  const evidence = input.candidates.slice(0, 8).map((c) =>
    `- score ${c.score.toFixed(1)} ${c.kind} ${c.file}${
      c.line ? `:${c.line}` : ""
    } [${c.section}] ` +
    `${c.runtime}: ${[c.command, ...c.args].filter(Boolean).join(" ") || c.url} ` +
    `env=${Object.keys(c.env).join(",")}${c.own ? " (own package)" : ""}`
  ).join("\n");
  return [
    `Repository: ${input.repo}${input.subpath ? ` (folder ${input.subpath})` : ""}`,
    `Description: ${input.description || "(none)"}`,
    `\n<manifests>\n${manifests || "(none)"}\n</manifests>`,
    `\n<evidence>\n${evidence || "(no launch commands found)"}\n</evidence>`,
    `\n<heuristic_plan>\n${JSON.stringify(input.heuristic)}\n</heuristic_plan>`,
    `\n<readme>\n${trimReadme(input.readme)}\n</readme>`,
    ...(input.failures?.length ? [failuresSection(input.failures)] : []),
  ].join("\n");
}

/** The failed launches of earlier rounds, and what to do about them. */
function failuresSection(failures: NonNullable<PromptInput["failures"]>): string {
  const items = failures.map((f, i) =>
    `<failed_launch round="${i + 1}">\nlaunch: ${f.launch}\nerror: ${f.error}\n` +
    `last log lines:\n${f.logs.slice(-20).join("\n").slice(0, 4000)}\n</failed_launch>`
  ).join("\n");
  return `\n${items}\nThese plans were launched in a fresh container and failed. Submit a ` +
    `corrected plan that fixes the cause shown by the error and the log (another documented ` +
    `command, package, arguments or runtime); do not repeat a failed launch.`;
}
