/**
 * @module Image build contract: what every image builder needs (the settings it reads and the
 * Podman client). Shared by `images.ts`, `base_image.ts` and the install and repository images,
 * so none of them imports another for its types.
 */
import type { PodmanClient } from "./podman/client.ts";
import type { RuntimeSettings } from "./settings.ts";

/** The settings every Containerfile build reads (`BASE_IMAGE`, the CA bundle in the context). */
export type BuildSettings = Pick<RuntimeSettings, "baseImage" | "caBundle">;

/** The settings the runtime and toolchain images read (their repository names). */
export type RuntimeImageSettings = BuildSettings & Pick<RuntimeSettings, "nodeImage" | "uvImage">;

/** What image builds need; `S` is the settings the build at hand reads. */
export interface ImageDeps<S extends BuildSettings = BuildSettings> {
  /** The settings fields the build reads. */
  settings: S;
  /** The Podman client builds go through. */
  client: PodmanClient;
  /** Outbound fetch for repository downloads (default: the global fetch). */
  fetch?: typeof fetch;
}

/** The settings per-server install images read (Python checks, repository downloads too). */
export type InstallSettings =
  & RuntimeImageSettings
  & Pick<RuntimeSettings, "pypiUrl" | "githubApiUrl" | "githubToken">;

/** What per-server install image builds need. */
export type InstallDeps = ImageDeps<InstallSettings>;
