/**
 * @module Server names from sources: one function turns an npm package, a PyPI package, an image
 * reference, a GitHub repository (folder) or an MCP URL into a server name (`[a-z0-9-]`, ≤48
 * chars) and a display name, from the part of it that means something.
 *
 * The rules, in order: split the source into segments, most specific first (npm: name, then
 * scope; PyPI: name, then a dotted namespace; image: last path segment, then the ones before it;
 * GitHub: folder, repository, owner; URL: the host's distinctive label). Strip MCP affixes from a
 * segment's edges (`server-`, `mcp-`, `mcp-server-`, `-mcp`, `-mcp-server`, `-server-mcp`, with a
 * trailing `-js`/`-py`/`-node`/… after them). A segment left with nothing, or only generic words
 * (`mcp`, `server`, `node`, `cli`, `sdk`, `python`, …), means nothing: take the next one. A vendor
 * prefix repeated by the next word (`awslabs-aws-…`) is dropped. Display names title-case the words,
 * keeping acronyms upper-case and known brands' capitals (`GitHub`, `DevOps`, `OpenAPI`).
 */

/** A server name and a display name derived from a source. */
export interface ServerNames {
  /** Matches `ServerNameSchema`: 1-48 chars of `a-z`, `0-9`, `-`, starting with a letter/digit. */
  name: string;
  /** Human-friendly, e.g. `Azure DevOps`. */
  display_name: string;
}

/** What a name is derived from. */
export type NameSource =
  | { kind: "npm"; spec: string }
  | { kind: "pypi"; spec: string }
  | { kind: "image"; ref: string }
  | { kind: "github"; owner: string; repo: string; subpath?: string | null }
  | { kind: "remote"; url: string };

const MAX_NAME = 48;

/** Words that, alone, say nothing about which server it is. */
const GENERIC = new Set([
  "mcp",
  "mcps",
  "server",
  "servers",
  "modelcontextprotocol",
  "node",
  "nodejs",
  "js",
  "ts",
  "typescript",
  "javascript",
  "py",
  "python",
  "go",
  "golang",
  "rust",
  "cli",
  "sdk",
  "src",
  "stdio",
  "sse",
  "official",
]);

/** Leading MCP affixes: `mcp-`, `server-`, `mcp-server-`, `modelcontextprotocol-`. */
const LEADING_AFFIX = /^(?:(?:mcp|server|servers|modelcontextprotocol)-)+/;
/**
 * Trailing MCP affixes: `-mcp`, `-mcp-server`, `-server-mcp`, `-mcp-servers`, optionally with a
 * runtime word after them (`-mcp-server-js`, `-mcp-py`). A lone trailing `-server` stays
 * (`language-server`).
 */
const TRAILING_AFFIX =
  /(?:-servers?)?-mcps?(?:-servers?)?(?:-(?:js|ts|py|python|node|nodejs|cli|sdk|stdio|go))?$/;

/** Acronyms kept upper-case in display names. */
const ACRONYMS = new Set([
  "ai",
  "api",
  "apis",
  "aws",
  "cli",
  "crm",
  "csv",
  "db",
  "dns",
  "ec2",
  "eks",
  "ecs",
  "gcp",
  "gpt",
  "gsc",
  "html",
  "http",
  "iam",
  "ide",
  "jwt",
  "json",
  "kb",
  "llm",
  "lsp",
  "mcp",
  "ml",
  "ocr",
  "pdf",
  "rag",
  "rds",
  "rss",
  "s3",
  "sdk",
  "seo",
  "sms",
  "sql",
  "sqs",
  "ssh",
  "sse",
  "ui",
  "url",
  "xml",
  "yaml",
]);

