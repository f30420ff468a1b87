/**
 * @module Env values over Deno KV: one value per (server, key); secret values sealed with the
 * {@linkcode SecretKeyring} before they reach KV, and re-encrypted under a new key on rotation.
 */
import { AppError, notFound } from "../errors.ts";
import type { ServerRecord } from "../schemas/server.ts";
import { type EnvStatus, type EnvValue, EnvValueSchema } from "../schemas/records.ts";
import { registerSecret } from "../../runtime/foundation/log.ts";
import type { EnvStore } from "./store.ts";
import type { SecretKeyring } from "./keyring.ts";
import { K, whileServerExists } from "./kv_keys.ts";
import { assertFitsInKv, keyPartBytes, serializedSize } from "./kv_values.ts";
import { commitBatches } from "./kv_chunks.ts";
import { nowIso } from "./ids.ts";

/** Most checks Deno KV takes in one atomic commit. */
const CHECKS_PER_COMMIT = 100;
/** Rotation passes over the values: later ones catch values written while it ran. */
const ROTATION_PASSES = 3;

/** How long decrypted env values are reused (also the CLI-to-serve delay for env changes). */
export const ENV_CACHE_MS = 2_000;

/** Env values in KV. */
export class KvEnv implements EnvStore {
  /**
   * @param kv the KV handle
   * @param keys the keys secret values are sealed with
   */
  constructor(private readonly kv: Deno.Kv, private readonly keys: SecretKeyring) {}

  /**
   * Decrypted values per server, reused for {@linkcode ENV_CACHE_MS} (a tool call then neither
   * lists nor decrypts); dropped at once on a write in this process, so only another process's
   * writes (the CLI's) take up to that long to be seen.
   */
  readonly #cache = new Map<string, { at: number; values: Readonly<Record<string, string>> }>();

  /** Set an env value; secret values are encrypted before they reach KV. */
  async setEnv(serverId: string, key: string, value: string, secret: boolean): Promise<void> {
    if (keyPartBytes(key) > 256) {
      throw new AppError("validation_failed", 400, "env keys are at most 128 characters");
    }
    if (secret) registerSecret(value); // from now on never in a log line, in any encoding
    const record: EnvValue = {
      server_id: serverId,
      key,
      secret,
      updated_at: nowIso(),
      ...(secret ? { sealed: await this.keys.seal(value) } : { value }),
    };
    const parsed = EnvValueSchema.parse(record);
    assertFitsInKv(parsed, `the value of ${key}`, {
      hint: secret ? "secret values are stored encrypted, which takes more room" : undefined,
    });
    const stored = await whileServerExists(
      this.kv,
      serverId,
      () => Promise.resolve(null),
      (op) => op.set(K.env(serverId, key), parsed),
    );
    this.#cache.delete(serverId);
    if (!stored) throw notFound(`server '${serverId}'`);
  }

  /** Remove an env value. */
  async deleteEnv(serverId: string, key: string): Promise<void> {
    await this.kv.delete(K.env(serverId, key));
    this.#cache.delete(serverId);
  }

  /** Register every stored secret env value for log redaction (once, when the router starts). */
  async registerSecretsForRedaction(): Promise<void> {
    for await (const e of this.kv.list({ prefix: K.envAll })) {
      const parsed = EnvValueSchema.safeParse(e.value);
      if (!parsed.success || !parsed.data.sealed) continue;
      registerSecret(await this.keys.open(parsed.data.sealed).catch(() => ""));
    }
  }

  /** Decrypted env values of a server — for container launch only, never for responses. */
  async getEnvValues(serverId: string): Promise<Record<string, string>> {
    const cached = this.#cache.get(serverId);
    if (cached && Date.now() - cached.at < ENV_CACHE_MS) return cached.values;
    const at = Date.now();
    const out: Record<string, string> = {};
    for await (const e of this.kv.list({ prefix: K.envOf(serverId) })) {
      const parsed = EnvValueSchema.parse(e.value);
      out[parsed.key] = parsed.sealed ? await this.keys.open(parsed.sealed) : parsed.value ?? "";
      if (parsed.sealed) registerSecret(out[parsed.key]);
    }
    const values = Object.freeze(out);
    if (this.#cache.size > 10_000) this.#cache.clear();
    this.#cache.set(serverId, { at, values });
    return values;
  }

  /** Which env vars of a server are set, with secrets masked. */
  async envStatus(server: ServerRecord): Promise<EnvStatus[]> {
    const stored = new Map<string, EnvValue>();
    for await (const e of this.kv.list({ prefix: K.envOf(server.id) })) {
      const parsed = EnvValueSchema.parse(e.value);
      stored.set(parsed.key, parsed);
    }
    const keys = new Set([...server.env.map((s) => s.key), ...stored.keys()]);
    return [...keys].map((key) => {
      const spec = server.env.find((s) => s.key === key);
      const value = stored.get(key);
      const secret = (spec?.secret ?? false) || (value?.secret ?? false);
      return {
        key,
        set: value !== undefined,
        secret,
        value: value === undefined ? null : secret ? "••••" : value.value ?? "",
        updated_at: value?.updated_at ?? null,
      };
    });
  }

  /**
   * Re-encrypt every secret under a fresh key, then make it the key file's key (the old one is
   * kept as `secret.key.old`). Each value is rewritten only if unchanged since it was read, and
   * later passes catch values another process wrote meanwhile; another process reading a value
   * under the new key finds it in `secret.key.next` (see {@linkcode SecretKeyring}).
   * @returns how many values were re-encrypted
   */
  async rotateSecrets(): Promise<number> {
    this.#cache.clear();
    const rotation = await this.keys.beginRotation();
    const done = new Set<string>();
    for (let pass = 0; pass < ROTATION_PASSES; pass++) {
      const entries: { entry: Deno.KvEntry<unknown>; value: EnvValue }[] = [];
      for await (const entry of this.kv.list({ prefix: K.envAll })) {
        const parsed = EnvValueSchema.parse(entry.value);
        if (!parsed.sealed || parsed.sealed.kid === rotation.next.kid) continue;
        const plain = await this.keys.open(parsed.sealed);
        entries.push({ entry, value: { ...parsed, sealed: await rotation.next.seal(plain) } });
      }
      if (entries.length === 0) break;
      // Commits stay under KV's check, mutation-count and total-size limits (a value may be
      // ~60 KiB).
      const batches = commitBatches(entries, (e) => serializedSize(e.value), CHECKS_PER_COMMIT);
      for (const batch of batches) {
        let op = this.kv.atomic();
        for (const { entry, value } of batch) op = op.check(entry).set(entry.key, value);
        if (!(await op.commit()).ok) continue; // one changed meanwhile: the next pass redoes it
        for (const { entry } of batch) done.add(JSON.stringify(entry.key));
      }
    }
    await rotation.finish();
    return done.size;
  }
}
