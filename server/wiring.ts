/**
 * @module Wiring: builds the router's services from settings (store, runtime, analyzer).
 */
import type { Settings } from "./settings.ts";
import { KvStore } from "./store/kv_store.ts";
import type { AnalyzeFn, RuntimeFacade } from "./services.ts";
import { PODMAN_INSTALL_HINT, UnavailableRuntime } from "./runtime_unavailable.ts";
import { planFromSource } from "./analyzer/source_plan.ts";
import { setLogLevel } from "./log.ts";

/** The assembled services of one router process. */
export interface RouterServices {
  settings: Settings;
  store: KvStore;
  runtime: RuntimeFacade;
  analyze: AnalyzeFn;
  /** Stop background work and close handles. */
  close(): Promise<void>;
}

/** Build the analyzer function for these settings. */
export function createAnalyzeFn(_settings: Settings, _store: KvStore): AnalyzeFn {
  return (input) => Promise.resolve(planFromSource(input.source));
}

async function podmanInstalled(): Promise<boolean> {
  try {
    const { success } = await new Deno.Command("podman", {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    }).output();
    return success;
  } catch {
    return false;
  }
}

/** Build the container runtime facade, or a degraded one saying why it is unavailable. */
export async function createRuntime(settings: Settings): Promise<RuntimeFacade> {
  try {
    await Deno.stat(settings.podmanSocket);
  } catch {
    const installed = await podmanInstalled();
    return new UnavailableRuntime(
      `podman socket ${settings.podmanSocket} not found`,
      installed ? null : PODMAN_INSTALL_HINT,
    );
  }
  return new UnavailableRuntime("container runtime not wired yet");
}

/** Open the store and build every service. */
export async function openServices(settings: Settings): Promise<RouterServices> {
  setLogLevel(settings.logLevel);
  const store = await KvStore.open({ dataDir: settings.dataDir });
  const runtime = await createRuntime(settings);
  return {
    settings,
    store,
    runtime,
    analyze: createAnalyzeFn(settings, store),
    close() {
      store.close();
      return Promise.resolve();
    },
  };
}
