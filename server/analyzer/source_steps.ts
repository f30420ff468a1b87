/**
 * @module Install steps of a `source` plan: the clone of the repository, then the README's own
 * install/build lines (outside development sections) up to the chosen launch — `pip install`,
 * `uv sync`, `npm install`/`run build`, `go build`, `cargo build`, `deno task build`, `make`,
 * `./build.sh` — with `cd DIR` folded into the step after it.
 */
import type { ReadmeBlock } from "./readme_blocks.ts";
import { DEV_SECTION_RE } from "./sections.ts";
import { shellCommands } from "./shell_lines.ts";

const STEP_RE =
  /^(pip3? install|python3? -m pip install|uv (sync|pip install|venv|build)|npm (install|ci|i|run build)|pnpm (install|i|build|run build)|yarn( install| build)?$|bun (install|run build)|go (build|install|mod download)|cargo (build|install)|deno (task|run) build|make\b|\.\/[\w.-]*(build|install|setup)[\w.-]*\.sh)/;

/**
 * Install steps for a source plan.
 * @param blocks README blocks
 * @param upTo line of the chosen launch (steps after it are ignored), if known
 * @param repo `owner/name` for the clone step, if known
 * @param repoName the repository's name (a `cd NAME` after the clone is dropped)
 */
export function sourceSteps(
  blocks: ReadmeBlock[],
  upTo: number | undefined,
  repo: string | null,
  repoName: string,
): string[] {
  const steps: string[] = [];
  if (repo) steps.push(`git clone --depth 1 https://github.com/${repo}.git .`);
  let cd: string | null = null;
  for (const sh of shellCommands(blocks.filter((b) => b.kind === "fence"))) {
    if (upTo !== undefined && sh.line > upTo) break;
    if (DEV_SECTION_RE.test(sh.block.section)) continue;
    const line = sh.raw.replace(/^\$\s+/, "").trim();
    const cdTo = line.match(/^cd\s+(\S+)$/)?.[1];
    if (cdTo) {
      // The clone lands in `.`: `cd REPO/sub` is `cd sub` there.
      const dir = cdTo.replace(/^\.\//, "").replace(/\/$/, "").replace(`${repoName}/`, "");
      cd = dir === repoName || /[<>$~]|^\//.test(dir) ? null : dir;
      continue;
    }
    if (!STEP_RE.test(line) || /[<>]/.test(line)) continue;
    const step = cd ? `cd ${cd} && ${line}` : line;
    if (!steps.includes(step)) steps.push(step);
    if (steps.length >= 12) break;
  }
  return steps;
}
