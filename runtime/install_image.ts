/**
 * @module Per-server "install once" images: the Containerfile that installs a server's package
 * (npx → `npm install`, uvx → `uv tool install`, source → the plan's install steps), tagged by a
 * hash of the server's install identity, so a cold start downloads nothing and editing the plan
 * yields a new tag.
 *
 * Two stages: the install runs FROM the kind's toolchain image (compilers, headers, `git`: see
 * `runtime/images/toolchain.Containerfile`), then `/opt` — where every install lands — is copied
 * into a stage FROM the plain runtime image. Shared libraries the installed native code links
 * against (`ldd`) that the runtime image lacks are installed there by Debian package name (keytar
 * → libsecret-1-0), so the result runs without a compiler in it.
 */
import { ensureRepoImage, type RepoBuild, repoImageTag } from "./repo_image.ts";
import { RESOLVE_BIN_CJS } from "./npm_resolve_bin.ts";
import { sha256Hex } from "./foundation/bytes.ts";
import { installIdentity, type LaunchTarget } from "./launch_target.ts";
import type { InstallDeps, RuntimeImageSettings } from "./image_deps.ts";
import {
  BUILD_CA_FILE,
  contentTag,
  ensureImageFromContainerfile,
  ensureRuntimeImage,
  ensureToolchainImage,
  runtimeImageTag,
  type RuntimeKind,
  toolchainImageTag,
} from "./images.ts";
import { excludeNewerOf } from "./install_resolution.ts";
import { pythonOfImage } from "./debian_suite.ts";
import { checkPythonSupport } from "./python_support.ts";
import {
  LaunchSpecError,
  NPM_ENTRY,
  NPM_PREFIX,
  npmLaunch,
  SOURCE_DIR,
  UV_BIN_DIR,
  UV_TOOL_DIR,
  uvLaunch,
} from "./launch_spec.ts";

/** Bump when the generated Containerfiles change shape (forces rebuilds). */
export const RECIPE_VERSION = "2";
/** Repository prefix of per-server images. */
export const SERVER_IMAGE_REPO = "localhost/mcp-router-srv";

/** A Containerfile plus its build context. */
export interface ImageRecipe {
  /** Image name without tag (`localhost/mcp-router-srv-<name>`). */
  name: string;
  containerfile: string;
  /** Extra files placed in the build context (path → content). */
  contextFiles: Record<string, string>;
}

/** The images a server's install image is built from. */
export interface RecipeImages {
  /** The runtime image the server runs on (the last stage's FROM). */
  fromImage: string;
  /** The toolchain image the install runs in (the first stage's FROM). */
  toolchainImage: string;
}

/** The fields an install image depends on. */
export type InstallTarget =
  & Pick<LaunchTarget, "name" | "runtime" | "package" | "image" | "install" | "command" | "args">
  & { build?: RepoBuild | null; install_resolution?: string | null };

/** POSIX single-quote a word for a `RUN` line. */
export function shellQuote(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'"'"'`)}'`;
}

/** Which runtime image a server's install image builds FROM (`base` = the plain base image). */
export function runtimeKindFor(server: InstallTarget): RuntimeKind | "base" {
  if (server.runtime === "npx") return "node";
  if (server.runtime === "uvx") return "uv";
  if (server.runtime !== "source") {
    throw new LaunchSpecError(`${server.runtime} servers have no install image`);
  }
  const text = [server.command ?? "", ...server.install].join("\n");
  if (/\b(npm|npx|node|pnpm|yarn|tsx|corepack)\b/.test(text)) return "node";
  if (/\b(uv|uvx|pip3?|python3?|poetry|pipx)\b/.test(text)) return "uv";
  return "base";
}

/** Short hash of the install identity (recorded as a label on the image). */
export function installHash(server: InstallTarget): string {
  return sha256Hex(`${RECIPE_VERSION}\n${installIdentity(server)}`).slice(0, 16);
}

/** The image name (no tag) for a server. */
export function serverImageName(server: Pick<InstallTarget, "name">): string {
  return `${SERVER_IMAGE_REPO}-${server.name}`;
}

/** The tags of the images a server's install image builds from, without building them. */
export async function recipeImagesFor(
  server: InstallTarget,
  settings: RuntimeImageSettings,
): Promise<RecipeImages> {
  const kind = runtimeKindFor(server);
  return {
    fromImage: kind === "base" ? settings.baseImage : await runtimeImageTag(kind, settings),
    toolchainImage: await toolchainImageTag(kind, settings),
  };
}

function recipeTag(recipe: ImageRecipe, settings: RuntimeImageSettings): string {
  return contentTag({
    name: recipe.name,
    containerfile: recipe.containerfile,
    contextFiles: recipe.contextFiles,
    buildArgs: { BASE_IMAGE: settings.baseImage },
  });
}

