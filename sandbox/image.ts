/**
 * @module Sandbox image: the `python_sandbox` Containerfile plus the kernel package
 * (`sandbox/kernel/`), built once through `runtime/images.ts` {@linkcode ensureImageFromContainerfile}
 * (tagged by a content hash that covers the Containerfile, every kernel module and the build
 * args, so editing the kernel yields a new image).
 */
import {
  type BuildLogOptions,
  contentTag,
  ensureImageFromContainerfile,
  type ImageRequest,
} from "../runtime/images.ts";
import type { BuildSettings, ImageDeps } from "../runtime/image_deps.ts";
import type { SandboxSettings } from "./settings.ts";

/** Where the kernel package lives inside the image (run as `python3 -u KERNEL_PATH`). */
export const KERNEL_PATH = "/opt/sandbox/kernel";

/** The kernel package's modules (`sandbox/kernel/*.py`), all shipped in the build context. */
export const KERNEL_MODULES = [
  "__init__.py",
  "__main__.py",
  "capture.py",
  "config.py",
  "execution.py",
  "figures.py",
  "files.py",
  "limits.py",
  "protocol.py",
  "tracebacks.py",
] as const;

/** The settings the image recipe reads. */
export type SandboxImageSettings = Pick<
  SandboxSettings,
  "sandboxImage" | "baseImage" | "debianMirror"
>;

/** Read one file shipped next to this module (works under `deno compile --include sandbox`). */
async function readSibling(name: string): Promise<string> {
  return await Deno.readTextFile(new URL(`./${name}`, import.meta.url));
}

/** The build request for the sandbox image (BASE_IMAGE is added by the builder). */
export async function sandboxImageRequest(settings: SandboxImageSettings): Promise<ImageRequest> {
  const contextFiles: Record<string, string> = {};
  for (const name of KERNEL_MODULES) {
    contextFiles[`kernel/${name}`] = await readSibling(`kernel/${name}`);
  }
  return {
    name: settings.sandboxImage,
    containerfile: await readSibling("Containerfile"),
    contextFiles,
    buildArgs: { BASE_IMAGE: settings.baseImage, DEBIAN_MIRROR: settings.debianMirror },
  };
}

/** The content-hash tag the sandbox image has (or would have), without building it. */
export async function sandboxImageTag(settings: SandboxImageSettings): Promise<string> {
  return contentTag(await sandboxImageRequest(settings));
}

/** What building the sandbox image needs: the image deps, with the recipe's settings. */
export type SandboxImageDeps = ImageDeps<BuildSettings & SandboxImageSettings>;

/** Build (or reuse) the sandbox image; returns its tag. */
export async function ensureSandboxImage(
  deps: SandboxImageDeps,
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
  deps: SandboxImageDeps,
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
