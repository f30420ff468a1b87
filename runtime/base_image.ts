/**
 * @module Base image: a Debian root filesystem made with `debootstrap --variant=minbase` and
 * imported through Podman's API as `settings.baseImage`. The suite is the reference's tag
 * (`localhost/mcp-router-base:trixie` → trixie; default {@linkcode DEFAULT_SUITE}). Needs root and
 * network access to the Debian mirror; takes a minute or two. When the setting names a registry
 * image (anything not under `localhost/`), nothing is built: the runtime images build FROM it.
 */
import { createLogger } from "./foundation/log.ts";
import { readLines } from "./foundation/lines.ts";
import type { BuildSettings, ImageDeps } from "./image_deps.ts";
import type { RuntimeSettings } from "./settings.ts";
import { PodmanError } from "./podman/errors.ts";
import { DEFAULT_SUITE, suiteOfImage } from "./debian_suite.ts";

const log = createLogger("runtime.base_image");

/** Options for {@linkcode buildBaseImage}. */
export interface BaseImageOptions {
  /** Receives progress lines. */
  onLog?: (line: string) => void;
  /** Rebuild even when the image exists. */
  force?: boolean;
  /** Debian suite (default: the reference's tag when it names one, else `trixie`). */
  suite?: string;
}

/** Environment PATH baked into the imported image. */
export const BASE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

async function pipeLines(
  stream: ReadableStream<Uint8Array>,
  onLine: (line: string) => void,
): Promise<void> {
  for await (const line of readLines(stream)) if (line.trim()) onLine(line);
}

/** Run debootstrap into `dir`, streaming its output. */
async function debootstrap(
  dir: string,
  options: { suite: string; mirror: string; onLog?: (line: string) => void },
): Promise<void> {
  const args = ["--variant=minbase", options.suite, dir, options.mirror];
  options.onLog?.(`debootstrap ${args.join(" ")}`);
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("debootstrap", { args, stdout: "piped", stderr: "piped" }).spawn();
  } catch (cause) {
    throw new PodmanError("debootstrap is not installed (run runtime/setup.sh as root)", {
      kind: "build",
      cause,
    });
  }
  const tail: string[] = [];
  const onLine = (line: string) => {
    tail.push(line);
    if (tail.length > 20) tail.shift();
    options.onLog?.(line);
  };
  await Promise.all([pipeLines(child.stdout, onLine), pipeLines(child.stderr, onLine)]);
  const status = await child.status;
  if (!status.success) {
    throw new PodmanError(
      `debootstrap failed (exit ${status.code}): ${tail.slice(-5).join(" | ")}`,
      {
        kind: "build",
      },
    );
  }
}

/**
 * Make sure `settings.baseImage` exists: for a `localhost/` ref, debootstrap and import it.
 * @returns the base image ref
 */
export async function buildBaseImage(
  deps: ImageDeps<BuildSettings & Pick<RuntimeSettings, "debianMirror">>,
  options: BaseImageOptions = {},
): Promise<string> {
  const ref = deps.settings.baseImage;
  if (!ref.startsWith("localhost/")) {
    options.onLog?.(`base image ${ref} is a registry image: builds use it FROM directly`);
    return ref;
  }
  if (!options.force && await deps.client.imageExists(ref)) {
    options.onLog?.(`base image ${ref} exists`);
    return ref;
  }
  if (Deno.uid() !== 0) {
    throw new PodmanError(`building ${ref} needs root (debootstrap)`, { kind: "build" });
  }
  const suite = options.suite ?? suiteOfImage(ref) ?? DEFAULT_SUITE;
  const dir = await Deno.makeTempDir({ prefix: "mcp-router-base-" });
  const started = Date.now();
  try {
    const rootfs = `${dir}/rootfs`;
    await debootstrap(rootfs, {
      suite,
      mirror: deps.settings.debianMirror,
      onLog: options.onLog,
    });
    options.onLog?.(`importing ${ref}`);
    const tar = new Deno.Command("tar", {
      args: [
        "-C",
        rootfs,
        "--exclude=./dev/*",
        "--exclude=./proc/*",
        "--exclude=./sys/*",
        "--exclude=./var/cache/apt/archives/*.deb",
        "-c",
        ".",
      ],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const errText = new Response(tar.stderr).text();
    const id = await deps.client.importImage(tar.stdout, {
      reference: ref,
      changes: [`ENV PATH=${BASE_PATH}`, 'CMD ["/bin/bash"]'],
      message: `mcp-router base (debootstrap minbase ${suite})`,
    });
    const status = await tar.status;
    if (!status.success) {
      throw new PodmanError(`tar of the base rootfs failed: ${await errText}`, { kind: "build" });
    }
    log.info("imported base image", { ref, id, ms: Date.now() - started });
    options.onLog?.(`imported ${ref} (${id})`);
    return ref;
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}
