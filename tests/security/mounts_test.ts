/**
 * Host-folder mounts against hostile input, through a real router (`main.ts serve`): every way
 * of saving a plan (REST create and edit, the admin UI form, the CLI's `add --mount`) refuses
 * sources with `..`, relative sources, symlinks out of the roots, `/proc`, the Podman socket (and
 * its folder), the router's data dir (inside a root, and a source containing it), a folder that
 * only shares a string prefix with a root, targets over `/etc`, and duplicate targets — each
 * with a 4xx naming the rule (and `MCP_ROUTER_MOUNT_ROOTS` where the roots decide), never a 5xx.
 * With no roots set, every mount is refused naming the setting. Accepted mounts are audited.
 * Each launch judges the mounts again (a folder swapped for a symlink out of the roots after it
 * was saved is refused before any container work).
 */
import assert from "node:assert/strict";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { type RouterProcess, startRouter } from "../router_process.ts";
import { csrfOf, serverRecord, tmpRouter, withTmpDir } from "../helpers.ts";
import { testSettings } from "../../server/settings.ts";
import { checkPlanMounts } from "../../server/mounts/policy.ts";
import { openDownstream } from "../../server/mcp/downstream/connect.ts";
import type { ContainerBackend } from "../../runtime/backend.ts";

const REPO = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const JSON_HEADERS = { "content-type": "application/json" };
const FORM = { "content-type": "application/x-www-form-urlencoded" };

/** The folders of one test: `home/alice` is a root holding the data dir; `home/bo` a root. */
async function layout(tmp: string) {
  const p = (rel: string) => `${tmp}/${rel}`;
  for (
    const d of ["home/alice/project", "home/alice/podman", "home/bo", "home/bob/x", "outside"]
  ) {
    await Deno.mkdir(p(d), { recursive: true });
  }
  await Deno.writeTextFile(p("home/alice/project/notes.txt"), "hello");
  await Deno.chmod(tmp, 0o755);
  await Deno.symlink(p("outside"), p("home/alice/link-out"));
  await Deno.symlink("/proc", p("home/alice/link-proc"));
  const dataDir = p("home/alice/.mcp-router");
  await Deno.mkdir(dataDir);
  await Deno.symlink(dataDir, p("home/alice/link-data"));
  return {
    p,
    dataDir,
    socket: p("home/alice/podman/podman.sock"),
    roots: `${p("home/alice")}:${p("home/bo")}`,
  };
}

