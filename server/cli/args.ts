/**
 * @module CLI argument parsing and usage errors (exit code 2).
 */
import { parseArgs, type ParseArgsConfig } from "node:util";

/** A usage error: printed with the verb's help, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

/** Options of one CLI verb. */
export type VerbOptions = NonNullable<ParseArgsConfig["options"]>;

/**
 * Parse a verb's arguments; unknown flags are a {@linkcode UsageError}.
 * @param args the arguments after the verb
 * @param options flag definitions (`help` is added)
 */
export function parseVerb<T extends VerbOptions>(args: string[], options: T) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: "boolean" as const, short: "h" } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}
