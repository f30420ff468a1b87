/**
 * @module What the browser tests share: Debian's Chromium (tests are ignored without it), its
 * launch flags, a browser for one test, and full-page screenshots at 1280 and 390 px into
 * `tests/.artifacts/screenshots/`.
 */
import { type Browser, chromium, type Page } from "playwright-core";
import { loadSettings } from "../../server/settings.ts";
import { openServices, type RouterServices } from "../../server/composition/wiring.ts";
import { createRouterApp } from "../../server/app/router_app.ts";
import { quietLogs } from "../helpers.ts";

/** Where Debian's `chromium` package puts the browser. */
export const CHROMIUM = "/usr/bin/chromium";

/** Whether the browser is installed (UI tests are ignored without it; CI fails on that). */
export const hasChromium = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
})();

/** Headless, no network side traffic. */
export const LAUNCH_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

const SHOTS = new URL("../.artifacts/screenshots/", import.meta.url);

/** Run `fn` with a fresh browser, closed afterwards. */
export async function withBrowser(fn: (browser: Browser) => Promise<void>): Promise<void> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: LAUNCH_ARGS });
  try {
    await fn(browser);
  } finally {
    await browser.close();
  }
}

/** Full-page screenshots of `page` at 1280 px and 390 px, named `<name>-<width>.png`. */
export async function shoot(page: Page, name: string): Promise<void> {
  await Deno.mkdir(SHOTS, { recursive: true });
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({
      path: decodeURIComponent(new URL(`${name}-${width}.png`, SHOTS).pathname),
      fullPage: true,
    });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

/** A router app serving on a random loopback port, with its own temp data dir. */
export interface UiRouter {
  url: string;
  services: RouterServices;
  close(): Promise<void>;
}

/**
 * Start the real router app for a browser test (no Podman unless `overrides` names a socket).
 * @param overrides settings to change
 */
export async function startUiRouter(overrides: Record<string, unknown> = {}): Promise<UiRouter> {
  quietLogs();
  const tmp = await Deno.makeTempDir({ prefix: "mcp-router-ui-" });
  const settings = loadSettings({ HOME: tmp }, {
    dataDir: `${tmp}/data`,
    host: "127.0.0.1",
    podmanSocket: `${tmp}/none.sock`,
    ...overrides,
  });
  const services = await openServices(settings);
  const app = createRouterApp(services);
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, app.fetch);
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    services,
    async close() {
      await app.closeSessions();
      await server.shutdown();
      await services.close();
      await Deno.remove(tmp, { recursive: true }).catch(() => {});
    },
  };
}

/** The Podman socket tests that run containers use (`MCP_ROUTER_PODMAN_SOCKET`). */
export const podmanSocket = Deno.env.get("MCP_ROUTER_PODMAN_SOCKET") ?? "";

/** Whether {@linkcode podmanSocket} is a live socket. */
export const hasPodman = (() => {
  const socket = podmanSocket;
  try {
    return socket !== "" && Deno.statSync(socket).isSocket === true;
  } catch {
    return false;
  }
})();