/** Brands whose capitals are not plain title case. */
const BRANDS: Record<string, string> = {
  arxiv: "arXiv",
  bigquery: "BigQuery",
  chatgpt: "ChatGPT",
  circleci: "CircleCI",
  clickhouse: "ClickHouse",
  dbt: "dbt",
  deepwiki: "DeepWiki",
  devops: "DevOps",
  devtools: "DevTools",
  duckdb: "DuckDB",
  duckduckgo: "DuckDuckGo",
  dynamodb: "DynamoDB",
  elevenlabs: "ElevenLabs",
  eslint: "ESLint",
  fastapi: "FastAPI",
  github: "GitHub",
  gitlab: "GitLab",
  graphql: "GraphQL",
  hubspot: "HubSpot",
  iac: "IaC",
  ios: "iOS",
  javascript: "JavaScript",
  jetbrains: "JetBrains",
  launchdarkly: "LaunchDarkly",
  linkedin: "LinkedIn",
  macos: "macOS",
  markitdown: "MarkItDown",
  mongodb: "MongoDB",
  mysql: "MySQL",
  n8n: "n8n",
  nextjs: "Next.js",
  nodejs: "Node.js",
  npm: "npm",
  oauth: "OAuth",
  openai: "OpenAI",
  openapi: "OpenAPI",
  opensearch: "OpenSearch",
  pagerduty: "PagerDuty",
  paypal: "PayPal",
  postgresql: "PostgreSQL",
  powerpoint: "PowerPoint",
  pypi: "PyPI",
  sonarqube: "SonarQube",
  sqlite: "SQLite",
  supabase: "Supabase",
  tiktok: "TikTok",
  typescript: "TypeScript",
  vscode: "VS Code",
  whatsapp: "WhatsApp",
  wordpress: "WordPress",
  youtube: "YouTube",
};

/** Registries' host names lead image references; `docker.io/library/x` is `x`. */
const IMAGE_NOISE = new Set(["library", "mcp", "mcp-servers", "images"]);

/** Hosting platforms whose sub-domain is the app's name (`foo.vercel.app` → `foo`). */
const HOSTING_SUFFIXES = [
  "vercel.app",
  "netlify.app",
  "workers.dev",
  "pages.dev",
  "onrender.com",
  "herokuapp.com",
  "fly.dev",
  "railway.app",
  "github.io",
  "modal.run",
  "deno.dev",
  "azurewebsites.net",
  "run.app",
  "smithery.ai",
];

/** Host labels that never name a service. */
const HOST_NOISE = new Set(["www", "mcp", "api", "server", "servers", "sse", "remote", "app"]);

/** Second-level labels of country domains (`example.co.uk`). */
const SECOND_LEVEL = new Set(["co", "com", "org", "net", "ac", "gov", "edu", "ne", "or"]);

/**
 * Derive a server name and display name from a source.
 * @param source what the server comes from (see {@linkcode NameSource})
 * @returns a valid server name and a display name; `server` / `Server` when nothing usable is left
 * @example
 * deriveServerNames({ kind: "npm", spec: "@azure-devops/mcp" });
 * // → { name: "azure-devops", display_name: "Azure DevOps" }
 */
export function deriveServerNames(source: NameSource): ServerNames {
  const core = meaningfulPart(segmentsOf(source));
  const name = sanitizeName(core);
  return { name, display_name: displayNameFor(name) };
}

/** Segments of a source, most specific first, in raw form. */
function segmentsOf(source: NameSource): string[] {
  switch (source.kind) {
    case "npm": {
      const spec = withoutNpmVersion(source.spec.trim());
      const [scope, name] = spec.startsWith("@") && spec.includes("/")
        ? [spec.slice(1, spec.indexOf("/")), spec.slice(spec.indexOf("/") + 1)]
        : ["", spec];
      return [name.split("/").pop() ?? "", scope];
    }
    case "pypi": {
      const name = source.spec.trim().replace(/\[.*$/, "").replace(/\s*[=<>!~@;].*$/, "");
      // A dotted name is a namespace and a name: `awslabs.aws-documentation-mcp-server`.
      return name.split(".").filter(Boolean).reverse();
    }
    case "image": {
      const ref = source.ref.trim().replace(/@sha256:.*$/, "");
      const parts = ref.split("/").filter(Boolean);
      if (parts.length > 1 && /[.:]|^localhost$/.test(parts[0])) parts.shift();
      const last = (parts.pop() ?? "").replace(/:[^:]*$/, "");
      return [last, ...parts.reverse().filter((p) => !IMAGE_NOISE.has(p))];
    }
    case "github": {
      const folders = (source.subpath ?? "").split("/").filter(Boolean).reverse();
      return [...folders.slice(0, 1), source.repo.replace(/\.git$/i, ""), source.owner];
    }
    case "remote":
      return hostSegments(source.url);
  }
}

function withoutNpmVersion(spec: string): string {
  const at = spec.indexOf("@", 1);
  return at > 0 ? spec.slice(0, at) : spec;
}

/** The host's distinctive labels: `mcp.linear.app` → `linear`; IPs and localhost keep the port. */
function hostSegments(raw: string): string[] {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return [];
  }
  const host = url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
  if (host === "localhost" || /^[\d.]+$/.test(host) || host.includes(":")) {
    return [`${host === "localhost" ? "localhost" : "remote"}${url.port ? `-${url.port}` : ""}`];
  }
  let labels = host.split(".").filter(Boolean);
  const hosting = HOSTING_SUFFIXES.find((s) => host.endsWith(`.${s}`));
  if (hosting) {
    labels = labels.slice(0, labels.length - hosting.split(".").length);
    return labels.reverse().filter((l) => !HOST_NOISE.has(l));
  }
  // Drop the public suffix: `com`, or `co.uk`.
  const tld = labels.length > 1 ? 1 : 0;
  const sld = labels.length > 2 && labels[labels.length - 1].length === 2 &&
      SECOND_LEVEL.has(labels[labels.length - 2])
    ? 1
    : 0;
  const named = labels.slice(0, labels.length - tld - sld);
  return named.reverse().filter((l) => !HOST_NOISE.has(l));
}

