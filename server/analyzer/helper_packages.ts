/**
 * @module npm packages that help (install, inspect, build, deploy, scaffold) but serve nothing:
 * a README line running one is no launch of the server.
 */
import { npmPackageName } from "../../runtime/launch_command.ts";

/** npm packages that are helpers (installers, inspectors), never the server itself. */
export const HELPER_PACKAGES = new Set([
  "@modelcontextprotocol/inspector",
  "@smithery/cli",
  "@michaellatman/mcp-get",
  "add-mcp",
  "mcp-get",
  "install-mcp",
  "@anthropic-ai/dxt",
  "supergateway",
  "mcp-eval",
  "playwright",
  "tsx",
  "ts-node",
  "typescript",
  // Deployment and hosting CLIs: they publish a server somewhere, they are not one.
  "wrangler",
  "vercel",
  "netlify-cli",
  "firebase-tools",
  "serverless",
  // Project tooling: generators, linters, test runners, release and script helpers.
  "plop",
  "prettier",
  "eslint",
  "vitest",
  "jest",
  "@changesets/cli",
  "husky",
  "rimraf",
  "concurrently",
  "npm-check-updates",
  "lint-staged",
  "degit",
  "shx",
  "nodemon",
]);

/** Scaffolding packages (`create-mcp-server`, `@modelcontextprotocol/create-server`). */
const SCAFFOLD_PACKAGE_RE = /^(@[\w.-]+\/)?create-[\w.-]+$/;

/** True for an npm package that helps (installs, inspects, builds, scaffolds) but serves nothing. */
export function isHelperPackage(spec: string): boolean {
  const name = npmPackageName(spec) ?? spec;
  return HELPER_PACKAGES.has(name) || SCAFFOLD_PACKAGE_RE.test(name);
}
