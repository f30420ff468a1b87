/**
 * @module The built-in `python_sandbox` MCP tool: its definition (input and output JSON Schemas)
 * and the conversion of a {@linkcode SandboxResult} into an MCP `CallToolResult` (a text
 * summary, one image per figure, one embedded resource per output file, structured content).
 */
import type { CallToolResult, Tool } from "@modelcontextprotocol/server";
import { SandboxError, type SandboxIssue } from "./errors.ts";
import type { SandboxManager } from "./runner.ts";
import type { SandboxResult } from "./schemas.ts";

/** The tool's name. */
export const PYTHON_SANDBOX_TOOL_NAME = "python_sandbox";

const nullableString = { type: ["string", "null"] } as const;

/** The tool definition listed by `tools/list`. */
export const PYTHON_SANDBOX_TOOL: Tool = {
  name: PYTHON_SANDBOX_TOOL_NAME,
  title: "Python sandbox",
  description: [
    "Run Python 3 code in an isolated, notebook-like sandbox (one per client session; variables,",
    "imports and files persist between calls until `reset` or idle timeout).",
    "Available: pandas, numpy, scipy, matplotlib, seaborn, scikit-learn, requests, openpyxl.",
    "The value of a final bare expression is returned like a notebook cell; stdout/stderr are",
    "captured (capped at 100 KB each). Every matplotlib figure created or modified is returned",
    "as a PNG image (no need to call plt.show()). Pass small input files with `files` (written to",
    "the working directory /work); files written to /work/out are returned. No network access",
    "unless the administrator enabled it; the filesystem outside /work and /tmp is read-only.",
  ].join(" "),
  inputSchema: {
    type: "object",
    properties: {
      code: { type: "string", description: "Python source to execute." },
      timeout_s: {
        type: "number",
        exclusiveMinimum: 0,
        description: "Wall-clock limit in seconds (default 30; capped by the server maximum).",
      },
      reset: {
        type: "boolean",
        description: "Discard all state and start a fresh interpreter before running the code.",
      },
      files: {
        type: "array",
        description: "Small input files (CSV, JSON, text) written to /work before the code runs.",
        items: {
          type: "object",
          properties: {
            name: { type: "string", description: "Plain file name, e.g. data.csv." },
            content: { type: "string", description: "File content (UTF-8 text, or base64)." },
            encoding: { type: "string", enum: ["utf-8", "base64"] },
          },
          required: ["name", "content"],
        },
      },
    },
    required: ["code"],
  },
  outputSchema: {
    type: "object",
    properties: {
      stdout: { type: "string" },
      stderr: { type: "string" },
      result: nullableString,
      exit_status: { type: "string", enum: ["ok", "error", "timeout", "crashed"] },
      error: {
        type: ["object", "null"],
        properties: {
          type: { type: "string" },
          message: { type: "string" },
          traceback: { type: "string" },
        },
      },
      elapsed_ms: { type: "number" },
      figures: { type: "integer", description: "Number of figures returned as images." },
      figures_dropped: { type: "integer" },
      files_out: {
        type: "array",
        items: {
          type: "object",
          properties: {
            name: { type: "string" },
            size: { type: "integer" },
            mime_type: { type: "string" },
            returned: { type: "boolean" },
          },
        },
      },
      stdout_truncated: { type: "boolean" },
      stderr_truncated: { type: "boolean" },
      timed_out: { type: "boolean" },
      state_lost: { type: "boolean" },
      notes: { type: "array", items: { type: "string" } },
    },
    required: [
      "stdout",
      "stderr",
      "result",
      "exit_status",
      "error",
      "elapsed_ms",
      "figures",
      "stdout_truncated",
      "stderr_truncated",
      "timed_out",
      "state_lost",
    ],
  },
  annotations: {
    title: "Python sandbox",
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: false,
  },
};

type Content = CallToolResult["content"][number];

/** A tool result whose structured content is an object of named fields. */
export type SandboxToolResult = CallToolResult & { structuredContent?: Record<string, unknown> };

const TEXTUAL_MIME = /^(text\/|application\/(json|xml|csv|x-yaml|yaml|javascript))/;

