/**
 * @module Runtime settings: the fields of the router's settings the container runtime reads.
 * The router's `Settings` satisfies this structurally; `runtime/` never imports it. Functions
 * take the `Pick` of what they read, so callers (the sandbox, tests) pass no more than that.
 */

/** What `runtime/` needs to know of the router's configuration. */
export interface RuntimeSettings {
  /** Podman's REST API socket. */
  readonly podmanSocket: string;
  /** Host CA bundle mounted into containers and build contexts; empty to disable. */
  readonly caBundle: string;
  /** Base image the runtime images build FROM (`localhost/…` ones are debootstrapped). */
  readonly baseImage: string;
  /** Repository (no tag) of the Node runtime image. */
  readonly nodeImage: string;
  /** Repository (no tag) of the uv runtime image. */
  readonly uvImage: string;
  /** Debian mirror used by debootstrap and apt inside image builds. */
  readonly debianMirror: string;
  /** Token for GitHub API downloads (repository builds), if any. */
  readonly githubToken?: string;
  /** GitHub API base URL. */
  readonly githubApiUrl: string;
  /** PyPI base URL for Python-support checks; empty when disabled. */
  readonly pypiUrl: string;
  /** Memory cap per container, in MB. */
  readonly containerMemoryMb: number;
  /** Processes per container. */
  readonly containerPids: number;
  /** CPUs per container. */
  readonly containerCpus: number;
}
