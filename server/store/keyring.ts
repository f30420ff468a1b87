/**
 * @module The secret keyring: every AES-GCM key a stored value may be sealed with, read from the
 * key files of the data dir — `secret.key` (the current key), `secret.key.next` (written while a
 * rotation runs) and `secret.key.old` (kept after one).
 *
 * Another process may rotate at any time (the CLI's `secrets rotate` while `serve` runs): a value
 * sealed under a key id the ring does not know makes it re-read the key files, and sealing first
 * checks which key the key file holds, so a running process follows a rotation without a restart.
 */
import type { Sealed } from "../schemas/records.ts";
import { SecretBox, writeKeyFile } from "./secrets.ts";

/** A rotation under way: the new key, and the step that makes it current. */
export interface Rotation {
  /** The new key (its file is `secret.key.next` until {@linkcode Rotation.finish}). */
  next: SecretBox;
  /** Keep the old key file as `.old` and make the new one `secret.key`. */
  finish(): Promise<void>;
}

/** The key id of a key file's text, or null when it is missing or damaged. */
function kidOf(text: string): string | null {
  try {
    const kid = (JSON.parse(text) as { kid?: unknown }).kid;
    return typeof kid === "string" ? kid : null;
  } catch {
    return null;
  }
}

/** Seals with the current key and opens with any key of the data dir's key files. */
export class SecretKeyring {
  readonly #boxes = new Map<string, SecretBox>();
  #current: SecretBox;

  private constructor(private readonly path: string | null, current: SecretBox) {
    this.#current = current;
    this.#boxes.set(current.kid, current);
  }

  /**
   * Load the key file at `path`, creating it (mode 0600) when missing.
   * @param path key file path (`<data dir>/secret.key`)
   */
  static async open(path: string): Promise<SecretKeyring> {
    return new SecretKeyring(path, await SecretBox.openOrCreate(path));
  }

  /** A ring of one fresh key that lives only in this process (`:memory:` stores). */
  static async ephemeral(): Promise<SecretKeyring> {
    return new SecretKeyring(null, (await SecretBox.generate()).box);
  }

  /** Id of the key new values are sealed with. */
  get kid(): string {
    return this.#current.kid;
  }

  /** Encrypt a UTF-8 string under the current key (re-read first: another process may rotate). */
  async seal(plain: string): Promise<Sealed> {
    await this.#follow();
    return await this.#current.seal(plain);
  }

  /**
   * Decrypt a sealed value with the key it names, re-reading the key files once when that key is
   * not known yet.
   * @throws {Error} when no key file holds that key, or the data was tampered with
   */
  async open(sealed: Sealed): Promise<string> {
    let box = this.#boxes.get(sealed.kid);
    if (!box) {
      await this.#reload();
      box = this.#boxes.get(sealed.kid);
    }
    if (!box) {
      throw new Error(`secret was sealed with key ${sealed.kid}, which no key file holds`);
    }
    return await box.open(sealed);
  }

  /**
   * Start a rotation: a fresh key written to `secret.key.next` (so other processes can open what
   * is re-encrypted under it before it becomes current).
   */
  async beginRotation(): Promise<Rotation> {
    const { box: next, raw } = await SecretBox.generate();
    this.#boxes.set(next.kid, next);
    if (this.path) await writeKeyFile(`${this.path}.next`, raw);
    return {
      next,
      finish: async () => {
        if (this.path) {
          await Deno.copyFile(this.path, `${this.path}.old`).catch(() => {});
          await Deno.rename(`${this.path}.next`, this.path);
        }
        this.#current = next;
      },
    };
  }

  /** Make the key file's key current when another process replaced it. */
  async #follow(): Promise<void> {
    if (!this.path) return;
    const text = await Deno.readTextFile(this.path).catch(() => null);
    const kid = text === null ? null : kidOf(text);
    if (kid === null || kid === this.#current.kid) return;
    const box = this.#boxes.get(kid) ?? await SecretBox.fromKeyFile(text!);
    this.#boxes.set(kid, box);
    this.#current = box;
  }

  /** Add every key the key files hold (and follow the current one). */
  async #reload(): Promise<void> {
    if (!this.path) return;
    await this.#follow();
    for (const file of [`${this.path}.next`, `${this.path}.old`]) {
      const text = await Deno.readTextFile(file).catch(() => null);
      const kid = text === null ? null : kidOf(text);
      if (kid === null || this.#boxes.has(kid)) continue;
      const box = await SecretBox.fromKeyFile(text!).catch(() => null);
      if (box) this.#boxes.set(kid, box);
    }
  }
}
