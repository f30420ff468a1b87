/**
 * @module Claude planner: one forced-tool `messages.create` call (plus at most one repair round)
 * that turns README + manifests + evidence into a plan, and the merge of that answer with the
 * deterministic evidence.
 */
import Anthropic from "@anthropic-ai/sdk";
import type { EnvVarSpec, Evidence } from "../schemas/server.ts";
import { createLogger, registerSecret } from "../../runtime/foundation/log.ts";
import type { Settings } from "../settings.ts";
import { issueList, issuesText } from "../errors.ts";
import type { HeuristicPlan } from "./evidence.ts";
import {
  buildUserMessage,
  type ClaudePlan,
  ClaudePlanSchema,
  PLAN_TOOL_NAME,
  planToolSchema,
  PROMPT_VERSION,
  type PromptInput,
  SYSTEM_PROMPT,
} from "./prompt.ts";

const log = createLogger("analyzer.planner");

/** Output token budget of the planning call. */
const MAX_TOKENS = 4096;

/** Options of {@linkcode askClaude}. */
export interface PlannerOptions {
  settings: Pick<Settings, "anthropicApiKey" | "anthropicBaseUrl" | "anthropicModel">;
  /** The retrying fetch handed to the SDK. */
  fetch?: typeof fetch;
  /** SDK retries for 429/5xx (default 2). */
  maxRetries?: number;
  /** SDK request timeout in ms (default 90 000). */
  timeoutMs?: number;
}

/** Claude's validated answer, or null with the reason in `warnings`. */
export interface ClaudeOutcome {
  plan: ClaudePlan | null;
  warnings: string[];
  /** Set when the API itself failed (network, auth, 5xx after retries). */
  apiError?: Error;
}

/** Semantic checks the JSON Schema cannot express; returns human-readable problems. */
export function planProblems(plan: ClaudePlan): string[] {
  const problems: string[] = [];
  if (plan.runtime === "remote" && !plan.url) problems.push("remote runtime needs url");
  if (plan.url) {
    try {
      new URL(plan.url);
    } catch {
      problems.push("url is not a valid URL");
    }
  }
  if (plan.runtime === "image" && !plan.image) problems.push("image runtime needs image");
  if (!["remote", "image"].includes(plan.runtime) && !plan.command) {
    problems.push(`${plan.runtime} runtime needs a command`);
  }
  const seen = new Set<string>();
  for (const e of plan.env) {
    if (seen.has(e.key)) problems.push(`duplicate env key ${e.key}`);
    seen.add(e.key);
  }
  if (plan.args.length > 64) problems.push("at most 64 args");
  return problems;
}

function validate(input: unknown): { plan: ClaudePlan | null; errors: string[] } {
  const parsed = ClaudePlanSchema.safeParse(input);
  if (!parsed.success) {
    return {
      plan: null,
      errors: issueList(parsed.error.issues).map((i) => issuesText([i])),
    };
  }
  const problems = planProblems(parsed.data);
  return problems.length ? { plan: null, errors: problems } : { plan: parsed.data, errors: [] };
}

/**
 * Ask Claude for a plan: one forced tool call, one repair round with the validation errors.
 * Never throws: API failures and invalid answers come back as `plan: null` plus warnings.
 * @param input repository facts, README, manifests and evidence
 * @param opts API key/base URL/model and the retrying fetch
 */
export async function askClaude(input: PromptInput, opts: PlannerOptions): Promise<ClaudeOutcome> {
  const { anthropicApiKey, anthropicBaseUrl, anthropicModel } = opts.settings;
  if (!anthropicApiKey) return { plan: null, warnings: [] };
  registerSecret(anthropicApiKey);
  const client = new Anthropic({
    apiKey: anthropicApiKey,
    baseURL: anthropicBaseUrl ?? undefined,
    fetch: opts.fetch,
    maxRetries: opts.maxRetries ?? 2,
    timeout: opts.timeoutMs ?? 90_000,
  });
  const tool: Anthropic.Messages.Tool = {
    name: PLAN_TOOL_NAME,
    description: "Submit the install-and-serve plan for this MCP server.",
    input_schema: planToolSchema() as Anthropic.Messages.Tool.InputSchema,
  };
  const messages: Anthropic.Messages.MessageParam[] = [
    { role: "user", content: buildUserMessage(input) },
  ];
  const warnings: string[] = [];
  for (let round = 1; round <= 2; round++) {
    let response: Anthropic.Messages.Message;
    try {
      response = await client.messages.create({
        model: anthropicModel,
        max_tokens: MAX_TOKENS,
        // No `temperature`: the Messages API of SDK 1.x has dropped sampling parameters (the
        // SDK's changelog records the deprecation); the forced tool call keeps answers stable.
        system: SYSTEM_PROMPT,
        messages,
        tools: [tool],
        tool_choice: { type: "tool", name: PLAN_TOOL_NAME },
      });
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      log.warn("anthropic request failed", { error: err, round });
      return {
        plan: null,
        warnings: [
          `Claude was unavailable (${err.message.slice(0, 200)}); used the heuristic plan`,
        ],
        apiError: err,
      };
    }
    const use = response.content.find((b): b is Anthropic.Messages.ToolUseBlock =>
      b.type === "tool_use" && b.name === PLAN_TOOL_NAME
    );
    const { plan, errors } = use
      ? validate(use.input)
      : { plan: null, errors: [`no ${PLAN_TOOL_NAME} tool call in the answer`] };
    if (plan) {
      log.info("claude plan accepted", { round, runtime: plan.runtime, prompt: PROMPT_VERSION });
      return { plan, warnings };
    }
    log.warn("claude plan rejected", { round, errors: errors.slice(0, 10) });
    if (round === 2) break;
    messages.push({ role: "assistant", content: response.content });
    const feedback = `The plan is invalid:\n- ${errors.slice(0, 20).join("\n- ")}\n` +
      `Call ${PLAN_TOOL_NAME} again with a corrected plan.`;
    messages.push({
      role: "user",
      content: use
        ? [{ type: "tool_result", tool_use_id: use.id, is_error: true, content: feedback }]
        : feedback,
    });
  }
  warnings.push("Claude's answer was invalid twice; used the heuristic plan");
  return { plan: null, warnings };
}

