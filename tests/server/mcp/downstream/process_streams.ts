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
export function echoFixtureCommand(mode: "stdio" | "http" | "sse" = "stdio"): string[] {
  const config = new URL("../../../../deno.json", import.meta.url).pathname;
  return [Deno.execPath(), "run", "-A", "--config", config, ECHO_FIXTURE, mode];
}
