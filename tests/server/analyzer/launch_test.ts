/**
 * @module The analyzer and the runtime read launch lines with the same parser: for the lines on
 * which their two former parsers disagreed, the plan the analyzer derives installs and runs what
 * the line says.
 */
import assert from "node:assert/strict";
import { interpretLaunch } from "../../../server/analyzer/launch.ts";
import { LaunchSpecError, npmLaunch, uvLaunch } from "../../../runtime/launch_spec.ts";

/** The plan fields the analyzer derives from a line, as the runtime receives them. */
function planOf(line: string[]) {
  const l = interpretLaunch(line[0], line.slice(1));
  assert.ok(l, `${line.join(" ")} is a launch`);
  return { runtime: l.runtime, package: l.package, command: l.command, args: l.args };
}

Deno.test("launch - uvx flags read alike by the analyzer and the runtime", () => {
  const rows: {
    line: string[];
    pkg: string;
    install: string;
    withSpecs: string[];
    run: string[];
  }[] = [
    {
      line: ["uvx", "-w", "extra", "pkg", "--x"],
      pkg: "pkg",
      install: "pkg",
      withSpecs: ["extra"],
      run: ["/opt/server/bin/pkg", "--x"],
    },
    {
      line: ["uvx", "-c", "constraints.txt", "pkg"],
      pkg: "pkg",
      install: "pkg",
      withSpecs: [],
      run: ["/opt/server/bin/pkg"],
    },
    {
      line: ["uvx", "--default-index", "https://i.example/simple", "pkg"],
      pkg: "pkg",
      install: "pkg",
      withSpecs: [],
      run: ["/opt/server/bin/pkg"],
    },
    {
      line: ["uvx", "--python", "3.12", "--from", "a-dist==1.0", "a-cmd", "serve"],
      pkg: "a-dist==1.0",
      install: "a-dist==1.0",
      withSpecs: [],
      run: ["/opt/server/bin/a-cmd", "serve"],
    },
    {
      line: ["uvx", "--", "pkg", "--from", "x"],
      pkg: "pkg",
      install: "pkg",
      withSpecs: [],
      run: ["/opt/server/bin/pkg", "--from", "x"],
    },
    {
      line: ["uv", "tool", "run", "--with=extra", "pkg"],
      pkg: "pkg",
      install: "pkg",
      withSpecs: ["extra"],
      run: ["/opt/server/bin/pkg"],
    },
  ];
  for (const row of rows) {
    const plan = planOf(row.line);
    assert.equal(plan.runtime, "uvx", row.line.join(" "));
    assert.equal(plan.package, row.pkg, row.line.join(" "));
    const launch = uvLaunch(plan);
    assert.equal(launch.installSpec, row.install, row.line.join(" "));
    assert.deepEqual(launch.withSpecs, row.withSpecs, row.line.join(" "));
    assert.deepEqual(launch.command, row.run, row.line.join(" "));
  }
});

Deno.test("launch - npx flags and -- read alike by the analyzer and the runtime", () => {
  const registry = planOf(["npx", "--registry", "https://r.example", "pkg", "a"]);
  assert.equal(registry.package, "pkg");
  assert.deepEqual(npmLaunch(registry).installSpecs, ["pkg"]);
  assert.deepEqual(npmLaunch(registry).command, ["/opt/server/entry", "a"]);

  // Every `-p` package stays in the plan, so the runtime installs them all.
  const two = planOf(["npx", "-y", "-p", "a", "-p", "b", "b-cli", "go"]);
  assert.deepEqual(two.args, ["-y", "--package", "a", "--package", "b", "b-cli", "go"]);
  assert.deepEqual(npmLaunch(two).installSpecs, ["b", "a"]);
  assert.deepEqual(npmLaunch(two).command, ["/opt/server/node_modules/.bin/b-cli", "go"]);

  // After `--` the next word is the package, and what follows is its arguments.
  const dashed = planOf(["npx", "-y", "--", "pkg", "-p", "x"]);
  assert.equal(dashed.package, "pkg");
  assert.deepEqual(dashed.args, ["-y", "pkg", "-p", "x"]);
  assert.deepEqual(npmLaunch(dashed).command, ["/opt/server/entry", "-p", "x"]);

  // `npx -c` runs a shell string: no launch for the analyzer, an error for the runtime.
  assert.equal(interpretLaunch("npx", ["-c", "some-cmd --x"]), null);
  assert.throws(
    () => npmLaunch({ package: null, command: "npx", args: ["-c", "some-cmd"] }),
    LaunchSpecError,
  );
});

Deno.test("launch - uv run takes the --with before the command", () => {
  const l = interpretLaunch("uv", ["run", "--with", "a-mcp", "a-mcp", "--with", "b"])!;
  assert.equal(l.runtime, "uvx");
  assert.equal(l.package, "a-mcp");
  assert.equal(interpretLaunch("uv", ["run", "server.py"]), null);
});

Deno.test("launch - a command line in one string is split like a shell does", () => {
  const l = interpretLaunch('npx -y pkg --name "My Server"', [])!;
  assert.deepEqual(l.args, ["-y", "pkg", "--name", "My Server"]);
});
