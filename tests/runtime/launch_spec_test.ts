import assert from "node:assert/strict";
import {
  buildLaunchSpec,
  LaunchSpecError,
  npmLaunch,
  npmPackageName,
  uvLaunch,
} from "../../runtime/launch_spec.ts";
import { serverRecord } from "../helpers.ts";
import { testSettings } from "../../server/settings.ts";

const record = serverRecord;

Deno.test("launch spec - npm package names", () => {
  assert.equal(npmPackageName("@scope/pkg@1.2.3"), "@scope/pkg");
  assert.equal(npmPackageName("@scope/pkg"), "@scope/pkg");
  assert.equal(npmPackageName("pkg@^1"), "pkg");
  assert.equal(npmPackageName("https://x/y.tgz"), null);
});

Deno.test("launch spec - npx -y PKG args runs the installed entry with the args", () => {
  const plan = npmLaunch({
    package: null,
    command: "npx",
    args: ["-y", "pkg@1.0", "stdio", "--x"],
  });
  assert.deepEqual(plan.installSpecs, ["pkg@1.0"]);
  assert.equal(plan.entryPackage, "pkg");
  assert.deepEqual(plan.command, ["/opt/server/entry", "stdio", "--x"]);
});

Deno.test("launch spec - npx -p PKG BIN runs the named bin", () => {
  const plan = npmLaunch({
    package: null,
    command: "npx",
    args: ["--yes", "-p", "@a/b", "b-cli", "go"],
  });
  assert.deepEqual(plan.installSpecs, ["@a/b"]);
  assert.deepEqual(plan.command, ["/opt/server/node_modules/.bin/b-cli", "go"]);
});

Deno.test("launch spec - plan package wins over the bare npx name", () => {
  const plan = npmLaunch({ package: "pkg@2.0.0", command: "npx", args: ["-y", "pkg"] });
  assert.deepEqual(plan.installSpecs, ["pkg@2.0.0"]);
  assert.deepEqual(plan.command, ["/opt/server/entry"]);
});

Deno.test("launch spec - npx without a package is an error", () => {
  assert.throws(() => npmLaunch({ package: null, command: "npx", args: ["-y"] }), LaunchSpecError);
});

Deno.test("launch spec - uvx PKG and --from", () => {
  const a = uvLaunch({
    package: null,
    command: "uvx",
    args: ["mcp-server-time", "--local-timezone", "UTC"],
  });
  assert.equal(a.installSpec, "mcp-server-time");
  assert.deepEqual(a.command, ["/opt/server/bin/mcp-server-time", "--local-timezone", "UTC"]);
  const b = uvLaunch({
    package: null,
    command: "uvx",
    args: ["--from", "git-pkg==1.0", "tool-cmd", "x"],
  });
  assert.equal(b.installSpec, "git-pkg==1.0");
  assert.equal(b.tool, "git-pkg");
  assert.deepEqual(b.command, ["/opt/server/bin/tool-cmd", "x"]);
  const c = uvLaunch({ package: null, command: "uvx", args: ["pkg@1.2"] });
  assert.equal(c.installSpec, "pkg==1.2");
  assert.deepEqual(c.command, ["/opt/server/bin/pkg"]);
});

