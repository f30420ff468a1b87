/**
 * @module Admin UI password: stored as a PBKDF2-SHA256 hash with a random salt.
 */
import { z } from "zod";
import type { KvStore } from "../store/kv_store.ts";
import { AppError } from "../errors.ts";

const ITERATIONS = 210_000;
const PasswordRecordSchema = z.object({
  salt: z.string(),
  hash: z.string(),
  iterations: z.number(),
});

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function derive(password: string, salt: string, iterations: number): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(password),
    "PBKDF2",
    false,
    [
      "deriveBits",
    ],
  );
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: new TextEncoder().encode(salt), iterations },
    key,
    256,
  );
  return hex(new Uint8Array(bits));
}

/** Set (or replace) the admin password. @throws {AppError} 400 when shorter than 8 chars */
export async function setAdminPassword(store: KvStore, password: string): Promise<void> {
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

/** Whether an admin password is set. */
export async function hasAdminPassword(store: KvStore): Promise<boolean> {
  return (await store.getMeta("admin_password", PasswordRecordSchema)) !== null;
}

/** Check a password against the stored hash. */
export async function checkAdminPassword(store: KvStore, password: string): Promise<boolean> {
  const record = await store.getMeta("admin_password", PasswordRecordSchema);
  if (!record) return false;
  const candidate = await derive(password, record.salt, record.iterations);
  let diff = candidate.length ^ record.hash.length;
  for (let i = 0; i < Math.min(candidate.length, record.hash.length); i++) {
    diff |= candidate.charCodeAt(i) ^ record.hash.charCodeAt(i);
  }
  return diff === 0;
}