/** Hostile mounts: label, mount, what the message must say. */
function hostileMounts(p: (rel: string) => string, socket: string, dataDir: string) {
  return [
    ["..", { source: `${p("home/alice")}/../../outside`, target: "/data" }, /'\.\.'/],
    ["relative", { source: "home/alice/project", target: "/data" }, /absolute/],
    ["symlink out", {
      source: p("home/alice/link-out"),
      target: "/data",
    }, /outside MCP_ROUTER_MOUNT_ROOTS/],
    ["symlink to /proc", { source: p("home/alice/link-proc"), target: "/data" }, /\/proc/],
    ["/proc", { source: "/proc", target: "/data" }, /system folder/],
    ["/proc/1/root", { source: "/proc/1/root", target: "/data" }, /system folder/],
    ["the Podman socket", { source: socket, target: "/data" }, /Podman socket/],
    ["the Podman socket's folder", { source: dirname(socket), target: "/data" }, /Podman socket/],
    ["the data dir", { source: dataDir, target: "/data" }, /data dir/],
    ["inside the data dir", { source: `${dataDir}/router.kv`, target: "/data" }, /data dir/],
    ["symlink to the data dir", { source: p("home/alice/link-data"), target: "/data" }, /data dir/],
    ["a root holding the data dir", {
      source: p("home/alice"),
      target: "/data",
    }, /contains the router's data dir/],
    ["string prefix of a root", {
      source: p("home/bob/x"),
      target: "/data",
    }, /outside MCP_ROUTER_MOUNT_ROOTS/],
    ["outside the roots", { source: p("outside"), target: "/data" }, /MCP_ROUTER_MOUNT_ROOTS/],
    ["target over /etc", { source: p("home/alice/project"), target: "/etc" }, /\/etc/],
    ["target in /etc", { source: p("home/alice/project"), target: "/etc/ssl" }, /\/etc/],
    ["target /", { source: p("home/alice/project"), target: "/" }, /root/],
    ["relative target", { source: p("home/alice/project"), target: "data" }, /absolute/],
  ] as const;
}

function plan(name: string, mounts: unknown[]) {
  return {
    name,
    runtime: "npx",
    package: "@modelcontextprotocol/server-filesystem",
    command: "npx",
    args: ["-y", "@modelcontextprotocol/server-filesystem", "/data"],
    mounts,
  };
}

/** An error body's message and the fields it names (schema issues come as `details`). */
async function errorOf(res: Response): Promise<string> {
  const body = await res.json() as { error?: { message?: string; details?: unknown } };
  return `${body.error?.message} ${JSON.stringify(body.error?.details ?? null)}`;
}

/** `main.ts add …` with the router's settings. */
async function cli(env: Record<string, string>, ...args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--config", `${REPO}/deno.json`, `${REPO}/main.ts`, ...args],
    env: { MCP_ROUTER_LOG_LEVEL: "warn", NO_COLOR: "1", PATH: dirname(Deno.execPath()), ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

Deno.test("Security - hostile mount sources and targets are refused on every way in", async () => {
  await using tmp = await withTmpDir();
  const { p, dataDir, socket, roots } = await layout(tmp.path);
  const env = { MCP_ROUTER_MOUNT_ROOTS: roots, MCP_ROUTER_PODMAN_SOCKET: socket };
  const router: RouterProcess = await startRouter(dataDir, undefined, { env });
  try {
    const post = (body: unknown) =>
      router.request("/api/servers", {
        method: "POST",
        headers: JSON_HEADERS,
        body: JSON.stringify(body),
      });
    const hostile = hostileMounts(p, socket, dataDir);
    // REST create.
    for (const [label, mount, message] of hostile) {
      const res = await post(plan("bad", [mount]));
      const text = await errorOf(res);
      assert.equal(res.status, 400, `${label}: ${res.status} ${text}`);
      assert.match(text, message, label);
    }
    const dup = await post(plan("dup", [
      { source: p("home/alice/project"), target: "/data" },
      { source: p("home/alice/project/notes.txt"), target: "/data/" },
    ]));
    assert.equal(dup.status, 400);
    assert.match(await errorOf(dup), /used twice/);

    // A good mount saves, read-only by default, and the audit entry lists it.
    const good = await post(plan("files", [{ source: p("home/alice/project"), target: "/data" }]));
    assert.equal(good.status, 201, await good.clone().text());
    const created = await good.json() as { id: string; mounts: unknown[] };
    assert.deepEqual(created.mounts, [
      { source: p("home/alice/project"), target: "/data", readonly: true },
    ]);

    // REST edit: the same refusals; the stored mounts stay.
    for (const [label, mount, message] of hostile) {
      const res = await router.request(`/api/servers/${created.id}`, {
        method: "PUT",
        headers: JSON_HEADERS,
        body: JSON.stringify({ mounts: [mount] }),
      });
      const text = await errorOf(res);
      assert.equal(res.status, 400, `PUT ${label}: ${res.status} ${text}`);
      assert.match(text, message, `PUT ${label}`);
    }
    const edited = await router.request(`/api/servers/${created.id}`, {
      method: "PUT",
      headers: JSON_HEADERS,
      body: JSON.stringify({
        mounts: [{ source: p("home/alice/project"), target: "/work", readonly: false }],
      }),
    });
    assert.equal(edited.status, 200, await edited.clone().text());
    const audit = await (await router.request("/api/audit?limit=20")).text();
    const entries = audit.trim().split("\n").map((l) => JSON.parse(l)) as {
      action: string;
      details: { after?: { mounts?: unknown[] } };
    }[];
    const create = entries.find((e) => e.action === "server.create");
    assert.deepEqual(create?.details.after?.mounts, created.mounts, "create audit lists mounts");
    const update = entries.find((e) => e.action === "server.update");
    assert.deepEqual(update?.details.after?.mounts, [
      { source: p("home/alice/project"), target: "/work", readonly: false },
    ], "update audit lists mounts");

    // The admin UI's edit form: rows render, hostile rows come back with the message on the row.
    const page = await router.request(`/servers/${created.id}`);
    const { cookie, token } = await csrfOf(page.clone());
    const html = await page.text();
    assert.match(html, /name="mount\.0\.source"[^>]*value="[^"]*home\/alice\/project"/);
    const versionOf = (h: string) => /name="version" value="([^"]+)"/.exec(h)?.[1] ?? "";
    const formFor = (source: string, target: string, version: string) =>
      new URLSearchParams({
        _csrf: token,
        version,
        name: "files",
        runtime: "npx",
        package: "@modelcontextprotocol/server-filesystem",
        command: "npx",
        args: "-y\n@modelcontextprotocol/server-filesystem\n/data",
        transport: "stdio",
        lifecycle: "session",
        namespace: "prefix",
        network: "egress",
        "mount.0.source": source,
        "mount.0.target": target,
        "mount.0.readonly": "on",
        _action: "save",
      });
    for (const [label, mount, message] of hostile) {
      const res = await router.request(`/servers/${created.id}/edit`, {
        method: "POST",
        redirect: "manual",
        headers: { ...FORM, cookie },
        body: formFor(mount.source, mount.target, versionOf(html)),
      });
      const body = await res.text();
      assert.equal(res.status, 400, `UI ${label}: ${res.status}`);
      assert.match(body, /class="error" id="mount-0-(source|target)-error"/, `UI ${label}`);
      const shown = body.replaceAll("&#x27;", "'").replaceAll("&#39;", "'");
      assert.match(shown, message, `UI ${label}`);
    }
    // "Add folder" re-renders the form with one more row and saves nothing.
    const addRow = formFor(p("home/alice/project"), "/data", versionOf(html));
    addRow.set("_action", "add_mount");
    const added = await router.request(`/servers/${created.id}/edit`, {
      method: "POST",
      redirect: "manual",
      headers: { ...FORM, cookie },
      body: addRow,
    });
    assert.equal(added.status, 200);
    assert.match(await added.text(), /name="mount\.1\.source" value=""/);
    const saved = await router.request(`/servers/${created.id}/edit`, {
      method: "POST",
      redirect: "manual",
      headers: { ...FORM, cookie },
      body: formFor(p("home/alice/project/notes.txt"), "/notes.txt", versionOf(html)),
    });
    assert.equal(saved.status, 303, await saved.text());
    const after = await (await router.request(`/api/servers/${created.id}`)).json();
    assert.deepEqual(after.mounts, [
      { source: p("home/alice/project/notes.txt"), target: "/notes.txt", readonly: true },
    ]);

    // The admin UI's create form (plan review): refused with the message, then saved.
    const review = await router.request("/servers/new");
    const fresh = await csrfOf(review);
    const createForm = (source: string) => {
      const form = formFor(source, "/data", "");
      form.delete("version");
      form.set("name", "ui-files");
      form.set("_csrf", fresh.token);
      return form;
    };
    const uiRefused = await router.request("/servers", {
      method: "POST",
      redirect: "manual",
      headers: { ...FORM, cookie: fresh.cookie },
      body: createForm(dataDir),
    });
    assert.equal(uiRefused.status, 400);
    assert.match(await uiRefused.text(), /id="mount-0-source-error"[^<]*data dir/);
    const uiSaved = await router.request("/servers", {
      method: "POST",
      redirect: "manual",
      headers: { ...FORM, cookie: fresh.cookie },
      body: createForm(p("home/alice/project")),
    });
    assert.equal(uiSaved.status, 303, await uiSaved.text());
    const uiServer = await (await router.request("/api/servers/ui-files")).json();
    assert.deepEqual(uiServer.mounts, [
      { source: p("home/alice/project"), target: "/data", readonly: true },
    ]);
    await router.request("/api/servers/ui-files", { method: "DELETE" }).then((r) =>
      r.body?.cancel()
    );

    // Nothing above was a 5xx, and nothing slipped in.
    const list = await (await router.request("/api/servers")).json() as {
      servers: { name: string }[];
    };
    assert.deepEqual(list.servers.map((s) => s.name), ["files"]);
  } finally {
    await router.stop();
  }
  assert.doesNotMatch(router.output(), /"status":5\d\d|internal/);

  // The CLI: `add --plan … --mount` refuses the same, and saves a good one.
  const planFile = p("plan.json");
  await Deno.writeTextFile(planFile, JSON.stringify(plan("cli-files", [])));
  const cliEnv = { ...env, MCP_ROUTER_DATA: dataDir };
  for (const [label, mount] of hostileMounts(p, socket, dataDir).slice(0, 6)) {
    const r = await cli(
      cliEnv,
      "add",
      "--plan",
      planFile,
      "--mount",
      `${mount.source}:${mount.target}`,
    );
    assert.notEqual(r.code, 0, `CLI ${label}`);
    assert.doesNotMatch(r.stderr, /internal|stack|at .*\.ts:\d+/, `CLI ${label}: ${r.stderr}`);
  }
  const refused = await cli(cliEnv, "add", "--plan", planFile, "--mount", `${p("outside")}:/data`);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /mounts\.0\.source: .*outside MCP_ROUTER_MOUNT_ROOTS/);
  const badFlag = await cli(cliEnv, "add", "--plan", planFile, "--mount", "/only-one-part");
  assert.equal(badFlag.code, 2, badFlag.stderr);
  const ok = await cli(
    cliEnv,
    "add",
    "--plan",
    planFile,
    "--mount",
    `${p("home/alice/project")}:/data`,
    "--mount",
    `${p("home/alice/project/notes.txt")}:/out/notes.txt:rw`,
  );
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /mount .*project at \/data \(read-only\)/);
  assert.match(ok.stdout, /notes\.txt at \/out\/notes\.txt \(read-write\)/);
});