Deno.test("launch spec - hardening, labels, CA bundle and env on every container", () => {
  const settings = testSettings({ caBundle: "/etc/ssl/certs/ca-certificates.crt" });
  const spec = buildLaunchSpec(
    record({ env: [{ key: "TOKEN", secret: true }, { key: "MODE", default: "fast" }] }),
    { env: { TOKEN: "s3cret-value" }, settings, sessionId: "sess-1", image: "img:1" },
  );
  assert.equal(spec.readOnlyRoot, true);
  assert.equal(spec.user, "1000:1000");
  assert.deepEqual(spec.tmpfs, ["/tmp", "/home/mcp"]);
  assert.equal(spec.stdin, true);
  assert.deepEqual(spec.readOnlyMounts, [{
    source: "/etc/ssl/certs/ca-certificates.crt",
    destination: "/etc/ssl/certs/ca-certificates.crt",
  }]);
  assert.equal(spec.env.NODE_EXTRA_CA_CERTS, "/etc/ssl/certs/ca-certificates.crt");
  assert.equal(spec.env.SSL_CERT_FILE, "/etc/ssl/certs/ca-certificates.crt");
  assert.equal(spec.env.REQUESTS_CA_BUNDLE, "/etc/ssl/certs/ca-certificates.crt");
  assert.equal(spec.env.PIP_CERT, "/etc/ssl/certs/ca-certificates.crt");
  assert.equal(spec.env.UV_NATIVE_TLS, "1");
  // secret values travel as engine secrets, never in the container env/config
  assert.equal(spec.env.TOKEN, undefined);
  assert.deepEqual(spec.secretEnv, { TOKEN: "s3cret-value" });
  assert.equal(spec.env.MODE, "fast");
  assert.deepEqual(spec.labels, {
    "mcp-router": "1",
    "mcp-router.session": "sess-1",
    "mcp-router.server": "demo",
    "mcp-router.server-id": "srv-1",
    "mcp-router.lifecycle": "session",
  });
  assert.ok(!JSON.stringify(spec.labels).includes("s3cret"));
  assert.deepEqual(spec.command, ["/opt/server/entry"]);
  assert.deepEqual(spec.publish, []);
  assert.equal(spec.image, "img:1");
});

Deno.test("launch spec - no CA mount when disabled", () => {
  const spec = buildLaunchSpec(record({}), {
    env: {},
    settings: testSettings({ caBundle: "" }),
    sessionId: "s",
    image: "i",
  });
  assert.deepEqual(spec.readOnlyMounts, []);
  assert.equal(spec.env.SSL_CERT_FILE, undefined);
});

Deno.test("launch spec - sse/http publish the plan port on 127.0.0.1 and need no stdin", () => {
  const spec = buildLaunchSpec(
    record({ transport: "sse", port: 3001, args: ["-y", "pkg", "sse"] }),
    { env: {}, settings: testSettings(), sessionId: "s", image: "i" },
  );
  assert.deepEqual(spec.publish, [{ containerPort: 3001, hostPort: 0 }]);
  assert.equal(spec.stdin, false);
  assert.equal(spec.env.PORT, "3001");
  assert.throws(
    () =>
      buildLaunchSpec(record({ transport: "http" }), {
        env: {},
        settings: testSettings(),
        sessionId: "s",
        image: "i",
      }),
    /need a port/,
  );
});

Deno.test("launch spec - image runtime keeps the image's command unless the plan has one", () => {
  const settings = testSettings();
  const base = { runtime: "image", image: "localhost/x:1", command: null, args: [] };
  const a = buildLaunchSpec(record(base), {
    env: {},
    settings,
    sessionId: "s",
    image: "localhost/x:1",
  });
  assert.deepEqual(a.command, []);
  const b = buildLaunchSpec(record({ ...base, command: "node", args: ["srv.js"] }), {
    env: {},
    settings,
    sessionId: "s",
    image: "localhost/x:1",
  });
  assert.deepEqual(b.command, ["node", "srv.js"]);
});

Deno.test("launch spec - source runs the plan command in /opt/server", () => {
  const spec = buildLaunchSpec(
    record({ runtime: "source", command: "node", args: ["dist/index.js"], install: ["npm ci"] }),
    { env: {}, settings: testSettings(), sessionId: "s", image: "i" },
  );
  assert.equal(spec.workdir, "/opt/server");
  assert.deepEqual(spec.command, ["node", "dist/index.js"]);
});

Deno.test("launch spec - the plan's network policy picks the container network", () => {
  const settings = testSettings();
  const opts = { env: {}, settings, sessionId: "s", image: "img" };
  assert.equal(buildLaunchSpec(record(), opts).network, "egress", "default: egress");
  assert.equal(buildLaunchSpec(record({ network: "none" }), opts).network, "none");
  assert.equal(buildLaunchSpec(record({ network: "host-services" }), opts).network, "default");
  const sse = record({ transport: "sse", port: 3000, network: "egress" });
  assert.equal(buildLaunchSpec(sse, opts).network, "egress", "published ports work with egress");
  assert.throws(
    () => buildLaunchSpec({ ...sse, network: "none" }, opts),
    (e) => e instanceof LaunchSpecError && /need a network/.test(e.message),
  );
});
