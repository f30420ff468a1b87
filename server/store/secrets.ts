/**
 * @module Secret encryption at rest: AES-GCM (WebCrypto) with a key file in the data dir.
 *
 * The key file is created on first run with mode 0600. Ciphertexts carry a key id so that
 * `secrets rotate` can re-encrypt every value under a new key.
 */
import { z } from "zod";
import type { Sealed } from "../schemas/records.ts";

const KeyFileSchema = z.object({ kid: z.string(), key: z.string() });

function toB64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

function fromB64(text: string): Uint8Array<ArrayBuffer> {
  const raw = atob(text);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

/** Encrypts and decrypts secret values with one AES-GCM key. */
export class SecretBox {
  private constructor(readonly kid: string, private readonly key: CryptoKey) {}

  /** A box with a fresh random key (for `:memory:` stores and rotation). */
  static async generate(): Promise<{ box: SecretBox; raw: string }> {
    const rawBytes = crypto.getRandomValues(new Uint8Array(32));
    const kid = crypto.randomUUID().slice(0, 8);
    const key = await crypto.subtle.importKey("raw", rawBytes, "AES-GCM", false, [
      "encrypt",
      "decrypt",
    ]);
    return { box: new SecretBox(kid, key), raw: JSON.stringify({ kid, key: toB64(rawBytes) }) };
  }

  /** Restore a box from a key file's text. */
  static async fromKeyFile(text: string): Promise<SecretBox> {
    const parsed = KeyFileSchema.parse(JSON.parse(text));
    const key = await crypto.subtle.importKey("raw", fromB64(parsed.key), "AES-GCM", false, [
      "encrypt",
      "decrypt",
    ]);
    return new SecretBox(parsed.kid, key);
  }

  /**
   * Load the key file at `path`, creating it (mode 0600) when missing.
   * @param path key file path
   */
  static async openOrCreate(path: string): Promise<SecretBox> {
    try {
      return await SecretBox.fromKeyFile(await Deno.readTextFile(path));
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
    const { box, raw } = await SecretBox.generate();
    await writeKeyFile(path, raw);
    return box;
  }

  /** Encrypt a UTF-8 string. */
  async seal(plain: string): Promise<Sealed> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const data = await crypto.subtle.encrypt(
      { name: "AES-GCM", iv },
      this.key,
      new TextEncoder().encode(plain),
    );
    return { v: 1, kid: this.kid, iv: toB64(iv), data: toB64(new Uint8Array(data)) };
  }

  /** Decrypt a sealed value; throws when the key id does not match or data was tampered with. */
  async open(sealed: Sealed): Promise<string> {
    if (sealed.kid !== this.kid) {
      throw new Error(`secret was sealed with key ${sealed.kid}, current key is ${this.kid}`);
    }
    const plain = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromB64(sealed.iv) },
      this.key,
      fromB64(sealed.data),
    );
    return new TextDecoder().decode(plain);
  }
}

/** Write a key file atomically with mode 0600. */
export async function writeKeyFile(path: string, raw: string): Promise<void> {
  const tmp = `${path}.tmp-${crypto.randomUUID().slice(0, 8)}`;
  await Deno.writeTextFile(tmp, raw, { mode: 0o600 });
  await Deno.chmod(tmp, 0o600).catch(() => {});
  await Deno.rename(tmp, path);
}
