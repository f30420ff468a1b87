/**
 * @module The install step's `resolve-bin.cjs`: it links the default executable of an installed
 * npm package the way `npx PKG` picks it (part of every npm install image's content hash: keep
 * its text stable).
 */
import { NPM_ENTRY, NPM_PREFIX } from "./launch_spec.ts";

/** Resolves the default bin of an installed npm package the way `npx PKG` picks it. */
export const RESOLVE_BIN_CJS = `"use strict";
const fs = require("fs");
const path = require("path");
const prefix = ${JSON.stringify(NPM_PREFIX)};
let name = process.argv[2];
if (!name) {
  const deps = Object.keys(JSON.parse(fs.readFileSync(path.join(prefix, "package.json"), "utf8")).dependencies || {});
  if (deps.length !== 1) {
    console.error("cannot tell which package to run among: " + deps.join(", "));
    process.exit(1);
  }
  name = deps[0];
}
const pj = JSON.parse(fs.readFileSync(path.join(prefix, "node_modules", name, "package.json"), "utf8"));
const base = name.startsWith("@") ? name.split("/")[1] : name;
let bin = null;
if (typeof pj.bin === "string") bin = base;
else if (pj.bin && typeof pj.bin === "object") {
  const keys = Object.keys(pj.bin);
  if (keys.length === 1) bin = keys[0];
  else if (pj.bin[base]) bin = base;
  else {
    console.error("package " + name + " has several bins (" + keys.join(", ") + "); name one with npx -p");
    process.exit(1);
  }
}
if (!bin) {
  console.error("package " + name + " has no bin to run");
  process.exit(1);
}
const target = path.join(prefix, "node_modules", ".bin", bin);
fs.accessSync(target);
fs.symlinkSync(target, ${JSON.stringify(NPM_ENTRY)});
console.error("entry: " + bin + " -> " + fs.realpathSync(target));
`;
