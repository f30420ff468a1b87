/**
 * @module Pool lifecycle events: how a downstream's start, stop and failed start are announced
 * to the pool's `onSessionEvent` hook (the store records them as `ContainerSession` rows). A hook
 * that throws is logged, never allowed to break the pool.
 */
import { createLogger } from "../../../runtime/foundation/log.ts";
import type { SessionEvent } from "./types.ts";

const log = createLogger("downstream.pool");

/** Announces lifecycle events; never throws. */
export type EmitSessionEvent = (event: SessionEvent) => void;

/**
 * An emitter over the pool's hook.
 * @param hook the `onSessionEvent` option (absent: events are dropped)
 */
export function sessionEventEmitter(hook?: (event: SessionEvent) => void): EmitSessionEvent {
  return (event) => {
    try {
      hook?.(event);
    } catch (error) {
      log.warn("session event hook failed", { error });
    }
  };
}
