import assert from "node:assert/strict";
import {
  detectEgressHook,
  EGRESS_ANNOTATION,
  EGRESS_HOOK_CONFIGS,
  EGRESS_NO_HOST,
  networkFields,
} from "../../runtime/egress.ts";

const rootless = { rootless: true, slirp4netns: true };

Deno.test("egress - none has no network namespace access", () => {
  assert.deepEqual(networkFields("none", rootless), { netns: { nsmode: "none" } });
});

Deno.test("egress - egress is slirp4netns without host loopback, annotated for the hook", () => {
  assert.deepEqual(networkFields("egress", rootless), {
    annotations: { [EGRESS_ANNOTATION]: EGRESS_NO_HOST },
    netns: { nsmode: "slirp4netns" },
    network_options: { slirp4netns: ["allow_host_loopback=false"] },
  });
  // rootful or without slirp4netns: the engine's network, still annotated for the hook
  assert.deepEqual(networkFields("egress", { rootless: false, slirp4netns: true }), {
    annotations: { [EGRESS_ANNOTATION]: EGRESS_NO_HOST },
  });
});

Deno.test("egress - default (host-services) is the engine default", () => {
  assert.deepEqual(networkFields("default", rootless), {});
});

Deno.test("egress - the hook is detected by its configuration file", () => {
  const found = detectEgressHook((p) => p === EGRESS_HOOK_CONFIGS[1]);
  assert.deepEqual(found, { hostBlocked: true, detail: `OCI hook ${EGRESS_HOOK_CONFIGS[1]}` });
  const missing = detectEgressHook(() => false);
  assert.equal(missing.hostBlocked, false);
  assert.match(missing.detail, /not installed.*setup\.sh.*reachable/);
});

Deno.test("egress - the hook script blocks host addresses and link-local, failing closed", async () => {
  const script = await Deno.readTextFile(new URL("../../runtime/egress-hook.sh", import.meta.url));
  assert.match(script, /^set -eu$/m);
  assert.match(script, /prohibit 169\.254\.0\.0\/16/);
  assert.match(script, /127\.\*\) continue/);
  assert.match(script, /exit 1/);
});
