/**
 * @module Shared pieces of the admin UI routes: the services they use, flash notices, audit
 * views, redirects and error pages.
 */
import type { Context } from "hono";
import type { AppDeps, RuntimeStatus } from "../composition/contracts.ts";
import type { SessionHub } from "../mcp/hub.ts";
import { AppError, errorMessage } from "../errors.ts";
import type { AppEnv } from "../app/app_env.ts";
import { renderPage } from "../../views/render.ts";
import { MessagePage } from "../../views/pages/MessagePage.tsx";
import type { AdminToolCaller } from "./try.ts";
import type { AnalysisJobs } from "./jobs.ts";
import type { DraftSecrets } from "./draft_secrets.ts";

/** What the admin pages need: the app deps, plus the session hub for Try-it (when present). */
export type PagesServices = AppDeps & { hub?: SessionHub };

/** Per-mount state shared by the page modules. */
export interface PagesContext {
  services: PagesServices;
  jobs: AnalysisJobs;
  caller: AdminToolCaller | null;
  /** Secret values typed into a form that is shown again, sealed for the round trip. */
  drafts: DraftSecrets;
  /** Environment used to find Claude Desktop's config file. */
  configEnv: () => Record<string, string | undefined>;
}

/** Hono context of page handlers. */
export type PageContext = Context<AppEnv>;

const FLASH: Record<string, string> = {
  created: "Server created.",
  saved: "Changes saved.",
  env: "Environment values saved.",
  deleted: "Server deleted.",
  revoked: "API key revoked.",
  activated: "Server activated.",
  deactivated: "Server deactivated.",
  authorized: "The router is authorized at this server.",
  auth_open: "This server asks for no authorization.",
  auth_saved: "Authorization settings saved.",
  auth_forgotten: "Token forgotten.",
};

/** The notice for a `?msg=` code (only known codes: nothing user-supplied is echoed). */
export function flashOf(c: PageContext): string | null {
  return FLASH[c.req.query("msg") ?? ""] ?? null;
}

/** Runtime status that never throws. */
export async function runtimeStatus(services: PagesServices): Promise<RuntimeStatus> {
  try {
    return await services.runtime.status();
  } catch (error) {
    return {
      ok: false,
      reason: errorMessage(error),
      version: null,
      limits: "unknown",
      limitsInForce: [],
      images: {},
      installHint: null,
    };
  }
}

export { auditView } from "../services/server_ops.ts";

/** A 303 redirect (after a successful POST). */
export function seeOther(location: string): Response {
  return new Response(null, { status: 303, headers: { location } });
}

/** A local path to go back to, or `/` (never another origin). */
export function safeRedirect(target: string | undefined): string {
  // Printable ASCII only: browsers drop tabs/newlines (`/\t/evil` → `//evil`), CR/LF and
  // non-Latin-1 characters cannot go into a Location header, and `\` reads as `/`.
  return target && /^\/(?![/\\])[\x20-\x7e]*$/.test(target) && !target.includes("\\")
    ? target
    : "/";
}

/** The message page for a 404 or other error. */
export function errorPage(c: PageContext, error: unknown): Response {
  if (error instanceof AppError) {
    const title = error.status === 404 ? "Not found" : error.status === 409 ? "Conflict" : "Error";
    return renderPage(c.req.raw, MessagePage({ title, message: error.message }), {
      title,
      status: error.status,
      csrfToken: c.var.csrf?.token,
    });
  }
  throw error;
}

/** The submitted form (empty when the body is not a form). */
export async function readForm(c: PageContext): Promise<FormData> {
  try {
    return await c.req.formData();
  } catch {
    return new FormData();
  }
}

/** A string field of a form ("" when absent). */
export function field(form: FormData, name: string): string {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
}
