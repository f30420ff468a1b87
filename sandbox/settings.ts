/**
 * @module Sandbox settings: the fields of the router's settings the sandbox reads. The router's
 * `Settings` satisfies this structurally; the sandbox never imports it.
 */

/** What `python_sandbox` needs to know of the router's configuration. */
export interface SandboxSettings {
  /** Repository of the sandbox image (tagged by content hash). */
  readonly sandboxImage: string;
  /** Base image the sandbox image is built on. */
  readonly baseImage: string;
  /** Debian mirror for the image build. */
  readonly debianMirror: string;
  /** Host CA bundle mounted when the network is on; empty to disable. */
  readonly caBundle: string;
  /** Whether the sandbox gets the engine's default network (default: none). */
  readonly sandboxNetwork: boolean;
  /** Memory cap of one sandbox's whole process tree, in MB. */
  readonly sandboxMemoryMb: number;
  /** Default per-call wall-clock limit, in seconds. */
  readonly sandboxTimeoutS: number;
  /** Largest per-call limit a caller may ask for, in seconds. */
  readonly sandboxMaxTimeoutS: number;
  /** CPUs per container. */
  readonly containerCpus: number;
  /** Processes per container (the sandbox caps it lower). */
  readonly containerPids: number;
  /** Containers in total (the shared slots; also the default session cap). */
  readonly maxContainers: number;
  /** Containers per server (the sandbox counts as one server). */
  readonly maxContainersPerServer: number;
  /** Idle sessions lose their sandbox after this many ms. */
  readonly sessionIdleTimeoutMs: number;
  /** Deadline for a sandbox to start and say ready, in ms. */
  readonly startTimeoutMs: number;
}
