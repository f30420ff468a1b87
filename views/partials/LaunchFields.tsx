/**
 * @module Launch fields of the plan form, each tagged with the runtimes (and transports) it
 * matters for: the form shows the chosen runtime's fields up front and folds the rest under
 * "Advanced". The tags are also written as `data-runtimes`/`data-transports` so `app.js` can
 * move fields between the two places when the runtime changes (without JavaScript every field
 * stays where it was rendered, and all of them are submitted either way).
 */
import type { ComponentChildren } from "preact";
import type { FieldErrors, PlanFormValues } from "../types.ts";
import { TextArea, TextField } from "../components/Field.tsx";

/** The runtimes the form offers. */
export const RUNTIMES = ["npx", "uvx", "image", "source", "remote"] as const;

/** Plan fields that are one text value (not the env or mount tables). */
export type PlainField = Exclude<keyof PlanFormValues, "env" | "mounts" | "arg_fields">;

/** One runtime-specific launch field. */
export interface LaunchField {
  name: PlainField;
  /** The runtimes it is shown up front for. */
  runtimes: readonly string[];
  /** When set, also only for these transports. */
  transports?: readonly string[];
  /** Spans the whole row (text areas). */
  wide?: boolean;
}

/** The launch fields in display order. */
export const LAUNCH_FIELDS: readonly LaunchField[] = [
  { name: "package", runtimes: ["npx", "uvx"] },
  { name: "image", runtimes: ["image"] },
  { name: "command", runtimes: ["npx", "uvx", "source"] },
  { name: "url", runtimes: ["remote"] },
  { name: "port", runtimes: ["npx", "uvx", "image", "source"], transports: ["http", "sse"] },
  { name: "path", runtimes: ["npx", "uvx", "image", "source"], transports: ["http", "sse"] },
  { name: "install", runtimes: ["source"], wide: true },
  { name: "args", runtimes: ["npx", "uvx", "image", "source"], wide: true },
  { name: "headers", runtimes: ["remote"], wide: true },
];

/**
 * Whether `field` belongs up front for a plan with `runtime` and `transport` (an unknown
 * runtime shows every field).
 */
export function launchFieldShown(field: LaunchField, runtime: string, transport: string): boolean {
  if (!(RUNTIMES as readonly string[]).includes(runtime)) return true;
  if (!field.runtimes.includes(runtime)) return false;
  return !field.transports || field.transports.includes(transport);
}

/** Props of {@linkcode LaunchFieldCell}. */
export interface LaunchFieldCellProps {
  field: LaunchField;
  values: PlanFormValues;
  errors: FieldErrors;
}

/** One launch field in its tagged wrapper. */
export function LaunchFieldCell({ field, values, errors }: LaunchFieldCellProps) {
  const order = LAUNCH_FIELDS.indexOf(field);
  return (
    <div
      class={field.wide ? "launch-field wide" : "launch-field"}
      data-launch={field.name}
      data-order={String(order)}
      data-runtimes={field.runtimes.join(" ")}
      data-transports={field.transports?.join(" ")}
    >
      {control(field.name, values, errors)}
    </div>
  );
}

/** The control of one launch field. */
function control(name: PlainField, values: PlanFormValues, errors: FieldErrors): ComponentChildren {
  const bind = {
    name,
    value: values[name] ?? "",
    error: errors[name] ?? firstIndexed(errors, name),
  };
  switch (name) {
    case "package":
      return (
        <TextField
          label="Package"
          {...bind}
          hint="npm / PyPI spec installed into the image"
        />
      );
    case "image":
      return <TextField label="Image" {...bind} hint="a container image reference" />;
    case "command":
      return <TextField label="Command" {...bind} class="mono-input" />;
    case "url":
      return <TextField label="URL" {...bind} type="url" hint="the remote MCP endpoint" />;
    case "port":
      return <TextField label="Port" {...bind} inputmode="numeric" hint="container port" />;
    case "path":
      return <TextField label="Path" {...bind} hint="/mcp or /sse" />;
    case "install":
      return (
        <TextArea
          label="Install steps"
          {...bind}
          rows={2}
          mono
          hint="shell commands run once at image build, one per line"
        />
      );
    case "args":
      return <TextArea label="Arguments" {...bind} rows={4} mono hint="one argument per line" />;
    case "headers":
      return (
        <TextArea
          label="Request headers"
          {...bind}
          rows={2}
          mono
          hint="one 'Name: value' per line; ${VAR} is filled from env values (keep secrets there)"
        />
      );
    default:
      return null;
  }
}

/** The first error of one of a list field's items (`args.2`). */
export function firstIndexed(errors: FieldErrors, field: string): string | undefined {
  const key = Object.keys(errors).find((k) => k.startsWith(`${field}.`));
  return key ? errors[key] : undefined;
}