/**
 * The tag a server's install image has (or would have): `<name>:<content hash>` — it changes
 * whenever the install identity, the runtime image or the toolchain image does.
 */
export async function serverImageTag(
  server: InstallTarget,
  settings: RuntimeImageSettings,
): Promise<string> {
  return recipeTag(
    serverImageRecipe(server, await recipeImagesFor(server, settings)),
    settings,
  );
}

/**
 * The image a server runs from once everything is built, named without asking the engine: what
 * {@linkcode ensureServerImage} returns when nothing is missing.
 * @throws {LaunchSpecError} for an `image` server without an image
 */
export async function serverImageRef(
  server: InstallTarget,
  settings: RuntimeImageSettings,
): Promise<string> {
  if (server.runtime === "image" && !server.image && server.build) {
    return repoImageTag(server.name, server.build);
  }
  if (server.runtime === "image") {
    if (!server.image) throw new LaunchSpecError("image servers need an image");
    return server.image;
  }
  return await serverImageTag(server, settings);
}

/** Shell prefix pointing TLS stacks at the build CA bundle when it is non-empty. */
const BUILD_TLS =
  `if [ -s /tmp/${BUILD_CA_FILE} ]; then export NODE_EXTRA_CA_CERTS=/tmp/${BUILD_CA_FILE} ` +
  `SSL_CERT_FILE=/tmp/${BUILD_CA_FILE} REQUESTS_CA_BUNDLE=/tmp/${BUILD_CA_FILE} ` +
  `PIP_CERT=/tmp/${BUILD_CA_FILE} UV_NATIVE_TLS=1; fi`;
const CA_BIND = `--mount=type=bind,source=${BUILD_CA_FILE},target=/tmp/${BUILD_CA_FILE}`;

/** Where the install stage writes that package list. */
export const RUNTIME_PACKAGES = "/opt/mcp-router/runtime-packages";

/**
 * A shell step that makes `dir/wanted` exist when the package names its executable otherwise
 * (`uvx office-word-mcp-server` runs `word_mcp_server`; `mcp-snowflake-server` installs
 * `mcp_snowflake_server`): the executable whose name matches up to case, `_`/`-`/`.`, else the
 * package's only executable, else its only one with `mcp` in the name. Otherwise nothing is
 * linked and the launch reports the executables there are.
 * @param dir the folder of the tool's executables (one tool per image)
 * @param wanted the executable the launch runs
 */
export function linkExecutable(dir: string, wanted: string): string {
  const w = shellQuote(wanted);
  return [
    `if [ ! -e ${dir}/${w} ]; then`,
    `norm() { printf %s "$1" | tr 'A-Z_.' 'a-z--'; };`,
    `want="$(norm ${w})"; pick=""; all=""; mcp="";`,
    `for f in ${dir}/*; do [ -x "$f" ] || continue; b="$(basename "$f")";`,
    `all="$all $b"; [ "$(norm "$b")" = "$want" ] && pick="$b";`,
    `case "$(norm "$b")" in *mcp*) mcp="$mcp $b";; esac; done;`,
    `set -- $all; [ -z "$pick" ] && [ $# -eq 1 ] && pick="$1";`,
    `set -- $mcp; [ -z "$pick" ] && [ $# -eq 1 ] && pick="$1";`,
    `if [ -n "$pick" ]; then ln -s "$pick" ${dir}/${w};`,
    `echo "mcp-router: ${wanted} is provided as $pick"; else`,
    `echo "mcp-router: no executable ${wanted}; the package provides:$all"; fi; fi`,
  ].join(" ");
}

/**
 * Lists, in the install stage, the Debian packages providing the shared libraries that native
 * code under /opt links against; the runtime stage installs those it lacks.
 */
const LIST_RUNTIME_LIBS =
  `find /opt -type f \\( -name '*.node' -o -name '*.so' -o -name '*.so.*' \\) ` +
  `-print0 | xargs -0 -r ldd 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\\// { print $3 }' | sort -u | ` +
  `while read -r lib; do dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "$lib" 2>/dev/null ` +
  `|| true; done | sed 's/: .*//' | tr ',' '\\n' | sed 's/:.*//; s/ //g' | grep . | sort -u ` +
  `> ${RUNTIME_PACKAGES} || true`;

