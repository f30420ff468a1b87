/**
 * @module CLI output helpers: stdout for results, stderr for progress and errors.
 */

const enc = new TextEncoder();

/** Print a line to stdout. */
export function out(line = ""): void {
  Deno.stdout.writeSync(enc.encode(line + "\n"));
}

/** Print a line to stderr. */
export function err(line: string): void {
  Deno.stderr.writeSync(enc.encode(line + "\n"));
}

/** Read all of stdin as text (for secrets piped in), without echo on a TTY. */
export async function readSecretFromStdin(prompt: string): Promise<string> {
  if (Deno.stdin.isTerminal()) {
    err(prompt);
    Deno.stdin.setRaw(true);
    const chunks: number[] = [];
    const buf = new Uint8Array(1);
    try {
      while (true) {
        const n = await Deno.stdin.read(buf);
        if (n === null || buf[0] === 13 || buf[0] === 10) break;
        if (buf[0] === 3) throw new Error("cancelled");
        if (buf[0] === 127 || buf[0] === 8) chunks.pop();
        else chunks.push(buf[0]);
      }
    } finally {
      Deno.stdin.setRaw(false);
      err("");
    }
    return new TextDecoder().decode(new Uint8Array(chunks));
  }
  const text = await new Response(Deno.stdin.readable).text();
  return text.replace(/\r?\n$/, "");
}
