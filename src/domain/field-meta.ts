import { z } from 'zod';

/**
 * The CLI side of an input field, kept in its `.meta()` next to its type and default: its flag
 * (when it has one), an env fallback, how a value is read, and the words its problems use.
 * Workflow-safe: the workflow words input problems with it too.
 */
export interface FieldCli {
  flag?: string;
  env?: string;
  /**
   * avro-file and target-file flags take a path; the CLI reads the file into the field. fault-list
   * repeats; list is comma-separated. switch: a boolean flag that turns an object field on, whose
   * own fields have flags of their own that need it.
   */
  kind?: 'avro-file' | 'target-file' | 'fault-list' | 'list' | 'switch';
  /** The words a problem uses for the field ("image source"), and the fix it offers. */
  label?: string;
  fix?: string;
}

/** Field metadata for `.meta()`. */
export const cli = (c: FieldCli) => ({ cli: c });

/** A field's metadata, on the field or on the type it makes optional. */
function cliOf(t: z.ZodType): FieldCli | undefined {
  let x: z.ZodType | undefined = t;
  while (x) {
    const c = (x.meta() as { cli?: FieldCli } | undefined)?.cli;
    if (c) return c;
    x = x instanceof z.ZodOptional || x instanceof z.ZodDefault || x instanceof z.ZodNullable ? (x.unwrap() as z.ZodType) : undefined;
  }
  return undefined;
}

/**
 * The CLI metadata of the field at `path`. An entry of a list speaks with the list's words; a
 * union is entered through its object form (brokers: N, or { upstream, downstream }).
 */
export function fieldCli(schema: z.ZodObject, path: string[]): FieldCli | undefined {
  let t: z.ZodType = schema;
  for (const [i, key] of path.entries()) {
    let base = unwrap(t);
    if (base instanceof z.ZodArray && i === path.length - 1) return cliOf(t);
    if (base instanceof z.ZodUnion) base = (base.options as z.ZodType[]).find((o) => o instanceof z.ZodObject);
    const next: z.ZodType | undefined = base instanceof z.ZodObject ? (base.shape as Record<string, z.ZodType>)[key] : undefined;
    if (!next) return undefined;
    t = next;
  }
  return cliOf(t);
}

/** The type under optional/default wrappers. */
export function unwrap(t: z.ZodType | undefined): z.ZodType | undefined {
  let x = t;
  while (x && (x instanceof z.ZodOptional || x instanceof z.ZodDefault || x instanceof z.ZodNullable)) x = x.unwrap() as z.ZodType;
  return x;
}

/** The scalar a field holds, for a flag: a union's first non-object form (brokers: N). */
export function scalarOf(t: z.ZodType | undefined): z.ZodType | undefined {
  const base = unwrap(t);
  return base instanceof z.ZodUnion ? (base.options as z.ZodType[]).find((o) => !(o instanceof z.ZodObject)) : base;
}
