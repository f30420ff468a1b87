/**
 * @module Sandbox image: the `python_sandbox` Containerfile plus `kernel.py`, built once through
 * `runtime/images.ts` {@linkcode ensureImageFromContainerfile} (tagged by a content hash that
 * covers both files and the build args, so editing the kernel yields a new image).
 */
import type { Settings } from "../server/settings.ts";
import {
  type BuildLogOptions,
  contentTag,
  ensureImageFromContainerfile,
  type ImageDeps,
  type ImageRequest,
} from "../runtime/images.ts";

/** Where the kernel lives inside the image. */
export const KERNEL_PATH = "/opt/sandbox/kernel.py";

/** Read one file shipped next to this module (works under `deno compile --include sandbox`). */
async function readSibling(name: string): Promise<string> {
  return await Deno.readTextFile(new URL(`./${name}`, import.meta.url));
}

/** The build request for the sandbox image (BASE_IMAGE is added by the builder). */
export async function sandboxImageRequest(settings: Settings): Promise<ImageRequest> {
  return {
    name: settings.sandboxImage,
    containerfile: await readSibling("Containerfile"),
    contextFiles: { "kernel.py": await readSibling("kernel.py") },
    buildArgs: { BASE_IMAGE: settings.baseImage, DEBIAN_MIRROR: settings.debianMirror },
  };
}

/** The content-hash tag the sandbox image has (or would have), without building it. */
export async function sandboxImageTag(settings: Settings): Promise<string> {
  return await contentTag(await sandboxImageRequest(settings));
}

/** Build (or reuse) the sandbox image; returns its tag. */
export async function ensureSandboxImage(
  deps: ImageDeps,
  options: BuildLogOptions = {},
): Promise<string> {
  return await ensureImageFromContainerfile(
    deps,
    await sandboxImageRequest(deps.settings),
    options,
  );
}

/**
 * A memoized "make sure the sandbox image exists" function for `SandboxManager`:
 * builds on first use (or after a failed attempt) and returns the tag.
 * @param deps settings and Podman client
 * @param options build log sink
 */
export function createSandboxImageEnsurer(
  deps: ImageDeps,
  options: BuildLogOptions = {},
): () => Promise<string> {
  let pending: Promise<string> | null = null;
  return () => {
    if (!pending) {
      pending = ensureSandboxImage(deps, options);
      pending.catch(() => {
        pending = null;
      });
    }
    return pending;
  };
}
