import assert from "node:assert/strict";
import {
  missingEnvMessage,
  requireLaunchEnv,
  resolveLaunchEnv,
  withEnvDefaults,
} from "../../../server/services/launch_env.ts";
import { AppError } from "../../../server/errors.ts";
import { EnvVarSpecSchema } from "../../../server/schemas/server.ts";

const srv = {
  id: "s1",
  env: [
    { key: "TOKEN", required: true, secret: true },
    { key: "REGION", required: true, default: "eu" },
    { key: "MODE", default: "fast" },
    { key: "DEBUG" },
  ].map((e) => EnvVarSpecSchema.parse(e)),
};
const store = (values: Record<string, string>) => ({
  getEnvValues: (id: string) => Promise.resolve(id === "s1" ? { ...values } : {}),
});

Deno.test("Launch env - stored values win, defaults fill the rest, required keys without either are missing", async () => {
  const { env, missing } = await resolveLaunchEnv(store({ MODE: "slow" }), srv);
  assert.deepEqual(env, { MODE: "slow", REGION: "eu" });
  assert.deepEqual(missing, ["TOKEN"]);
  assert.equal(missingEnvMessage(missing), "missing required env values: TOKEN");
  assert.deepEqual(withEnvDefaults(srv, { TOKEN: "t" }), {
    TOKEN: "t",
    REGION: "eu",
    MODE: "fast",
  });
});

Deno.test("Launch env - requireLaunchEnv gives the env, or a 400 naming the missing keys", async () => {
  assert.deepEqual(await requireLaunchEnv(store({ TOKEN: "t" }), srv), {
    TOKEN: "t",
    REGION: "eu",
    MODE: "fast",
  });
  await assert.rejects(() => requireLaunchEnv(store({}), srv), (error: unknown) => {
    assert.ok(error instanceof AppError);
    assert.equal(error.status, 400);
    assert.match(error.message, /missing required env values: TOKEN/);
    return true;
  });
});
