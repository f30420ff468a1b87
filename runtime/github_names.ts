/**
 * @module GitHub names: the owner and repository name patterns GitHub accepts (they become part
 * of GitHub API paths, so they are checked strictly).
 */

/** GitHub owner: 1-39 letters, digits or '-', not starting or ending with '-'. */
export const GITHUB_OWNER_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$/;

/** GitHub repository name: 1-100 letters, digits, '.', '_' or '-', not `.` or `..`. */
export const GITHUB_REPO_RE = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,100}$/;

/**
 * Whether `value` is a GitHub `owner/name`, strictly: exactly two parts, each matching its pattern.
 * @param value e.g. `octo/repo`
 */
export function isGithubRepo(value: string): boolean {
  const [owner, name, ...rest] = value.split("/");
  return rest.length === 0 && GITHUB_OWNER_RE.test(owner) && GITHUB_REPO_RE.test(name ?? "");
}
