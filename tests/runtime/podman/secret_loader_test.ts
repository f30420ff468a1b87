/**
 * The secret loader: secret files become env vars, and `${KEY}` in an argument of a loaded
 * secret is filled in the container (never in the container's stored command line) — by the
 * local `sh`/`dash`/`bash` on a temp folder, and in a real container when Podman is available.
 */
import assert from "node:assert/strict";
import { exitCodeOf } from "../../../runtime/sessions.ts";
import { PodmanBackend, withSecretLoader } from "../../../runtime/podman/backend.ts";
import { testSettings } from "../../../server/settings.ts";
import { LIVE_NOTE, LIVE_OPTS, LIVE_SOCKET, NO_PODMAN, testContainerSpec } from "./live.ts";

const dec = new TextDecoder();
const TRICKY = `p@ss w$rd 'q' "d" \`x\` $(no) *`;

Deno.test("secret loader - fills ${KEY} of loaded secrets in args, leaves the rest as is", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/mcpr_env_ARG_PASSWORD`, TRICKY);
    await Deno.writeTextFile(`${dir}/mcpr_env_TOKEN`, "t0k");
    const args = [
      "--password=${ARG_PASSWORD}",
      "${ARG_PASSWORD}",
      "${HOME}",
      "${NOT_LOADED}",
      "${ARG_PASSWORD",
      "${a b}",
      "two words",
      "",
      "x${TOKEN}y",
    ];
    const cmd = withSecretLoader([
      "sh",
      "-c",
      'printf "[%s]\\n" "$@"; echo "env=$TOKEN"',
      "-",
      ...args,
    ], dir);
    for (const shell of ["sh", "dash", "bash"]) {
      const out = await new Deno.Command(shell, { args: cmd.slice(1), stderr: "inherit" }).output()
        .catch(() => null);
      if (!out) continue; // that shell is not installed
      assert.equal(
        dec.decode(out.stdout),
        [
          `--password=${TRICKY}`,
          TRICKY,
          "${HOME}",
          "${NOT_LOADED}",
          "${ARG_PASSWORD",
          "${a b}",
          "two words",
          "",
          "xt0ky",
        ].map((a) => `[${a}]\n`).join("") + "env=t0k\n",
        shell,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    `secret loader - a secret argument reaches the server, not the container config${LIVE_NOTE}`,
  ignore: NO_PODMAN,
  ...LIVE_OPTS,
  fn: async () => {
    const b = PodmanBackend.fromSettings(testSettings({ podmanSocket: LIVE_SOCKET ?? "/none" }));
    const id = await b.create(testContainerSpec({
      command: ["sh", "-c", 'printf "[%s]\\n" "$@"', "-", "--password", "${ARG_PASSWORD}"],
      secretEnv: { ARG_PASSWORD: TRICKY },
      user: "1000:1000",
    }));
    try {
      const config = JSON.stringify(await b.client.inspectContainer(id));
      assert.ok(!config.includes("w$rd"), "the value is not in the container's config");
      await b.start(id);
      assert.equal(await exitCodeOf(b, id, { waitMs: 600_000 }), 0);
      assert.deepEqual(await b.logs(id, { tail: 10 }), ["[--password]", `[${TRICKY}]`]);
    } finally {
      await b.remove(id);
      b.close();
    }
  },
});
