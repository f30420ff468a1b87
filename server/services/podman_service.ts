/**
 * @module Podman service: when the socket is absent but `podman` is installed, `serve` starts
 * `podman system service --time=0` for its own user and stops it on exit.
 */
import { createLogger } from "../../runtime/foundation/log.ts";

const logger = createLogger("podman.service");

/**
 * Start the API service on `socketPath` and wait until it answers.
 * @returns a function that stops it
 * @throws when it does not answer within 15 s
 */
export async function startPodmanService(socketPath: string): Promise<() => Promise<void>> {
  const dir = socketPath.replace(/\/[^/]*$/, "");
  await Deno.mkdir(dir, { recursive: true }).catch(() => {});
  const child = new Deno.Command("podman", {
    args: ["system", "service", "--time=0", `unix://${socketPath}`],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderrDone = child.stderr.pipeTo(new WritableStream()).catch(() => {});
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    try {
      const conn = await Deno.connect({ transport: "unix", path: socketPath });
      conn.close();
      logger.info("started podman system service", { socket: socketPath, pid: child.pid });
      return async () => {
        try {
          child.kill("SIGTERM");
        } catch {
          // already gone
        }
        await child.status;
        await stderrDone;
      };
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    child.kill("SIGKILL");
  } catch {
    // already gone
  }
  throw new Error(`podman system service did not answer on ${socketPath}`);
}
