/**
 * @module How the activity page words its data: times with their zone, one name for the local
 * operator, what a container's exit means, and the links that keep the filters.
 */
import type { ContainerSession } from "../server/schemas/records.ts";
import type { AuditFilter } from "../server/schemas/audit_filter.ts";

/** The label the local operator (`local`, `admin`) is shown under. */
export const LOCAL_ACTOR_LABEL = "you (local admin)";

/**
 * The local operator's actor names; the same list as `LOCAL_ACTORS` of
 * `server/schemas/audit_filter.ts` (views import server types only; a test keeps them equal).
 */
export const LOCAL_ACTOR_NAMES: readonly string[] = ["local", "admin"];

/**
 * An ISO time as `YYYY-MM-DD HH:MM:SS UTC` (the page script turns it into local time).
 * @returns the text, or the input unchanged when it is not a date
 */
export function utcText(iso: string): string {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  return `${new Date(ms).toISOString().replace("T", " ").slice(0, 19)} UTC`;
}

/** An actor as people read it: the local operator under one label, the rest as stored. */
export function actorLabel(actor: string): string {
  return LOCAL_ACTOR_NAMES.includes(actor.toLowerCase()) ? LOCAL_ACTOR_LABEL : actor;
}

/** Exit codes of a process ended by SIGTERM (143) or SIGKILL (137), as the router stops them. */
const SIGNAL_EXITS: Record<number, string> = { 143: "SIGTERM", 137: "SIGKILL" };

/** Why the router stopped a container, in words. */
const STOP_WORDS: Record<string, string> = {
  idle: "idle",
  session_ended: "client session ended",
  shutdown: "router shut down",
  replaced: "server changed",
  closed: "closed",
  call_done: "call finished",
};

/** What a container session's end means. */
export interface SessionOutcome {
  /** Short word: `running`, `stopped`, `exited`, `failed`. */
  label: string;
  /** Colour: `ok` normal end, `bad` a failure, `neutral` still running. */
  tone: "ok" | "bad" | "neutral";
  /** A line beside it (exit code and why), if any. */
  note?: string;
}

/**
 * How a container session ended: an error or a non-zero exit is a failure, except 143/137 after
 * a stop the router asked for (idle, session end, shutdown…), which is a normal stop.
 */
export function sessionOutcome(s: ContainerSession): SessionOutcome {
  if (!s.stopped_at) return { label: "running", tone: "neutral" };
  const why = s.stop_reason ? STOP_WORDS[s.stop_reason] : undefined;
  if (s.error) {
    const code = s.exit_code === null ? "" : `exit ${s.exit_code}`;
    return { label: "failed", tone: "bad", ...(code ? { note: code } : {}) };
  }
  if (s.exit_code === null || s.exit_code === 0) {
    const note = [s.exit_code === 0 ? "exit 0" : "", why ?? ""].filter(Boolean).join(", ");
    return { label: "stopped", tone: "ok", ...(note ? { note } : {}) };
  }
  const signal = SIGNAL_EXITS[s.exit_code];
  if (signal && s.stop_reason !== "crashed") {
    return {
      label: "stopped",
      tone: "ok",
      note: `exit ${s.exit_code} (${signal}${why ? `, ${why}` : ""})`,
    };
  }
  return { label: "exited", tone: "bad", note: `exit ${s.exit_code}` };
}

/** The filter's parameters, in the order links carry them. */
const FILTER_KEYS = ["actor", "kind", "outcome", "server"] as const;

/** The query parameters of the activity page. */
export interface ActivityQuery {
  /** The audit filter. */
  filter?: AuditFilter;
  /** Audit cursor. */
  before?: string;
  /** Container sessions cursor. */
  sessions_before?: string;
}

/**
 * A link to the activity page keeping the filter (`/activity` when there is nothing to keep).
 * @example activityHref({ filter: { kind: "tools" }, before: "x" }) // "/activity?kind=tools&before=x"
 */
export function activityHref(q: ActivityQuery): string {
  const params = new URLSearchParams();
  const filter = q.filter ?? {};
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  if (q.before) params.set("before", q.before);
  if (q.sessions_before) params.set("sessions_before", q.sessions_before);
  const text = params.toString();
  return text ? `/activity?${text}` : "/activity";
}

/** A failure text split for display: one line, and the full text when it is longer. */
export function errorParts(text: string, max = 140): { line: string; full?: string } {
  const first = text.split(/\r?\n/).find((l) => l.trim())?.trim() ?? text.trim();
  const line = first.length > max ? `${first.slice(0, max - 1)}…` : first;
  return line === text.trim() ? { line } : { line, full: text };
}
