/**
 * @module Runtime images: the Debian base (debootstrap → import), the Node and uv runtimes, their
 * install toolchains, and content-hash-tagged builds from any Containerfile.
 *
 * An image is tagged `<name>:<hash>` where the hash covers the Containerfile text, the extra
 * context files and the build args (which include the base image ref). An unchanged input reuses
 * the existing image; a changed one builds a new tag. The CA bundle is passed to every build as
 * the context file `build-ca.crt` (empty when disabled) and is not part of the hash.
 */
import { createLogger } from "./foundation/log.ts";
import { sha256Hex } from "./foundation/bytes.ts";
import { PodmanClient } from "./podman/client.ts";
import { PodmanError } from "./podman/errors.ts";
import { type TarEntry, tarStream } from "./podman/tar.ts";
import { buildBaseImage } from "./base_image.ts";
import type { BuildSettings, ImageDeps, RuntimeImageSettings } from "./image_deps.ts";
import type { RuntimeSettings } from "./settings.ts";

const log = createLogger("runtime.images");

/** One Containerfile build request. */
export interface ImageRequest {
  /** Repository name without tag, e.g. `localhost/mcp-router-node`. */
  name: string;
  /** Containerfile text. */
  containerfile: string;
  /** Extra files in the build context (path → content). */
  contextFiles?: Record<string, string | Uint8Array>;
  /** `ARG` values; `BASE_IMAGE` defaults to `settings.baseImage`. */
  buildArgs?: Record<string, string>;
  /** Cache each step as an image (default true; false leaves no stage images behind). */
  layers?: boolean;
}

/** Build options. */
export interface BuildLogOptions {
  /** Receives build progress lines. */
  onLog?: (line: string) => void;
  /** Rebuild even when the tag exists. */
  force?: boolean;
}

/** The runtime image kinds. */
export type RuntimeKind = "node" | "uv";

/** Name of the CA bundle file inside every build context. */
export const BUILD_CA_FILE = "build-ca.crt";

const inflight = new Map<string, Promise<string>>();

/** Strip a tag or digest from an image reference (`a/b:tag` → `a/b`). */
export function repoOf(ref: string): string {
  const at = ref.indexOf("@");
  const noDigest = at >= 0 ? ref.slice(0, at) : ref;
  const colon = noDigest.lastIndexOf(":");
  return colon > noDigest.lastIndexOf("/") ? noDigest.slice(0, colon) : noDigest;
}

/**
 * The content-hash tag for a build: `<name>:<12 hex>` over the Containerfile, the context files
 * (sorted, excluding the CA bundle) and the build args (sorted).
 */
export function contentTag(request: ImageRequest): string {
  const enc = new TextEncoder();
  const parts: string[] = ["containerfile", request.containerfile];
  const files = Object.entries(request.contextFiles ?? {})
    .filter(([path]) => path !== BUILD_CA_FILE)
    .sort(([a], [b]) => a.localeCompare(b));
  for (const [path, content] of files) {
    const bytes = typeof content === "string" ? enc.encode(content) : new Uint8Array(content);
    parts.push("file", path, sha256Hex(bytes));
  }
  const args = Object.entries(request.buildArgs ?? {}).sort(([a], [b]) => a.localeCompare(b));
  for (const [k, v] of args) parts.push("arg", k, v);
  const hash = sha256Hex(JSON.stringify(parts));
  return `${repoOf(request.name)}:${hash.slice(0, 12)}`;
}

/** The CA bundle bytes for build contexts (empty when unset or unreadable). */
export async function caBundleBytes(
  settings: Pick<RuntimeSettings, "caBundle">,
): Promise<Uint8Array> {
  if (!settings.caBundle) return new Uint8Array(0);
  try {
    return await Deno.readFile(settings.caBundle);
  } catch {
    log.warn("CA bundle not readable; building without it", { path: settings.caBundle });
    return new Uint8Array(0);
  }
}

/**
 * Build (or reuse) an image from Containerfile text; returns its content-hash tag.
 * Concurrent calls for the same tag share one build.
 */
export async function ensureImageFromContainerfile(
  deps: ImageDeps<BuildSettings>,
  request: ImageRequest,
  options: BuildLogOptions = {},
): Promise<string> {
  const full: ImageRequest = {
    ...request,
    buildArgs: { BASE_IMAGE: deps.settings.baseImage, ...request.buildArgs },
  };
  const tag = await contentTag(full);
  const running = inflight.get(tag);
  if (running) return await running;
  const work = (async () => {
    if (!options.force && await deps.client.imageExists(tag)) return tag;
    const entries: TarEntry[] = [
      { name: "Containerfile", content: full.containerfile },
      { name: BUILD_CA_FILE, content: await caBundleBytes(deps.settings) },
    ];
    for (const [path, content] of Object.entries(full.contextFiles ?? {})) {
      if (path === "Containerfile" || path === BUILD_CA_FILE) continue;
      entries.push({ name: path, content });
    }
    log.info("building image", { tag });
    const started = Date.now();
    await deps.client.build(tarStream(entries), {
      tag,
      buildArgs: full.buildArgs,
      onLog: options.onLog,
      layers: full.layers,
    });
    log.info("built image", { tag, ms: Date.now() - started });
    return tag;
  })();
  inflight.set(tag, work);
  try {
    return await work;
  } finally {
    inflight.delete(tag);
  }
}

const shipped = new Map<string, Promise<string>>();

/** A file shipped in `runtime/images/`, read once per process (tags are computed per launch). */
function shippedFile(name: string): Promise<string> {
  let text = shipped.get(name);
  if (!text) {
    text = Deno.readTextFile(new URL(`./images/${name}`, import.meta.url));
    shipped.set(name, text);
    text.catch(() => shipped.delete(name));
  }
  return text;
}

