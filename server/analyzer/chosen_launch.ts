/**
 * @module The launch of the registry package the user chose (`npx:PKG`, `uvx:PKG`) among a
 * README's candidates: its best stdio launch through that runtime, or its own command run bare.
 */
import type { Candidate } from "./candidates.ts";
import { npmBaseName, pypiBaseName } from "./launch.ts";

/**
 * Put the README's best stdio launch of the package the user chose first (sorted candidates); or,
 * when none launches it through its runtime, the package's own command run bare
 * (`"command": "mcp-proxy"`, installed by `uv tool install`) as the same launch through it.
 * @param bins the package's declared executables
 */
export function putChosenFirst(
  candidates: Candidate[],
  chosen: { runtime: "npx" | "uvx"; package: string },
  bins: ReadonlySet<string>,
): void {
  const base = chosen.runtime === "npx" ? npmBaseName : pypiBaseName;
  const at = candidates.findIndex((c) =>
    c.runtime === chosen.runtime && c.transport === "stdio" && !!c.package &&
    base(c.package) === base(chosen.package)
  );
  if (at > 0) candidates.unshift(...candidates.splice(at, 1));
  if (at >= 0) return;
  const name = base(chosen.package).replace(/^@[^/]+\//, "").toLowerCase();
  const own = candidates.findIndex((c) =>
    (c.kind === "config_block" || c.kind === "shell") && c.transport === "stdio" && !c.image &&
    !c.url && !!c.command && (c.command.toLowerCase() === name || bins.has(c.command))
  );
  if (own < 0) return;
  const c = candidates.splice(own, 1)[0];
  const cmd = c.command!;
  const byName = cmd.toLowerCase() === name;
  const lead = chosen.runtime === "npx"
    ? byName ? ["-y", chosen.package] : ["-y", "--package", chosen.package, cmd]
    : byName
    ? [chosen.package]
    : ["--from", chosen.package, cmd];
  candidates.unshift({
    ...c,
    runtime: chosen.runtime,
    command: chosen.runtime,
    args: [...lead, ...c.args],
    package: chosen.package,
  });
}
