/**
 * @module The `python_sandbox` built-in as the router sees it: a {@linkcode BuiltinTool} over the
 * sandbox manager (one interpreter container per client session, counted in the router's shared
 * container slots).
 */
import type { Settings } from "../settings.ts";
import type { PodmanBackend } from "../../runtime/podman/backend.ts";
import type { ContainerSlots } from "../../runtime/sessions.ts";
import { SandboxManager } from "../../sandbox/runner.ts";
import { createSandboxImageEnsurer } from "../../sandbox/image.ts";
import { handleSandboxCall, PYTHON_SANDBOX_TOOL } from "../../sandbox/tool.ts";
import type { BuiltinTool } from "../mcp/contracts.ts";
import { createLogger } from "../../runtime/foundation/log.ts";

const logger = createLogger("sandbox");

/**
 * Create the built-in tool over a new sandbox manager, and its shutdown.
 * @param deps settings, the Podman backend and the container slots shared with the pool
 */
export function createSandboxTool(
  deps: { settings: Settings; backend: PodmanBackend; slots?: ContainerSlots },
): { tool: BuiltinTool; shutdown(): Promise<void> } {
  const ensureImage = createSandboxImageEnsurer(
    { settings: deps.settings, client: deps.backend.client },
    { onLog: (line) => logger.info("sandbox image build", { line }) },
  );
  const manager = new SandboxManager({
    backend: deps.backend,
    settings: deps.settings,
    ensureImage,
    slots: deps.slots,
  });
  const tool: BuiltinTool = {
    tool: PYTHON_SANDBOX_TOOL,
    call: (sessionId, args) => handleSandboxCall(manager, sessionId, args),
    endSession: (sessionId) => manager.endSession(sessionId),
  };
  return { tool, shutdown: () => manager.shutdown() };
}