/** The Containerfile text shipped for a runtime kind. */
export function runtimeContainerfile(kind: RuntimeKind): Promise<string> {
  return shippedFile(`${kind}.Containerfile`);
}

/** The `ARG NAME=value` defaults of a Containerfile (ARGs without a default are left out). */
export function containerfileArgDefaults(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^ARG ([A-Za-z_][A-Za-z0-9_]*)=(\S*)\s*$/gm)) out[m[1]] = m[2];
  return out;
}

/** Image name (no tag) for a runtime kind. */
export function runtimeImageName(
  kind: RuntimeKind,
  settings: Pick<RuntimeSettings, "nodeImage" | "uvImage">,
): string {
  return kind === "node" ? settings.nodeImage : settings.uvImage;
}

/** The content-hash tag a runtime image has (or would have), without building it. */
export async function runtimeImageTag(
  kind: RuntimeKind,
  settings: RuntimeImageSettings,
): Promise<string> {
  return contentTag({
    name: runtimeImageName(kind, settings),
    containerfile: await runtimeContainerfile(kind),
    buildArgs: { BASE_IMAGE: settings.baseImage },
  });
}

/** Build (or reuse) the Node or uv runtime image; returns its tag. */
export async function ensureRuntimeImage(
  kind: RuntimeKind,
  deps: ImageDeps<RuntimeImageSettings>,
  options: BuildLogOptions = {},
): Promise<string> {
  const baseOk = await deps.client.imageExists(deps.settings.baseImage);
  if (!baseOk && deps.settings.baseImage.startsWith("localhost/")) {
    throw new PodmanError(
      `base image ${deps.settings.baseImage} is missing: run \`mcp-router images build\` (as root)`,
      { status: 404, kind: "build" },
    );
  }
  return await ensureImageFromContainerfile(deps, {
    name: runtimeImageName(kind, deps.settings),
    containerfile: await runtimeContainerfile(kind),
  }, options);
}

/** What a toolchain image extends: a runtime kind, or the plain base image. */
export type ToolchainKind = RuntimeKind | "base";

/** Image name (no tag) of a kind's install toolchain (`localhost/mcp-router-node-build`). */
export function toolchainImageName(
  kind: ToolchainKind,
  settings: Pick<RuntimeSettings, "nodeImage" | "uvImage">,
): string {
  if (kind === "base") return "localhost/mcp-router-base-build";
  return `${repoOf(runtimeImageName(kind, settings))}-build`;
}

async function toolchainRequest(
  kind: ToolchainKind,
  settings: Pick<RuntimeSettings, "nodeImage" | "uvImage">,
  runtimeTag: string,
): Promise<ImageRequest> {
  const buildArgs: Record<string, string> = { RUNTIME_IMAGE: runtimeTag };
  if (kind === "node") {
    // Node's headers must match the runtime's node: same version, same pinned tarball.
    const pins = containerfileArgDefaults(await runtimeContainerfile("node"));
    buildArgs.NODE_VERSION = pins.NODE_VERSION ?? "";
    buildArgs.NODE_SHA512 = pins.NODE_SHA512 ?? "";
  }
  return {
    name: toolchainImageName(kind, settings),
    containerfile: await shippedFile("toolchain.Containerfile"),
    buildArgs,
  };
}

/** The tag a kind's toolchain image has (or would have), without building anything. */
export async function toolchainImageTag(
  kind: ToolchainKind,
  settings: RuntimeImageSettings,
): Promise<string> {
  const runtimeTag = kind === "base" ? settings.baseImage : await runtimeImageTag(kind, settings);
  const request = await toolchainRequest(kind, settings, runtimeTag);
  return contentTag({
    ...request,
    buildArgs: { BASE_IMAGE: settings.baseImage, ...request.buildArgs },
  });
}

/**
 * Build (or reuse) the install toolchain of a kind: its runtime image plus compilers, headers and
 * `git` (runtime/images/toolchain.Containerfile). Per-server installs run in it.
 * @returns its tag
 */
export async function ensureToolchainImage(
  kind: ToolchainKind,
  deps: ImageDeps<RuntimeImageSettings>,
  options: BuildLogOptions = {},
): Promise<string> {
  const runtimeTag = kind === "base"
    ? deps.settings.baseImage
    : await ensureRuntimeImage(kind, deps, options);
  const request = await toolchainRequest(kind, deps.settings, runtimeTag);
  return await ensureImageFromContainerfile(deps, request, options);
}

/** Tags of the built runtime images. */
export interface RuntimeImages {
  base: string;
  node: string;
  uv: string;
  /** The install toolchains of the node and uv images. */
  nodeToolchain: string;
  uvToolchain: string;
}

/**
 * Build the base, Node and uv images and their install toolchains (each reused when unchanged);
 * used by `images build`.
 */
export async function buildRuntimeImages(
  settings: RuntimeImageSettings & Pick<RuntimeSettings, "podmanSocket" | "debianMirror">,
  options: BuildLogOptions = {},
): Promise<RuntimeImages> {
  const client = new PodmanClient(settings.podmanSocket);
  try {
    const deps = { settings, client };
    const base = await buildBaseImage(deps, options);
    const node = await ensureRuntimeImage("node", deps, options);
    const uv = await ensureRuntimeImage("uv", deps, options);
    const nodeToolchain = await ensureToolchainImage("node", deps, options);
    const uvToolchain = await ensureToolchainImage("uv", deps, options);
    return { base, node, uv, nodeToolchain, uvToolchain };
  } finally {
    client.close();
  }
}
