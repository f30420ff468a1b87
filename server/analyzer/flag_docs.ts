/**
 * @module Command-line flags a README documents as required ("- `--project-id`: (Required) Your
 * Google Cloud project ID", a flags table with a Required column): fields the review form asks
 * for when the planned launch does not pass them.
 */
import type { ArgField } from "../schemas/server.ts";
import { requiredFrom } from "./env_hints.ts";
import { looksSecret } from "./env_names.ts";
import { tableCells } from "./markdown.ts";

/** Flags of the transport and the process, never a user's value. */
const NOT_A_FIELD_RE =
  /^--(help|version|port|host|transport|stdio|sse|http|verbose|debug|log[\w-]*)$/;

const LIST_FLAG_RE = /^\s*[-*+]\s+\**`(--[a-z][\w-]*)(?:[ =][^`]*)?`\**\s*[:—–-]?\s*(.+)$/i;
const YES_RE = /^(yes|required|✅|✓|✔️?|y)$/i;

/**
 * The flags a README marks required, each with its description.
 * @param text README markdown
 */
export function requiredFlagDocs(text: string): { flag: string; description: string }[] {
  const out = new Map<string, string>();
  let requiredColumn = -1;
  for (const line of text.split(/\r?\n/)) {
    const item = line.match(LIST_FLAG_RE);
    if (item) {
      if (requiredFrom(item[2]) === true) out.set(item[1], item[2].replace(/[*`]/g, "").trim());
      continue;
    }
    if (!/^\s*\|/.test(line)) {
      requiredColumn = -1;
      continue;
    }
    const cells = tableCells(line);
    const flag = cells[0]?.match(/^`?(--[a-z][\w-]*)\b/i)?.[1];
    if (!flag) {
      // A header row: which column says whether a flag is required.
      const at = cells.findIndex((c) => /^\**required\**$/i.test(c));
      if (at >= 0) requiredColumn = at;
      continue;
    }
    const description = cells.slice(1).filter((c) => !YES_RE.test(c) && !/^no$/i.test(c))
      .join(" ").replace(/[*`]/g, "").trim();
    const marked = requiredColumn > 0 ? YES_RE.test(cells[requiredColumn] ?? "") : false;
    if (marked || requiredFrom(description) === true) out.set(flag, description);
  }
  return [...out].filter(([flag]) => !NOT_A_FIELD_RE.test(flag)).map(([flag, description]) => ({
    flag,
    description: description.slice(0, 2000),
  }));
}

/**
 * Required fields for the documented required flags a launch does not pass (nor an env key of
 * the same name, `--api-key` ~ `X_API_KEY`, stands for).
 * @param text README markdown
 * @param args the planned launch's arguments
 * @param fields the fields already asked for
 * @param envKeys the planned env keys
 */
export function documentedFlagFields(
  text: string,
  args: readonly string[],
  fields: readonly ArgField[],
  envKeys: readonly string[],
): ArgField[] {
  const passed = (flag: string) =>
    args.some((a) => a === flag || a.startsWith(`${flag}=`)) || fields.some((f) => f.flag === flag);
  return requiredFlagDocs(text).flatMap(({ flag, description }) => {
    const name = flag.replace(/^-+/, "").toUpperCase().replace(/-/g, "_");
    if (passed(flag) || envKeys.some((k) => k === name || k.endsWith(`_${name}`))) return [];
    return [{ flag, description, required: true, secret: looksSecret(name), equals: false }];
  });
}
