/**
 * @module Test helper: a local process wrapped as `AttachedStreams` (injected I/O standing in for
 * a container attach).
 */
import type { AttachedStreams } from "../../../../runtime/backend.ts";

/** A spawned process and its streams. */
export interface SpawnedStreams {
  streams: AttachedStreams;
  child: Deno.ChildProcess;
}

/** Spawn `command` with piped stdio and wrap it as `AttachedStreams`. */
export function spawnStreams(
  command: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): SpawnedStreams {
  const child = new Deno.Command(command[0], {
    args: command.slice(1),
    env: options.env,
    cwd: options.cwd,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const streams: AttachedStreams = {
    stdout: child.stdout,
    stderr: child.stderr,
    stdin: child.stdin,
    close() {
      try {
        child.kill("SIGKILL");
      } catch {
        // already exited
      }
    },
  };
  return { streams, child };
}

/** The path of the Deno echo fixture server. */
export const ECHO_FIXTURE = new URL("./fixtures/echo_server.ts", import.meta.url).pathname;

/** The command running the echo fixture in `mode`. */
export function echoFixtureCommand(
  mode: "stdio" | "stdio-strict" | "http" | "sse" = "stdio",
): string[] {
  const config = new URL("../../../../deno.json", import.meta.url).pathname;
  return [Deno.execPath(), "run", "-A", "--config", config, ECHO_FIXTURE, mode];
}

/** A running echo fixture over HTTP; disposing it kills the process. */
export interface HttpEchoFixture extends AsyncDisposable {
  port: number;
}

/**
 * Start the echo fixture as an `http` or `sse` server on a free loopback port and wait until
 * it answers.
 * @param mode the transport it serves
 */
export async function startHttpEchoFixture(mode: "http" | "sse"): Promise<HttpEchoFixture> {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const cmd = echoFixtureCommand(mode);
  const child = new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    env: { PORT: String(port) },
    stdout: "null",
    stderr: "null",
  }).spawn();
  const stop = async () => {
    try {
      child.kill("SIGKILL");
    } catch {
      // gone already
    }
    await child.status;
  };
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const res = await fetch(`http://127.0.0.1:${port}/`).catch(() => null);
    if (res) {
      await res.body?.cancel();
      return { port, [Symbol.asyncDispose]: stop };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`the echo fixture (${mode}) did not start on port ${port}`);
}
