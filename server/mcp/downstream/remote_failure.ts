/**
 * @module Why a remote MCP server could not be used, in words that never echo what it sent.
 *
 * The SDK builds its transport errors from the response body (`Error POSTing to endpoint:
 * <body>`), and `JSON.parse` quotes the text it choked on; shown to a user (a test report, an
 * error response, a log line), that would turn the router into a reader of any internal URL.
 * So a remote failure is reduced to the HTTP status or a fixed reason.
 */
import { SdkError, SdkErrorCode, SdkHttpError, SseError } from "@modelcontextprotocol/client";
import { AppError } from "../../errors.ts";
import { sdkFailure } from "../sdk_errors.ts";

const NOT_MCP = "the remote server did not answer as an MCP server";

function statusText(code: number): string {
  const redirect = code >= 300 && code < 400
    ? " (redirects to another origin are not followed)"
    : "";
  // A 401 from a hosted MCP server is its OAuth sign-in (MCP authorization spec).
  const auth = code === 401
    ? ": needs authorization — this server signs users in with OAuth: authorize the router with " +
      "the Authorize button on the server's page or `main.ts auth NAME` (or give it a token the " +
      "server accepts, a header with ${VAR} from an env value)"
    : code === 403
    ? ": the credentials were refused"
    : "";
  return `HTTP ${code} from the remote server${redirect}${auth}`;
}

/** The innermost message of a network error, without URLs (they may hold `${VAR}` values). */
function networkReason(error: Error): string {
  let inner: unknown = error;
  for (let depth = 0; inner instanceof Error && inner.cause !== undefined && depth < 5; depth++) {
    inner = inner.cause;
  }
  const text = inner instanceof Error ? inner.message : String(inner);
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s)]*/gi, "<url>").slice(0, 200);
}

/**
 * A one-line reason for a failed remote connection or request, free of response content:
 * `HTTP 404 from the remote server`, `no answer in time`, a guard refusal's own message, a
 * network error's reason (URLs removed), or a fixed sentence for anything else.
 * @param error what the SDK (or the guarded fetch) threw
 */
export function remoteFailureReason(error: unknown): string {
  if (error instanceof AppError) return error.message; // our own words (outbound refusal)
  if (error instanceof SdkError && error.code === SdkErrorCode.ClientHttpUnexpectedContent) {
    return "the remote server answered with an unexpected content type";
  }
  if (error instanceof SdkError && error.code === SdkErrorCode.UnsupportedResultType) {
    return "the remote server answered with a result type the router cannot pass on here";
  }
  if (error instanceof SdkHttpError) {
    const status = error.status;
    return typeof status === "number" && status >= 100 ? statusText(status) : NOT_MCP;
  }
  if (error instanceof SseError) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "number" && code >= 100
      ? `${statusText(code)} (SSE)`
      : "the remote server's SSE stream failed";
  }
  const failure = sdkFailure(error);
  if (failure?.kind === "timeout") return "the remote server did not answer in time";
  if (failure?.kind === "closed") return "the remote server closed the connection";
  if (failure?.kind === "protocol") {
    return `the remote server answered with JSON-RPC error ${failure.code}`;
  }
  if (error instanceof DOMException && /Abort|Timeout/.test(error.name)) {
    return "the remote server did not answer in time";
  }
  if (
    error instanceof TypeError && /fetch|request|connect|dns|tcp|tls|network/i.test(error.message)
  ) {
    return `could not reach the remote server: ${networkReason(error)}`;
  }
  return NOT_MCP;
}
