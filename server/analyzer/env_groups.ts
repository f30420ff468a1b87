/**
 * @module Comment groups of an env block: the `# comment` heading each line (a blank line ends
 * a group), and the keys several groups set — each group's own way, so needed in every mode.
 */

/** The key a line assigns (`KEY=…`, `export KEY=…`). */
export const ASSIGNED_KEY_RE = /^\s*(?:export\s+)?([A-Z][A-Z0-9_]{2,})=/;

/** The `# comment` heading each line's group (a blank line ends a group). */
export function commentGroups(lines: string[]): string[] {
  let group = "";
  return lines.map((l) => {
    const comment = l.match(/^\s*#\s*(.*)$/)?.[1];
    if (comment !== undefined) group = comment;
    else if (!l.trim()) group = "";
    return group;
  });
}

/** Keys assigned under two or more different group comments. */
export function keysOfEveryGroup(lines: string[], groups: string[]): Set<string> {
  const seen = new Map<string, Set<string>>();
  lines.forEach((l, i) => {
    const key = l.match(ASSIGNED_KEY_RE)?.[1];
    if (key) seen.set(key, (seen.get(key) ?? new Set()).add(groups[i]));
  });
  return new Set([...seen].filter(([, g]) => g.size >= 2).map(([k]) => k));
}
