/**
 * @module CLI verbs that manage servers: `add`, `list`, `remove`, `env set`.
 */
import { z } from "zod";
import { type Mount, PlanSchema } from "../schemas/server.ts";
import type { Settings } from "../settings.ts";
import { checkPlanMounts } from "../mounts/policy.ts";
import type { Store } from "../store/store.ts";
import type { AnalyzeFn, RuntimeFacade } from "../composition/contracts.ts";
import { createServerAudited, deleteServerAudited } from "../services/server_ops.ts";
import { missingEnvByServer } from "../services/server_health.ts";
import { fillArgFields, storeArgSecrets, valuesByFlag } from "../services/arg_values.ts";
import { AppError, errorMessage, issueList, issuesText } from "../errors.ts";
import { parseVerb, UsageError } from "./args.ts";
import { err, out, readSecretFromStdin } from "./output.ts";

/** What the server verbs need. */
export interface ServerVerbDeps {
  store: Store;
  analyze: AnalyzeFn;
  /** Removes a deleted server's install image. */
  runtime: Pick<RuntimeFacade, "removeServer">;
  /** Mount roots, data dir and Podman socket (mounts are judged before saving). */
  settings: Pick<Settings, "mountRoots" | "dataDir" | "podmanSocket">;
}

/** Help text per verb. */
export const SERVER_VERB_HELP: Record<string, string> = {
  add: `Usage: main.ts add <github-url | npx:PKG | uvx:PKG | image:REF | http(s)://…/mcp> [options]
       main.ts add --plan FILE [--name NAME]

Analyze the source, print the plan, and save it.
To review and edit a plan first:  main.ts add SOURCE --dry-run > plan.json
                                  (edit plan.json)
                                  main.ts add --plan plan.json
Options:
  --name NAME     use this server name
  --network MODE  what the container may reach: egress (default: the internet, not the host's
                  services), none, or host-services
  --mount SRC:DST[:rw]
                  bind-mount host folder (or file) SRC at container path DST, read-only unless
                  :rw is given; repeatable. SRC must resolve inside MCP_ROUTER_MOUNT_ROOTS.
                  Put DST in the server's arguments where it expects the path.
  --dry-run       print the plan as JSON, save nothing
  --plan FILE     save this plan (JSON, as --dry-run prints it; - reads stdin) instead of analyzing;
                  values for its arg_fields go in "arg_values": {"--flag": "value"} (a value
                  left out waits in a required env value ARG_<FLAG>: set it with env set)
  --verify        launch the plan once in a throw-away container before saving
  --json          print the saved server as JSON`,
  list: `Usage: main.ts list [--json]

List added servers with runtime, transport, health and tool count.`,
  remove: `Usage: main.ts remove <name>

Delete a server, its env values and its install image.`,
  env: `Usage: main.ts env set <name> KEY [--public]

Read the value from stdin (no echo on a terminal) and store it; values of keys marked secret
(or with --secret) are encrypted at rest. --public stores it unencrypted.`,
};

/** A plan file's JSON object (`-` reads stdin). */
async function readPlanFile(path: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = path === "-"
      ? await new Response(Deno.stdin.readable).text()
      : await Deno.readTextFile(path);
  } catch (e) {
    throw new AppError("bad_request", 400, `cannot read plan ${path}: ${errorMessage(e)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new AppError("invalid_json", 400, `plan ${path} is not valid JSON: ${errorMessage(e)}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new AppError("validation_failed", 400, `plan ${path} must be a JSON object`);
  }
  return parsed as Record<string, unknown>;
}

/** `add`: analyze a source (or read an edited plan) and save the plan. */
export async function addVerb(args: string[], deps: ServerVerbDeps): Promise<number> {
  const { values, positionals } = parseVerb(args, {
    name: { type: "string" },
    network: { type: "string" },
    mount: { type: "string", multiple: true },
    "dry-run": { type: "boolean" },
    verify: { type: "boolean" },
    json: { type: "boolean" },
    plan: { type: "string" },
  });
  if (values.help) return help("add");
  const extraMounts = (values.mount ?? []).map(parseMountFlag);
  let raw: unknown;
  if (values.plan !== undefined) {
    if (positionals.length !== 0) throw new UsageError("give either a source or --plan, not both");
    raw = await readPlanFile(values.plan);
  } else {
    if (positionals.length !== 1) throw new UsageError("add takes exactly one source");
    const existingNames = new Set((await deps.store.listServers()).map((s) => s.name));
    raw = await deps.analyze(
      { source: positionals[0], verify: values.verify ?? false },
      {
        existingNames,
        onProgress: (step, detail) => err(`… ${step}${detail ? `: ${detail}` : ""}`),
      },
    );
  }
  const rawPlan = raw as Record<string, unknown>;
  const checked = PlanSchema.safeParse({
    ...rawPlan,
    ...(values.name ? { name: values.name } : {}),
    ...(values.network ? { network: values.network } : {}),
    ...(extraMounts.length
      ? { mounts: [...(Array.isArray(rawPlan.mounts) ? rawPlan.mounts : []), ...extraMounts] }
      : {}),
  });
  if (!checked.success) {
    throw new AppError(
      "validation_failed",
      400,
      `invalid plan: ${issuesText(issueList(checked.error.issues))}`,
    );
  }
  if (values["dry-run"]) {
    await checkPlanMounts(deps.settings, checked.data);
    out(JSON.stringify(checked.data, null, 2));
    return 0;
  }
  const byFlag = z.record(z.string(), z.string()).catch({}).parse(rawPlan.arg_values ?? {});
  const filled = fillArgFields(checked.data, valuesByFlag(checked.data, byFlag), {
    pendingAsEnv: true,
  });
  const plan = filled.plan;
  await checkPlanMounts(deps.settings, plan);
  const saved = await createServerAudited(deps.store, plan, "cli");
  await storeArgSecrets(deps.store, saved, filled.secrets, "cli");
  if (values.json) out(JSON.stringify(saved, null, 2));
  else {
    out(
      `added ${saved.name}: ${
        [saved.command, ...saved.args].filter(Boolean).join(" ") || saved.url || saved.image
      }`,
    );
    for (const m of saved.mounts) {
      out(`mount ${m.source} at ${m.target} (${m.readonly ? "read-only" : "read-write"})`);
    }
    const set = new Set(filled.secrets.map((x) => x.key));
    const required = saved.env.filter((e) => e.required && !set.has(e.key)).map((e) => e.key);
    if (required.length) {
      out(
        `set required env: ${required.map((k) => `main.ts env set ${saved.name} ${k}`).join("; ")}`,
      );
    }
  }
  return 0;
}