Deno.test("Security - with MCP_ROUTER_MOUNT_ROOTS unset, every mount is refused naming it", async () => {
  await using router = await tmpRouter();
  const folder = `${router.dataDir}/folder`;
  await Deno.mkdir(folder);
  const res = await router.app.request("/api/servers", {
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify(plan("files", [{ source: folder, target: "/data" }])),
  });
  assert.equal(res.status, 400);
  const body = await res.json() as { error: { message: string; details: { path: string }[] } };
  assert.match(body.error.message, /mounts are off: set MCP_ROUTER_MOUNT_ROOTS/);
  assert.equal(body.error.details[0].path, "mounts.0.source");
  // Plans without mounts are unaffected.
  const plain = await router.app.request("/api/servers", {
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify(plan("plain", [])),
  });
  assert.equal(plain.status, 201);
  await plain.body?.cancel();
});

Deno.test("Security - each launch judges mounts again: a folder swapped for a symlink out is refused", async () => {
  await using tmp = await withTmpDir();
  const p = (rel: string) => `${tmp.path}/${rel}`;
  await Deno.mkdir(p("roots/project"), { recursive: true });
  await Deno.mkdir(p("outside"));
  for (const d of ["", "/roots", "/roots/project", "/outside"]) {
    await Deno.chmod(tmp.path + d, 0o755);
  }
  const settings = testSettings({
    mountRoots: [p("roots")],
    dataDir: p("data"),
    podmanSocket: p("podman/podman.sock"),
  });
  const server = serverRecord({ mounts: [{ source: p("roots/project"), target: "/data" }] });
  // Accepted when saved…
  assert.equal((await checkPlanMounts(settings, server)).length, 1);
  // …then the folder becomes a symlink to a folder outside the roots before the launch.
  await Deno.remove(p("roots/project"));
  await Deno.symlink(p("outside"), p("roots/project"));
  let imageResolved = false;
  const error = await openDownstream(server, {}, {
    backend: {} as ContainerBackend,
    settings,
    sessionId: "s",
    resolveImage: () => {
      imageResolved = true;
      return Promise.reject(new Error("not reached"));
    },
    clientInfo: { name: "t", version: "1" },
  }).then(() => null, (e) => e);
  assert.ok(error instanceof Error);
  assert.match(error.message, /cannot launch demo: .*resolves to .*outside MCP_ROUTER_MOUNT_ROOTS/);
  assert.equal(imageResolved, false, "refused before any image or container work");
});