/** Runtime stage: install the listed packages the runtime image lacks (no-op, offline, usually). */
const INSTALL_RUNTIME_LIBS = [
  `need=""; for p in $(cat ${RUNTIME_PACKAGES} 2>/dev/null); do ` +
  `dpkg-query -W -f='\${Status}\\n' "$p" 2>/dev/null | grep -q 'ok installed' || need="$need $p"; done`,
  `if [ -n "$need" ]; then echo "runtime libraries:$need"; ` +
  `if [ -s /tmp/${BUILD_CA_FILE} ]; then ` +
  `echo 'Acquire::https::CAInfo "/tmp/${BUILD_CA_FILE}";' > /etc/apt/apt.conf.d/99build-ca; fi; ` +
  `apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ` +
  `--no-install-recommends $need && apt-get clean && ` +
  `rm -rf /var/lib/apt/lists/* /var/cache/apt/* /etc/apt/apt.conf.d/99build-ca; fi`,
];

/**
 * The Containerfile recipe for a server's install image. Pure.
 * @param server the record (runtime npx, uvx or source)
 * @param images the toolchain and runtime images to build from (see {@linkcode recipeImagesFor})
 */
export function serverImageRecipe(server: InstallTarget, images: RecipeImages): ImageRecipe {
  const name = serverImageName(server);
  const contextFiles: Record<string, string> = {};
  const lines = [
    `# mcp-router install image for ${server.name} (recipe ${RECIPE_VERSION}): installed in the ` +
    `toolchain, run on the runtime image`,
    `FROM ${images.toolchainImage} AS install`,
    "USER root",
  ];
  const run = (steps: string[]) =>
    lines.push(`RUN ${CA_BIND} \\\n    set -e; ${BUILD_TLS}; \\\n    ${steps.join("; \\\n    ")}`);
  let path: string;
  if (server.runtime === "npx") {
    const plan = npmLaunch(server);
    contextFiles["resolve-bin.cjs"] = RESOLVE_BIN_CJS;
    lines.push("COPY resolve-bin.cjs /opt/mcp-router/resolve-bin.cjs");
    const steps = [
      `mkdir -p ${NPM_PREFIX}`,
      `cd ${NPM_PREFIX}`,
      `npm_config_cache=/tmp/npm-cache npm install --prefix ${NPM_PREFIX} --omit=dev ` +
      `--no-audit --no-fund --no-update-notifier --loglevel=warn ${
        plan.installSpecs.map(shellQuote).join(" ")
      }`,
    ];
    if (plan.command[0] === NPM_ENTRY) {
      steps.push(`node /opt/mcp-router/resolve-bin.cjs ${shellQuote(plan.entryPackage ?? "")}`);
    }
    steps.push("rm -rf /tmp/npm-cache", `chmod -R a+rX ${NPM_PREFIX}`, LIST_RUNTIME_LIBS);
    run(steps);
    path = `${NPM_PREFIX}/node_modules/.bin:$PATH`;
  } else if (server.runtime === "uvx") {
    const plan = uvLaunch(server);
    const withArgs = plan.withSpecs.flatMap((s) => ["--with", shellQuote(s)]).join(" ");
    const cutoff = excludeNewerOf(server.install_resolution);
    const wanted = plan.command[0].startsWith(`${UV_BIN_DIR}/`)
      ? plan.command[0].slice(UV_BIN_DIR.length + 1)
      : null;
    run([
      `mkdir -p ${UV_BIN_DIR} ${UV_TOOL_DIR} /opt/mcp-router`,
      `UV_TOOL_DIR=${UV_TOOL_DIR} UV_TOOL_BIN_DIR=${UV_BIN_DIR} UV_CACHE_DIR=/tmp/uv-cache ` +
      `UV_PYTHON_DOWNLOADS=never UV_LINK_MODE=copy ${
        cutoff ? `UV_EXCLUDE_NEWER=${cutoff} ` : ""
      }uv tool install ${shellQuote(plan.installSpec)}${withArgs ? " " + withArgs : ""}`,
      "rm -rf /tmp/uv-cache",
      ...(wanted ? [linkExecutable(UV_BIN_DIR, wanted)] : []),
      `chmod -R a+rX ${UV_TOOL_DIR} ${UV_BIN_DIR}`,
      LIST_RUNTIME_LIBS,
    ]);
    path = `${UV_BIN_DIR}:${UV_TOOL_DIR}/${plan.tool}/bin:$PATH`;
  } else {
    lines.push(`RUN mkdir -p ${SOURCE_DIR} /opt/mcp-router`, `WORKDIR ${SOURCE_DIR}`);
    for (const step of server.install) {
      // Exec form keeps multi-line steps intact.
      const script = `set -e; ${BUILD_TLS}; cd ${SOURCE_DIR}\n${step}`;
      lines.push(`RUN ${CA_BIND} ${JSON.stringify(["/bin/sh", "-c", script])}`);
    }
    lines.push(`RUN chmod -R a+rX ${SOURCE_DIR}; ${LIST_RUNTIME_LIBS}`);
    path = `${SOURCE_DIR}/node_modules/.bin:${SOURCE_DIR}/.venv/bin:$PATH`;
  }
  // The runtime stage: the runtime image plus what the install put under /opt.
  lines.push(
    `FROM ${images.fromImage}`,
    "USER root",
    "COPY --from=install /opt /opt",
    `RUN ${CA_BIND} \\\n    set -e; \\\n    ${INSTALL_RUNTIME_LIBS.join("; \\\n    ")}`,
    `ENV PATH=${path}`,
  );
  if (server.runtime === "source") lines.push(`WORKDIR ${SOURCE_DIR}`);
  lines.push(
    `LABEL mcp-router=1 mcp-router.install=${installHash(server)} mcp-router.server=${server.name}`,
  );
  lines.push("USER 1000:1000");
  return { name, containerfile: lines.join("\n") + "\n", contextFiles };
}

