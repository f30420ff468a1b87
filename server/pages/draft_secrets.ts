/**
 * @module Secret values typed into a form that is shown again (a validation error, an added or
 * removed row) are carried across the round trip sealed with a per-process AES-GCM key, in a
 * hidden field: the user need not retype them, and the page never holds them in clear. Drafts
 * are never stored and expire.
 */
import { z } from "zod";
import { SealedSchema } from "../schemas/records.ts";
import { SecretBox } from "../store/secrets.ts";

/** A form row that may hold a secret value (an env row, an argument field). */
export type SecretRow = { secret: boolean; value: string; sealed: string };

const DraftSchema = z.object({ value: z.string(), exp: z.number() });

/** Longest token accepted (a sealed value is about 4/3 of its JSON). */
const MAX_TOKEN_CHARS = 64 * 1024;

/** Seals and opens draft secret values with a key that lives only in this process. */
export class DraftSecrets {
  #box: Promise<SecretBox> | null = null;

  /**
   * @param ttlMs how long a sealed draft can be opened (default one hour)
   * @param now clock, for tests
   */
  constructor(
    private readonly ttlMs = 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  #key(): Promise<SecretBox> {
    return this.#box ??= SecretBox.generate().then((g) => g.box);
  }

  /** An opaque token for `value`. */
  async seal(value: string): Promise<string> {
    const box = await this.#key();
    const sealed = await box.seal(JSON.stringify({ value, exp: this.now() + this.ttlMs }));
    return btoa(JSON.stringify(sealed));
  }

  /** The value a token holds, or null when it is malformed, forged, from another process or expired. */
  async open(token: string): Promise<string | null> {
    if (!token || token.length > MAX_TOKEN_CHARS) return null;
    try {
      const sealed = SealedSchema.parse(JSON.parse(atob(token)));
      const draft = DraftSchema.parse(JSON.parse(await (await this.#key()).open(sealed)));
      return draft.exp >= this.now() ? draft.value : null;
    } catch {
      return null;
    }
  }

  /** Give rows left empty the value of their sealed draft (a newly typed value wins). */
  async openRows(rows: SecretRow[]): Promise<void> {
    for (const row of rows) {
      if (row.value === "" && row.sealed) row.value = (await this.open(row.sealed)) ?? "";
      row.sealed = "";
    }
  }

  /** Before a form is shown again: move each secret row's value into a sealed draft. */
  async sealRows(rows: SecretRow[]): Promise<void> {
    for (const row of rows) {
      if (!row.secret || row.value === "") continue;
      row.sealed = await this.seal(row.value);
      row.value = "";
    }
  }
}
