/**
 * @module Podman service: when the socket is absent but `podman` is installed, `serve` starts
 * `podman system service --time=0` for its own user and stops it on exit.
 */
import { createLogger } from "../../runtime/foundation/log.ts";
import { pollUntil } from "../../runtime/foundation/timing.ts";

/** The apt command users need when Podman is not installed. */
export const PODMAN_INSTALL_HINT =
  "install rootless Podman: `sudo apt-get install podman uidmap slirp4netns` (or run runtime/setup.sh), then `systemctl --user start podman.socket` or restart the router";

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
  const answered = await pollUntil(async () => {
    try {
      const conn = await Deno.connect({ transport: "unix", path: socketPath });
      conn.close();
      return true;
    } catch {
      return undefined;
    }
  }, { intervalMs: 200, timeoutMs: 15_000 });
  if (answered) {
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
  }
  try {
    child.kill("SIGKILL");
  } catch {
    // already gone
  }
  throw new Error(`podman system service did not answer on ${socketPath}`);
}