/**
 * Make sure the image a server runs from exists, building the runtime image and the install
 * image when missing (both reused when unchanged). `image` servers return their image unchanged
 * (it must already be present locally: images cannot be pulled).
 * @returns the image reference to run
 */
export async function ensureServerImage(
  server: InstallTarget,
  options: { deps: InstallDeps; onLog?: (line: string) => void },
): Promise<string> {
  const { deps } = options;
  if (server.runtime === "image" && !server.image && server.build) {
    return await ensureRepoImage(server.name, server.build, {
      settings: deps.settings,
      client: deps.client,
      fetch: deps.fetch ?? fetch,
    }, { onLog: options.onLog });
  }
  if (server.runtime === "image") {
    if (!server.image) throw new LaunchSpecError("image servers need an image");
    if (!(await deps.client.imageExists(server.image))) {
      throw new LaunchSpecError(
        `image ${server.image} is not present locally (images cannot be pulled: build or load it first)`,
      );
    }
    return server.image;
  }
  // The usual case, a cold start: the install image was built before. Its tag is computed
  // without the engine, so one existence check stands for the five of the build path below.
  const tag = await serverImageTag(server, deps.settings);
  if (await deps.client.imageExists(tag)) return tag;
  const kind = runtimeKindFor(server);
  const onLog = options.onLog;
  const fromImage = kind === "base"
    ? deps.settings.baseImage
    : await ensureRuntimeImage(kind, deps, { onLog });
  const toolchainImage = await ensureToolchainImage(kind, deps, { onLog });
  const recipe = serverImageRecipe(server, { fromImage, toolchainImage });
  if (server.runtime === "uvx" && !server.install_resolution) {
    await checkUvPython(server, deps, onLog);
  }
  // No layer cache: the tag already caches the whole result, and cached steps would keep every
  // install stage (toolchain + build tree) on disk as a dangling image.
  return await ensureImageFromContainerfile(deps, { ...recipe, layers: false }, { onLog });
}

/**
 * Before a uvx install image is built: fail fast, naming both versions, when the package needs a
 * Python the uv image does not have.
 * @throws {PythonVersionError}
 */
async function checkUvPython(
  server: InstallTarget,
  deps: InstallDeps,
  onLog?: (line: string) => void,
): Promise<void> {
  const { settings } = deps;
  const support = await checkPythonSupport(uvLaunch(server).installSpec, {
    python: pythonOfImage(settings.baseImage),
    baseImage: settings.baseImage,
    pypi: { pypiUrl: settings.pypiUrl, fetch: deps.fetch },
  });
  if (support.note) onLog?.(support.note);
  if (support.release) {
    onLog?.(
      `installing ${support.release.name} ${support.release.version} ` +
        `(released ${support.release.uploadedAt.slice(0, 10)})`,
    );
  }
}

/**
 * An image resolver for the downstream pool backed by {@linkcode ensureServerImage}; with
 * `presume` it names the image without asking the engine ({@linkcode serverImageRef}).
 */
export function serverImageResolver(
  deps: InstallDeps,
): (
  server: InstallTarget,
  options: { onLog: (line: string) => void; presume?: boolean },
) => Promise<string> {
  return (server, options) =>
    options.presume
      ? serverImageRef(server, deps.settings)
      : ensureServerImage(server, { deps, onLog: options.onLog });
}

/** Remove a server's current install image (on delete); a missing image is fine. */
export async function removeServerImage(server: InstallTarget, deps: InstallDeps): Promise<void> {
  if (server.runtime === "image" && !server.image && server.build) {
    await deps.client.removeImage(repoImageTag(server.name, server.build), { force: true })
      .catch(() => {});
    return;
  }
  if (server.runtime === "image" || server.runtime === "remote") return;
  try {
    await deps.client.removeImage(await serverImageTag(server, deps.settings), { force: true });
  } catch (error) {
    const status = (error as { status?: number }).status;
    const notFound = (error as { notFound?: boolean }).notFound;
    if (status !== 404 && !notFound) throw error;
  }
}