/**
 * `--mount SRC:DST[:rw|:ro]` → a plan mount (read-only unless `:rw`).
 * @throws {UsageError} when it is not two or three `:`-separated parts
 */
export function parseMountFlag(flag: string): Mount {
  const parts = flag.split(":");
  const mode = parts.length === 3 ? parts[2] : "ro";
  if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1] || !/^(rw|ro)$/.test(mode)) {
    throw new UsageError(
      `--mount ${
        JSON.stringify(flag)
      }: expected SRC:DST or SRC:DST:rw (host path, container path;` +
        " paths with ':' need --plan)",
    );
  }
  return { source: parts[0], target: parts[1], readonly: mode !== "rw" };
}

/** `list`: print servers. */
export async function listVerb(args: string[], deps: ServerVerbDeps): Promise<number> {
  const { values } = parseVerb(args, { json: { type: "boolean" } });
  if (values.help) return help("list");
  const servers = await deps.store.listServers();
  if (values.json) {
    out(JSON.stringify(servers.map(({ capabilities: _c, ...s }) => s), null, 2));
    return 0;
  }
  if (servers.length === 0) {
    out("no servers yet: main.ts add npx:@modelcontextprotocol/server-everything");
    return 0;
  }
  out(["NAME", "RUNTIME", "TRANSPORT", "ACTIVE", "HEALTH", "TOOLS"].join("\t"));
  const needsSetup = await missingEnvByServer(deps.store, servers);
  for (const s of servers) {
    const missing = needsSetup.get(s.id);
    const health = missing
      ? `needs_setup (${missing.join(", ")})`
      : s.health
      ? (s.health.ok ? "ok" : "failing")
      : "untested";
    out(
      [
        s.name,
        s.runtime,
        s.transport,
        s.active ? "yes" : "no",
        health,
        String(s.capabilities?.tools.length ?? "-"),
      ].join("\t"),
    );
  }
  return 0;
}

/** `remove <name>`. */
export async function removeVerb(args: string[], deps: ServerVerbDeps): Promise<number> {
  const { values, positionals } = parseVerb(args, {});
  if (values.help) return help("remove");
  if (positionals.length !== 1) throw new UsageError("remove takes exactly one server name");
  const removed = await deleteServerAudited(deps, positionals[0], "cli");
  out(`removed ${removed.name}`);
  return 0;
}

/** `env set <name> KEY` (value from stdin). */
export async function envVerb(args: string[], deps: ServerVerbDeps): Promise<number> {
  const { values, positionals } = parseVerb(args, {
    public: { type: "boolean" },
    secret: { type: "boolean" },
  });
  if (values.help) return help("env");
  if (positionals[0] !== "set" || positionals.length !== 3) {
    throw new UsageError("usage: env set <name> KEY");
  }
  const [, name, key] = positionals;
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(key)) throw new UsageError(`invalid env key ${key}`);
  const server = await deps.store.getServer(name);
  const spec = server.env.find((e) => e.key === key);
  const secret = values.public
    ? false
    : values.secret ?? spec?.secret ?? /KEY|TOKEN|SECRET|PASSWORD/i.test(key);
  const value = await readSecretFromStdin(`value for ${name} ${key}:`);
  await deps.store.setEnv(server.id, key, value, secret);
  await deps.store.appendAudit({
    actor: "cli",
    action: "server.env.set",
    target: server.name,
    details: { key, secret },
  });
  out(`set ${key} for ${server.name}${secret ? " (secret, encrypted)" : ""}`);
  return 0;
}

function help(verb: string): number {
  out(SERVER_VERB_HELP[verb]);
  return 0;
}