/** Lower-case words joined by `-`: `Some_Pkg.Name` → `some-pkg-name` (camel case is kept whole). */
function normalize(segment: string): string {
  return segment.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "")
    .replace(/(^|-)model-context-protocol(?=-|$)/g, "$1modelcontextprotocol");
}

/** Words that only say "MCP server". */
const MCP_WORDS = new Set(["mcp", "mcps", "server", "servers", "modelcontextprotocol"]);

/**
 * A segment without its MCP affixes: `mcp-server-git` → `git`, `slack-mcp-server` → `slack`,
 * `awslabs-aws-documentation-mcp-server` → `aws-documentation`. May be generic (`server`) or empty.
 * @param segment one package/repository/host segment, any case
 */
export function stripMcpAffixes(segment: string): string {
  let s = normalize(segment);
  for (let previous = ""; previous !== s;) {
    previous = s;
    s = s.replace(LEADING_AFFIX, "").replace(TRAILING_AFFIX, "");
  }
  const words = s.split("-").filter(Boolean);
  // A vendor prefix the next word repeats: `awslabs-aws-documentation` → `aws-documentation`.
  if (words.length >= 3 && words[0].length > words[1].length && words[0].startsWith(words[1])) {
    words.shift();
  }
  return words.join("-");
}

/** Whether all of a stripped segment's words are in `words` (true for an empty one). */
function onlyWords(core: string, words: ReadonlySet<string>): boolean {
  return core.split("-").every((w) => w === "" || words.has(w));
}

/**
 * The first segment that means something, stripped; else the first that is more than "MCP
 * server" (`cli-mcp-server` → `cli`); else the first non-empty one as it is.
 */
function meaningfulPart(segments: string[]): string {
  const cores = segments.map(stripMcpAffixes);
  return cores.find((core) => !onlyWords(core, GENERIC)) ??
    cores.find((core) => !onlyWords(core, MCP_WORDS)) ??
    segments.map(normalize).find((s) => s !== "") ?? "";
}

/**
 * Lower-case, map anything outside `[a-z0-9-]` to `-`, trim dashes, cap at 48 chars; `server`
 * when nothing is left.
 * @param raw any string
 */
export function sanitizeName(raw: string): string {
  const cleaned = raw.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/-{2,}/g, "-")
    .replace(/^-+/, "").slice(0, MAX_NAME).replace(/-+$/, "");
  return cleaned || "server";
}

/**
 * A display name from a server name: words title-cased, acronyms upper-case, brands as they
 * write themselves (`azure-devops` → `Azure DevOps`, `aws-documentation` → `AWS Documentation`).
 * @param name a server name (or any `-`-separated words)
 */
export function displayNameFor(name: string): string {
  return name.split(/[-_\s]+/).filter(Boolean).map((word) => {
    const w = word.toLowerCase();
    if (BRANDS[w]) return BRANDS[w];
    if (ACRONYMS.has(w)) return w.toUpperCase();
    return w[0].toUpperCase() + w.slice(1);
  }).join(" ");
}
