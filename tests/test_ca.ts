/**
 * @module A throwaway certificate authority for tests that need real HTTPS on loopback: `openssl`
 * makes a CA and a leaf certificate for `127.0.0.1` and `localhost` (valid one day) in a
 * directory the test owns. The CA file is what a router started with `DENO_CERT` trusts.
 */

/** Where `openssl` is, or null when it is not installed (tests needing it are ignored). */
export const OPENSSL: string | null = (() => {
  for (const dir of (Deno.env.get("PATH") ?? "/usr/bin:/bin").split(":")) {
    try {
      if (Deno.statSync(`${dir}/openssl`).isFile) return `${dir}/openssl`;
    } catch {
      // not here
    }
  }
  return null;
})();

/** A CA and a leaf certificate it signed. */
export interface TestCa {
  /** Path of the CA certificate (PEM): what a client must trust. */
  caFile: string;
  /** The leaf certificate (PEM) for `127.0.0.1` and `localhost`. */
  cert: string;
  /** The leaf's private key (PEM). */
  key: string;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  const out = await new Deno.Command(OPENSSL ?? "openssl", {
    args,
    cwd: dir,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) {
    throw new Error(`openssl ${args[0]} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/**
 * Make a CA and a leaf certificate for loopback under `dir`.
 * @param dir a directory the test owns (files `ca.pem`, `ca.key`, `leaf.pem`, `leaf.key`…)
 * @throws {Error} when openssl is missing or fails
 */
export async function makeTestCa(dir: string): Promise<TestCa> {
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await openssl(dir, [
    "req",
    "-x509",
    ...ec,
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "1",
    "-subj",
    "/CN=MCP Router throwaway test CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  await openssl(dir, [
    "req",
    ...ec,
    "-keyout",
    "leaf.key",
    "-out",
    "leaf.csr",
    "-subj",
    "/CN=localhost",
  ]);
  await Deno.writeTextFile(
    `${dir}/leaf.ext`,
    [
      "subjectAltName=IP:127.0.0.1,DNS:localhost",
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature",
      "extendedKeyUsage=serverAuth",
    ].join("\n") + "\n",
  );
  await openssl(dir, [
    "x509",
    "-req",
    "-in",
    "leaf.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "leaf.pem",
    "-days",
    "1",
    "-extfile",
    "leaf.ext",
  ]);
  return {
    caFile: `${dir}/ca.pem`,
    cert: await Deno.readTextFile(`${dir}/leaf.pem`),
    key: await Deno.readTextFile(`${dir}/leaf.key`),
  };
}
