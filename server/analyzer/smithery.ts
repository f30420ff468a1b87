/**
 * @module smithery.yaml: whether it starts the server over stdio, and the env vars its
 * `commandFunction` sets from `configSchema` properties (required per the schema's `required`).
 */
import { z } from "zod";
import { parse as parseYaml } from "yaml";

/** One env var a smithery.yaml start command sets. */
export interface SmitheryEnv {
  name: string;
  isRequired: boolean;
  description?: string;
}

/** What a smithery.yaml says. */
export interface SmitheryFacts {
  stdio: boolean;
  env: SmitheryEnv[];
}

const SmitherySchema = z.object({
  startCommand: z.object({
    type: z.string().optional(),
    configSchema: z.object({
      required: z.array(z.string()).optional(),
      properties: z.record(z.string(), z.object({ description: z.string().optional() }).loose())
        .optional(),
    }).loose().optional(),
    commandFunction: z.string().optional(),
  }).loose().optional(),
}).loose();

/**
 * Read a smithery.yaml.
 * @throws on YAML that does not parse (the caller turns it into a warning)
 */
export function readSmithery(text: string): SmitheryFacts {
  const doc = SmitherySchema.safeParse(parseYaml(text) ?? {});
  const start = doc.success ? doc.data.startCommand : undefined;
  const required = new Set(start?.configSchema?.required ?? []);
  const props = start?.configSchema?.properties ?? {};
  const env: SmitheryEnv[] = [];
  // `env: { EMAIL_ADDRESS: config.emailAddress, PORT: String(config.port) }`
  const body = start?.commandFunction?.match(/\benv\s*:\s*\{([^}]*)\}/)?.[1] ?? "";
  for (const m of body.matchAll(/["']?([A-Z][A-Z0-9_]{1,})["']?\s*:\s*[^,]*?\bconfig\??\.(\w+)/g)) {
    if (env.some((e) => e.name === m[1])) continue;
    env.push({
      name: m[1],
      isRequired: required.has(m[2]),
      ...(props[m[2]]?.description ? { description: props[m[2]].description } : {}),
    });
  }
  return { stdio: start?.type === "stdio", env };
}