/**
 * The launch fields of Claude's plan as plan fields (no command for images and remotes, no args
 * for remotes).
 */
export function claudeLaunch(claude: ClaudePlan) {
  return {
    runtime: claude.runtime,
    command: claude.runtime === "image" || claude.runtime === "remote" ? null : claude.command,
    args: claude.runtime === "remote" ? [] : claude.args,
    package: claude.package,
    image: claude.image,
    url: claude.url,
    transport: claude.transport,
    install: claude.install,
  };
}

/** The merged plan fields and their provenance. */
export interface MergedPlan {
  fields: HeuristicPlan & { display_name?: string; description?: string; detected_tools: string[] };
  source: "claude" | "heuristic" | "mixed";
  evidence: Evidence[];
  notes: string[];
}

const LAUNCH_FIELDS = [
  "runtime",
  "command",
  "args",
  "package",
  "image",
  "url",
  "transport",
  "install",
] as const;

/**
 * Merge Claude's plan with the heuristic one: Claude decides the launch; env keys only the
 * evidence found are added; manifest-declared required/secret flags (server.json) win.
 * @param heuristic evidence plan (may be null)
 * @param claude Claude's plan (may be null)
 * @param opts `declared`: env flags from server.json that override both
 */
export function mergePlans(
  heuristic: HeuristicPlan | null,
  claude: ClaudePlan | null,
  opts: { declared?: Map<string, { isRequired?: boolean; isSecret?: boolean }> } = {},
): MergedPlan | null {
  if (!claude) {
    return heuristic
      ? {
        fields: { ...heuristic, detected_tools: [] },
        source: "heuristic",
        evidence: [],
        notes: [],
      }
      : null;
  }
  const evidence: Evidence[] = [];
  let mixed = false;
  const env: EnvVarSpec[] = claude.env.map((e) => {
    const spec: EnvVarSpec = {
      key: e.key,
      description: e.description,
      required: e.required,
      secret: e.secret,
    };
    if (e.default !== undefined && !e.required) spec.default = e.default;
    const d = opts.declared?.get(e.key);
    if (d?.isRequired !== undefined && d.isRequired !== spec.required) {
      spec.required = d.isRequired;
      mixed = true;
      evidence.push({ field: `env.${e.key}.required`, file: "server.json" });
    }
    return spec;
  });
  for (const h of heuristic?.env ?? []) {
    if (!env.some((e) => e.key === h.key)) {
      env.push(h);
      mixed = true;
      evidence.push({
        field: `env.${h.key}`,
        file: "heuristic",
        text: "found by the evidence reader",
      });
    }
  }
  for (const f of LAUNCH_FIELDS) {
    evidence.push({ field: f, file: "claude", text: PROMPT_VERSION });
  }
  if (heuristic && (heuristic.runtime !== claude.runtime || heuristic.command !== claude.command)) {
    log.info("claude disagreed with the heuristic launch", {
      heuristic: `${heuristic.runtime} ${heuristic.command}`,
      claude: `${claude.runtime} ${claude.command}`,
    });
  }
  return {
    fields: {
      ...claudeLaunch(claude),
      env: env.slice(0, 100),
      display_name: claude.display_name,
      description: claude.description,
      detected_tools: claude.detected_tools,
    },
    source: mixed ? "mixed" : "claude",
    evidence,
    notes: claude.notes,
  };
}
