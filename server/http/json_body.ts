/**
 * @module Guarded JSON request bodies: read a body once under a byte limit, refuse nesting
 * deeper than a limit, then parse — for endpoints that hand the parsed value on (`/mcp`,
 * `/messages`).
 */
import { jsonDepthExceeds } from "./json_depth.ts";
import { concat } from "../../runtime/foundation/bytes.ts";

/** Why a body was refused: HTTP status, JSON-RPC error code, message. */
export interface BodyRejection {
  ok: false;
  status: 400 | 413;
  rpcCode: number;
  message: string;
}

/** A body that passed every guard. */
export interface BodyAccepted {
  ok: true;
  value: unknown;
}

/** Limits applied by {@linkcode readJsonBody}. */
export interface JsonBodyLimits {
  maxBytes: number;
  maxDepth: number;
}

/**
 * Read the body as UTF-8 text, stopping (and returning null) once it exceeds `maxBytes`.
 * @param req the request (its body is consumed)
 * @param maxBytes largest body accepted
 */
export async function readLimitedText(req: Request, maxBytes: number): Promise<string | null> {
  if (!req.body) return "";
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) {
    await req.body.cancel().catch(() => {});
    return null;
  }
  // A declared length is what the HTTP server reads, no more: one native read will do.
  if (Number.isFinite(declared) && declared >= 0) {
    const text = await req.text();
    return text.length > maxBytes ? null : text;
  }
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(concat(...chunks));
}

/**
 * Read, depth-check and parse a JSON body.
 * @param req the request (its body is consumed)
 * @param limits byte and nesting limits
 */
export async function readJsonBody(
  req: Request,
  limits: JsonBodyLimits,
): Promise<BodyAccepted | BodyRejection> {
  let text: string | null;
  try {
    text = await readLimitedText(req, limits.maxBytes);
  } catch {
    return { ok: false, status: 400, rpcCode: -32700, message: "Parse error: unreadable body" };
  }
  if (text === null) {
    return {
      ok: false,
      status: 413,
      rpcCode: -32000,
      message: `Payload Too Large: request body exceeds ${limits.maxBytes} bytes`,
    };
  }
  if (jsonDepthExceeds(text, limits.maxDepth)) {
    return {
      ok: false,
      status: 400,
      rpcCode: -32600,
      message: `Invalid Request: JSON nested deeper than ${limits.maxDepth} levels`,
    };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, status: 400, rpcCode: -32700, message: "Parse error: Invalid JSON" };
  }
}
