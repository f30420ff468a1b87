/**
 * @module README section headings and lines that say what their content is for: developing the
 * server, configuring it, running it, optional extras, another serving mode.
 */

/** Sections whose content is about developing the server, not running it. */
export const DEV_SECTION_RE =
  /\b(develop|development|contribut|testing|tests?\b|debug|build(ing)? (from|locally)|local build|from source|evals?\b|evaluations?\b|inspector|releasing|release (process|notes)|changelog|troubleshoot|solu[çc][ãa]o de problemas|soluci[óo]n de problemas|d[ée]pannage|fehlerbehebung|desenvolvimento|desarrollo|d[ée]veloppement|entwicklung)|故障排除|开发|测试|贡献|トラブルシューティング|開発|テスト|貢献/i;
/** Sections about configuring the server. */
export const ENV_SECTION_RE =
  /\b(env|environment|variables?|config|configur\w*|settings|options|setup)\b/i;
/** An env var name (`API_KEY`). */
export const KEY_RE = /^[A-Z][A-Z0-9_]{2,}$/;
/** Sections that walk through running the server (or giving it its credentials). */
export const USAGE_SECTION_RE =
  /\b(usage|quick ?start|getting started|running|run|start|setup|how to use|authentication|credentials)\b/i;
/** Headings whose variables are extras, never required (optional, advanced, TLS…). */
export const OPTIONAL_HEADING_RE =
  /\b(optional|advanced|tls|ssl|https|certificates?|tuning|experimental|beta|prox(y|ies))\b/i;
/** Headings whose variables are needed. */
export const REQUIRED_HEADING_RE = /\b(required|mandatory)\b/i;
/**
 * Headings of another way to serve (remote deployment, OAuth proxy, multi-user hosting): their
 * variables configure that mode, never the local launch — not required even when marked so.
 */
export const MODE_HEADING_RE =
  /\b(remote (deploy\w*|authori[sz]ation|hosting|server setup|mode)|oauth (proxy|setup|mode|deploy\w*)|deploy\w* (your own|a hosted|an? (remote|shared))|multi[- ]user|self[- ]host\w*|cloud run|(streamable[- ])?http (streaming )?transport|sse transport|http mode|deploy\w* (to|on) (cloud|gcp|aws|azure|vercel|cloudflare|fly|render|railway|heroku|kubernetes|k8s))\b/i;
/** A shell assignment of a variable (`export K=…`, `K=…`, PowerShell `$env:K=…`, cmd `set K=…`). */
export const ASSIGNMENT_RE = /^\s*(?:export\s+|set\s+|\$env:)?([A-Z][A-Z0-9_]{2,})\s*=\s*\S/;

/** Whether a section (below the README's title) is about another way to serve (`MODE_HEADING_RE`). */
export function modeSection(section: string): boolean {
  return section.split(" > ").slice(1).some((h) => MODE_HEADING_RE.test(h));
}
