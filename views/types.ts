/**
 * @module View models: the plain values forms render (what the user typed, as strings), and
 * the per-field error map. Route code converts plans to and from these.
 */

/** One row of the env-var table. */
export interface EnvRowValues {
  key: string;
  description: string;
  required: boolean;
  secret: boolean;
  /** Default value ("" for none). */
  default: string;
  /** Value to store (new servers only; secret values are never echoed back). */
  value: string;
  /** A secret value typed earlier, sealed for the round trip ("" for none). */
  sealed: string;
}

/** A command-line value the user fills in (a plan's `arg_fields` entry and what was typed). */
export interface ArgFieldRowValues {
  /** The flag (`--password`). */
  flag: string;
  description: string;
  required: boolean;
  /** Masked input; the value is stored as a secret. */
  secret: boolean;
  /** Passed as `flag=value`. */
  equals: boolean;
  /** What was typed (a secret is never echoed back). */
  value: string;
  /** A secret value typed earlier, sealed for the round trip ("" for none). */
  sealed: string;
}

/** One row of the host-folder (mounts) table. */
export interface MountRowValues {
  /** Host path. */
  source: string;
  /** Container path. */
  target: string;
  readonly: boolean;
}

/** An empty mount row (read-only by default). */
export function emptyMountRow(): MountRowValues {
  return { source: "", target: "", readonly: true };
}

/** The plan form as strings, exactly as typed. */
export interface PlanFormValues {
  name: string;
  display_name: string;
  description: string;
  runtime: string;
  package: string;
  image: string;
  /** One install step per line. */
  install: string;
  command: string;
  /** One argument per line. */
  args: string;
  transport: string;
  url: string;
  /** Remote request headers, one `Name: value` per line (`${VAR}` from env values). */
  headers: string;
  port: string;
  path: string;
  lifecycle: string;
  namespace: string;
  /** Egress policy: `egress` (default), `none` or `host-services`. */
  network?: string;
  env: EnvRowValues[];
  /** Host folders mounted into the container (blank rows are ignored). */
  mounts?: MountRowValues[];
  /** Command-line values to fill in (create only; their placeholders were left out of args). */
  arg_fields?: ArgFieldRowValues[];
}

/** Field name (`name`, `env.0.key`, `arg.text`…) → message; `_form` for the whole form. */
export type FieldErrors = Record<string, string>;

/** An empty env row. */
export function emptyEnvRow(): EnvRowValues {
  return {
    key: "",
    description: "",
    required: false,
    secret: false,
    default: "",
    value: "",
    sealed: "",
  };
}

/** One analysis step as shown on the progress list. */
export interface AnalysisStepView {
  step: string;
  label: string;
  state: "done" | "active" | "pending" | "skipped" | "failed";
  detail?: string;
  /** Why a failed step failed, on one line (the registry's answer, the launch's error). */
  cause?: string;
  /** The whole error when it is longer than its cause (folded under the step). */
  fullError?: string;
  /** Launch rounds of verification (a failed launch is repaired and relaunched), live. */
  rounds?: { text: string; state: "done" | "active" | "failed" }[];
}

/** Another documented way to run the planned server, one click away in the review form. */
export interface AlternativeView {
  index: number;
  runtime: string;
  /** The launch as one line. */
  launch: string;
}

/** An analysis job as the pages show it. */
export interface AnalysisView {
  id: string;
  source: string;
  status: "running" | "done" | "failed";
  steps: AnalysisStepView[];
  error?: string;
  warnings: string[];
  detectedTools: string[];
  /** `claude`, `heuristic`, `deterministic`… */
  planSource?: string;
  verification?: {
    ok: boolean;
    /** One line: why it failed. */
    error?: string;
    tools?: string[];
    /** The last log lines of the verification launch (redacted). */
    logs?: string[];
  };
}

/** One content block of a tool result, resource read or prompt message, ready to render. */
export type ResultBlock =
  & (
    | { type: "text"; text: string }
    | { type: "image"; src: string; mimeType: string }
    | { type: "audio"; src: string; mimeType: string }
    | { type: "resource"; uri: string; text?: string; mimeType?: string }
    | { type: "other"; json: string }
  )
  & {
    /** Who says it (prompt messages: `user`, `assistant`). */
    role?: string;
  };

/** A Try-it outcome: the tool's result, or why the call failed. */
export interface ToolResultView {
  tool: string;
  isError: boolean;
  blocks: ResultBlock[];
  /** `structuredContent` as pretty JSON. */
  structured?: string;
  /** The call itself failed (bad input, router error). */
  error?: string;
  durationMs?: number;
  /** What it is a result of (default: a tool call). */
  kind?: "tool" | "resource" | "prompt";
}

/** A router→UI request waiting for the admin, as its answer form shows it. */
export type InputView =
  & { key: string; values?: Record<string, string>; errors?: FieldErrors }
  & (
    | { kind: "elicitation"; message: string; schema: Record<string, unknown> }
    | {
      kind: "sampling";
      messages: { role: string; text: string }[];
      systemPrompt?: string;
      maxTokens?: number;
    }
  );

/** One JSON-RPC message of a UI call, for the raw view. */
export interface RawMessageView {
  direction: "sent" | "received";
  json: string;
}

/** A UI call (tool call, resource read, prompt get) as the pages show it. */
export interface CallView {
  id: string;
  serverId: string;
  kind: "tool" | "resource" | "prompt";
  /** Tool name, resource URI or prompt name. */
  label: string;
  state: "running" | "input" | "done";
  startedAt: string;
  elapsedMs: number;
  progress?: { progress: number; total?: number; message?: string };
  input?: InputView;
  result?: ToolResultView;
  ok?: boolean;
  raw: RawMessageView[];
}

/** A test outcome: the report, or why the test could not run. */
export interface TestView {
  ok: boolean;
  tools: { name: string; description?: string }[];
  resources: number;
  prompts: number;
  error: string | null;
  logs: string[];
  durationMs: number | null;
  /** The runtime is unavailable (503): shown as a notice, not a failure. */
  degraded?: boolean;
  /** Why the server failed to start (its `summary` is `error`), when it failed at start-up. */
  failure?: { kind: string; subject: string | null } | null;
  /** The remote server wants an OAuth authorization first (see the Authorization card). */
  needsAuthorization?: boolean;
}