/** The text summary shown to the model. */
export function summarize(result: SandboxResult): string {
  const parts: string[] = [];
  const status = result.exit_status === "ok" ? "ok" : result.exit_status.toUpperCase();
  parts.push(`[${status}] ${result.elapsed_ms} ms`);
  if (result.stdout) parts.push(`--- stdout ---\n${result.stdout.replace(/\n$/, "")}`);
  if (result.stderr) parts.push(`--- stderr ---\n${result.stderr.replace(/\n$/, "")}`);
  if (result.result !== null) parts.push(`--- result ---\n${result.result}`);
  if (result.error) {
    const tb = result.error.traceback.trim();
    parts.push(
      `--- error ---\n${tb || `${result.error.type}: ${result.error.message}`}` +
        (tb && !tb.includes(result.error.message) ? `\n${result.error.message}` : ""),
    );
  }
  if (result.figures.length) {
    parts.push(`figures: ${result.figures.length} (attached as PNG images)`);
  }
  if (result.files_out.length) {
    const lines = result.files_out.map((f) =>
      `  ${f.path} (${f.size} bytes${f.data === null ? `, not returned: ${f.skipped ?? ""}` : ""})`
    );
    parts.push(`files written:\n${lines.join("\n")}`);
  }
  if (result.notes.length) parts.push(`notes:\n${result.notes.map((n) => `  - ${n}`).join("\n")}`);
  return parts.join("\n");
}

function decodeUtf8(b64: string): string | null {
  try {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/** The structured content (same fields as the text, figures as a count, no file data). */
export function structuredResult(result: SandboxResult): Record<string, unknown> {
  return {
    stdout: result.stdout,
    stderr: result.stderr,
    result: result.result,
    exit_status: result.exit_status,
    error: result.error,
    elapsed_ms: result.elapsed_ms,
    figures: result.figures.length,
    figures_dropped: result.figures_dropped,
    files_out: result.files_out.map((f) => ({
      name: f.name,
      size: f.size,
      mime_type: f.mime_type,
      returned: f.data !== null,
    })),
    stdout_truncated: result.stdout_truncated,
    stderr_truncated: result.stderr_truncated,
    timed_out: result.timed_out,
    state_lost: result.state_lost,
    notes: result.notes,
  };
}

/** Convert a sandbox result into an MCP tool result. */
export function toCallToolResult(result: SandboxResult): SandboxToolResult {
  const content: Content[] = [{ type: "text", text: summarize(result) }];
  for (const data of result.figures) content.push({ type: "image", data, mimeType: "image/png" });
  for (const f of result.files_out) {
    if (f.data === null) continue;
    const uri = `file://${f.path.split("/").map(encodeURIComponent).join("/")}`;
    const text = TEXTUAL_MIME.test(f.mime_type) ? decodeUtf8(f.data) : null;
    content.push({
      type: "resource",
      resource: text !== null
        ? { uri, mimeType: f.mime_type, text }
        : { uri, mimeType: f.mime_type, blob: f.data },
    });
  }
  return {
    content,
    structuredContent: structuredResult(result),
    isError: result.exit_status !== "ok",
  };
}

/**
 * Handle one `tools/call` of `python_sandbox`: run it and convert the outcome; bad arguments and
 * an unavailable sandbox become `isError` results instead of exceptions.
 * @param manager the sandbox manager
 * @param sessionId MCP client session id
 * @param args the call's `arguments`
 */
export async function handleSandboxCall(
  manager: SandboxManager,
  sessionId: string,
  args: unknown,
): Promise<CallToolResult> {
  try {
    return toCallToolResult(await manager.run(sessionId, args));
  } catch (err) {
    if (!(err instanceof SandboxError)) throw err;
    const details = err.kind === "invalid_input" && Array.isArray(err.details)
      ? "\n" +
        (err.details as SandboxIssue[]).map((d) => `  ${d.path || "(arguments)"}: ${d.message}`)
          .join("\n")
      : "";
    return { content: [{ type: "text", text: `${err.message}${details}` }], isError: true };
  }
}
