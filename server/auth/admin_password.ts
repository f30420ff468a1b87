/**
 * @module Admin UI password: stored as a PBKDF2-SHA256 hash with a random salt.
 */
import { z } from "zod";
import type { MetaStore } from "../store/store.ts";
import { AppError } from "../errors.ts";
import { hex } from "../../runtime/foundation/bytes.ts";
import { constantTimeEqual } from "./tokens.ts";

const ITERATIONS = 210_000;
const PasswordRecordSchema = z.object({
  salt: z.string(),
  hash: z.string(),
  iterations: z.number(),
});

async function derive(password: string, salt: string, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(password),
    "PBKDF2",
    false,
    ["deriveBits"],
  );
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: new TextEncoder().encode(salt), iterations },
    key,
    256,
  );
  return hex(new Uint8Array(bits));
}

/** Set (or replace) the admin password. @throws {AppError} 400 when shorter than 8 chars */
export async function setAdminPassword(store: MetaStore, password: string): Promise<void> {
  if (password.length < 8) {
    throw new AppError("validation_failed", 400, "the password needs at least 8 characters");
  }
  const salt = hex(crypto.getRandomValues(new Uint8Array(16)));
  await store.setMeta("admin_password", {
    salt,
    hash: await derive(password, salt, ITERATIONS),
    iterations: ITERATIONS,
  });
}

/** Check a password against the stored hash. */
export async function checkAdminPassword(store: MetaStore, password: string): Promise<boolean> {
  const record = await store.getMeta("admin_password", PasswordRecordSchema);
  if (!record) return false;
  return constantTimeEqual(await derive(password, record.salt, record.iterations), record.hash);
}

/** Whether an admin password has been set (the login page says how to set one when not). */
export async function hasAdminPassword(store: MetaStore): Promise<boolean> {
  return (await store.getMeta("admin_password", PasswordRecordSchema)) !== null;
}
