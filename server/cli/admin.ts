/**
 * @module CLI verbs for operators: `images build`, `keys create|list|revoke`,
 * `admin set-password`, `secrets rotate`, `test <name>`.
 */
import type { Settings } from "../settings.ts";
import { buildRuntimeImages } from "../../runtime/images.ts";
import { PodmanClient } from "../../runtime/podman/client.ts";
import { ensureSandboxImage } from "../../sandbox/image.ts";
import type { RouterServices } from "../composition/wiring.ts";
import { activeApiKeys, createApiKey, revokeApiKey } from "../auth/api_keys.ts";
import type { KeyScope } from "../schemas/records.ts";
import { setAdminPassword } from "../auth/admin_password.ts";
import { parseVerb, UsageError } from "./args.ts";
import { err, out, readSecretFromStdin } from "./output.ts";
import { missingEnvMessage, resolveLaunchEnv } from "../services/launch_env.ts";

/** Help texts of the operator verbs. */
export const ADMIN_HELP: Record<string, string> = {
  images: `Usage: main.ts images build [--no-sandbox]

Build the runtime images: the Debian base (debootstrap + import through the Podman API when the
base image setting is a localhost/ image; needs root), then node, uv and the python sandbox.
Unchanged images are reused (tags carry a content hash).`,
  keys: `Usage: main.ts keys create NAME [--scope mcp|admin] | keys list | keys revoke NAME-or-ID

API keys (Authorization: Bearer KEY). create prints the key once. Scope mcp (the default) may use
only /mcp, /sse and /messages; admin may use everything (REST API, admin pages, metrics).
Revoking a key ends at once every session, stream, UI sign-in and container it opened.`,
  admin: `Usage: main.ts admin set-password

Set the admin UI password (read from stdin, no echo on a terminal).`,
  secrets: `Usage: main.ts secrets rotate

Re-encrypt every secret env value under a new key (the old key file is kept as secret.key.old).`,
  test: `Usage: main.ts test NAME

Launch the server once in a throw-away container, list its tools, and record its health.`,
};

/** `images build`. */
export async function imagesVerb(args: string[], settings: Settings): Promise<number> {
  const { values, positionals } = parseVerb(args, { "no-sandbox": { type: "boolean" } });
  if (values.help) return help("images");
  if (positionals[0] !== "build") throw new UsageError("usage: images build");
  const onLog = (line: string) => err(`  ${line}`);
  const built = await buildRuntimeImages(settings, { onLog });
  out(`base: ${built.base}\nnode: ${built.node}\nuv:   ${built.uv}`);
  out(`node toolchain: ${built.nodeToolchain}\nuv toolchain:   ${built.uvToolchain}`);
  if (!values["no-sandbox"]) {
    const client = new PodmanClient(settings.podmanSocket);
    try {
      out(`sandbox: ${await ensureSandboxImage({ settings, client }, { onLog })}`);
    } finally {
      client.close();
    }
  }
  return 0;
}

/** `keys create|list|revoke`. */
export async function keysVerb(args: string[], services: RouterServices): Promise<number> {
  const { values, positionals } = parseVerb(args, {
    json: { type: "boolean" },
    scope: { type: "string" },
  });
  if (values.help) return help("keys");
  const [sub, name] = positionals;
  if (
    values.scope !== undefined && (sub !== "create" || !["mcp", "admin"].includes(values.scope))
  ) {
    throw new UsageError("--scope takes mcp or admin (with keys create)");
  }
  if (sub === "create" && name && positionals.length === 2) {
    const scope = (values.scope ?? "mcp") as KeyScope;
    const { record, key } = await createApiKey(services.store, name, scope);
    await services.store.appendAudit({
      actor: "cli",
      action: "key.create",
      target: record.name,
      details: { id: record.id, prefix: record.prefix, scope },
    });
    out(key);
    err(`created key '${record.name}' (${record.prefix}…, scope ${scope}); it is shown only now`);
    return 0;
  }
  if (sub === "list" && !name) {
    const keys = await services.store.listApiKeys();
    if (values.json) out(JSON.stringify(keys.map(({ hash: _h, salt: _s, ...k }) => k), null, 2));
    else {
      for (const k of keys) {
        out(
          [
            k.name,
            `${k.prefix}…`,
            k.scope,
            k.created_at,
            k.last_used_at ?? "never",
            k.revoked_at ? "revoked" : "active",
          ].join("\t"),
        );
      }
      if (keys.length === 0) out("no keys");
    }
    return 0;
  }
  if (sub === "revoke" && name) {
    const revoked = await revokeApiKey(services.store, name);
    await services.store.appendAudit({
      actor: "cli",
      action: "key.revoke",
      target: revoked.name,
      details: { id: revoked.id, prefix: revoked.prefix, scope: revoked.scope },
    });
    out(
      `revoked ${revoked.name}; ${(await activeApiKeys(services.store)).length} active key(s) left`,
    );
    return 0;
  }
  throw new UsageError(
    "usage: keys create NAME [--scope mcp|admin] | keys list | keys revoke NAME",
  );
}

/** `admin set-password`. */
export async function adminVerb(args: string[], services: RouterServices): Promise<number> {
  const { values, positionals } = parseVerb(args, {});
  if (values.help) return help("admin");
  if (positionals[0] !== "set-password" || positionals.length !== 1) {
    throw new UsageError("usage: admin set-password");
  }
  const password = await readSecretFromStdin("new admin password:");
  await setAdminPassword(services.store, password);
  await services.store.appendAudit({ actor: "cli", action: "admin.set_password" });
  out("admin password set");
  return 0;
}

/** `secrets rotate`. */
export async function secretsVerb(args: string[], services: RouterServices): Promise<number> {
  const { values, positionals } = parseVerb(args, {});
  if (values.help) return help("secrets");
  if (positionals[0] !== "rotate" || positionals.length !== 1) {
    throw new UsageError("usage: secrets rotate");
  }
  const count = await services.store.rotateSecrets();
  await services.store.appendAudit({ actor: "cli", action: "secrets.rotate", details: { count } });
  out(`re-encrypted ${count} secret value(s) under a new key`);
  return 0;
}

/** `test NAME`. */
export async function testVerb(args: string[], services: RouterServices): Promise<number> {
  const { values, positionals } = parseVerb(args, { json: { type: "boolean" } });
  if (values.help) return help("test");
  if (positionals.length !== 1) throw new UsageError("usage: test NAME");
  const server = await services.store.getServer(positionals[0]);
  const { env, missing } = await resolveLaunchEnv(services.store, server);
  if (missing.length) throw new Error(missingEnvMessage(missing));
  const report = await services.runtime.test(server, env);
  if (values.json) out(JSON.stringify(report, null, 2));
  else if (report.ok) {
    out(`${server.name}: ok in ${report.duration_ms} ms, ${report.tools.length} tool(s)`);
    for (const t of report.tools) out(`  ${t.name}`);
  } else {
    out(`${server.name}: failed: ${report.error}`);
    for (const line of report.logs.slice(-10)) out(`  ${line}`);
  }
  return report.ok ? 0 : 1;
}

function help(verb: string): number {
  out(ADMIN_HELP[verb]);
  return 0;
}
