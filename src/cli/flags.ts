import { z } from 'zod';
import { inputProblemOf } from '../domain/input-problem';
import { scalarOf, unwrap, type FieldCli } from '../domain/field-meta';
import { InvalidInputError } from '../errors';
import { FAULT_FLAG_FORM } from '../domain/faults';

/** A CLI flag derived from one field of an input schema: its name, where it goes, its help. */
export interface FlagSpec {
  flag: string;
  path: string[];
  type: 'string' | 'number' | 'boolean';
  kind?: FieldCli['kind'];
  env?: string;
  values?: string[];
  description: string;
  default?: unknown;
}

/**
 * The flags of an input schema: every field whose metadata names a flag (one level of nesting, as
 * in faults.deleteMirroredRecords). The schema stays the one declaration; flags and help follow it.
 */
export function flagSpecs(schema: z.ZodObject, prefix: string[] = []): FlagSpec[] {
  const out: FlagSpec[] = [];
  for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
    const base = unwrap(field);
    // an optional object (a switch) keeps its metadata on the object itself
    const cli =
      (field.meta() as { cli?: FieldCli } | undefined)?.cli ??
      (base instanceof z.ZodObject ? (base.meta() as { cli?: FieldCli } | undefined)?.cli : undefined);
    if (!cli?.flag || cli.kind === 'switch') {
      if (cli?.flag)
        out.push({
          flag: cli.flag,
          path: [...prefix, key],
          type: 'boolean',
          kind: 'switch',
          description: field.description ?? base?.description ?? '',
        });
      if (base instanceof z.ZodObject && prefix.length === 0) out.push(...flagSpecs(base, [key]));
      continue;
    }
    // A list flag names its entries' values; a union flag takes its scalar form (--brokers N).
    const scalar = base instanceof z.ZodArray ? (base.element as z.ZodType) : scalarOf(field);
    out.push({
      flag: cli.flag,
      path: [...prefix, key],
      type: scalar instanceof z.ZodBoolean ? 'boolean' : scalar instanceof z.ZodNumber && cli.kind !== 'list' ? 'number' : 'string',
      kind: cli.kind,
      env: cli.env,
      values: scalar instanceof z.ZodEnum ? scalar.options.map(String) : undefined,
      description: field.description ?? base?.description ?? '',
      default: field instanceof z.ZodDefault ? field.def.defaultValue : undefined,
    });
  }
  return out;
}

/** The options object node:util parseArgs takes. */
export function parseArgsOptions(specs: FlagSpec[]): Record<string, { type: 'string' | 'boolean'; multiple: boolean }> {
  return Object.fromEntries(
    specs.map((s) => [
      s.flag,
      { type: s.type === 'boolean' ? ('boolean' as const) : ('string' as const), multiple: s.kind === 'fault-list' },
    ]),
  );
}

export interface FileReaders {
  'avro-file': (path: string) => string;
  'target-file': (path: string) => unknown;
  /** Each repeated --fault (FAULT_FLAG_FORM), as a fault of the input. */
  'fault-list': (values: string[]) => unknown;
}

/** The switch flag whose object holds the field at `path`, if any. */
const switchOf = (specs: FlagSpec[], path: string[]) =>
  specs.find((s) => s.kind === 'switch' && path.length > s.path.length && s.path.every((k, i) => path[i] === k));

/**
 * Only the fields the user gave (a flag, else its environment variable): the workflow fills the
 * defaults, so the input stays short in the UI. Values are checked by the schema afterwards.
 */
export function inputFromFlags(
  specs: FlagSpec[],
  values: Record<string, unknown>,
  readers: FileReaders = noFiles,
): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const s of specs) {
    const raw = values[s.flag] ?? (s.env ? process.env[s.env] : undefined);
    if (raw === undefined || raw === false) continue;
    const on = switchOf(specs, s.path);
    if (on && !values[on.flag])
      throw new InvalidInputError(`--${s.flag} is a setting of --${on.flag}`, `add --${on.flag}, or leave --${s.flag} out`);
    let value: unknown = raw;
    if (s.kind === 'switch') value = {};
    else if (s.kind === 'fault-list') value = readers['fault-list']([raw].flat().map(String));
    else if (s.kind === 'list')
      value = String(raw)
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);
    else if (s.kind) value = readers[s.kind](String(raw));
    else if (s.type === 'number') {
      value = Number(raw);
      if (!Number.isFinite(value)) throw new InvalidInputError(`--${s.flag} "${raw}" is not a number`, `give --${s.flag} a number`);
    }
    let at = input;
    for (const k of s.path.slice(0, -1)) at = (at[k] ??= {}) as Record<string, unknown>;
    const key = s.path[s.path.length - 1];
    // a switch turns its object on; its own fields may already be in it
    at[key] = s.kind === 'switch' ? { ...(value as object), ...(at[key] as object) } : value;
  }
  return input;
}

/** One help line per flag, from the schema's descriptions, values and defaults. */
export function flagHelp(specs: FlagSpec[]): string {
  const rows = specs.map((s) => {
    const arg =
      s.type === 'boolean'
        ? ''
        : s.kind === 'fault-list'
          ? ` ${FAULT_FLAG_FORM}`
          : s.kind === 'list'
            ? ' LIST'
            : s.kind
              ? ' FILE'
              : s.values
                ? ` ${s.values.join('|')}`
                : s.type === 'number'
                  ? ' N'
                  : ' VALUE';
    const extra = [
      s.default !== undefined && s.type !== 'boolean' ? `default ${JSON.stringify(s.default)}` : '',
      s.env ? `env ${s.env}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    return [`--${s.flag}${arg}`, `${s.description}${extra ? ` (${extra})` : ''}`];
  });
  const width = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([a, b]) => `    ${a.padEnd(width)}  ${b}`).join('\n');
}

/** Flags to a typed, checked value of `schema`, or one InvalidInputError in the project's words. */
export function parseFlags<S extends z.ZodObject>(schema: S, values: Record<string, unknown>, readers?: FileReaders): z.output<S> {
  const input = inputFromFlags(flagSpecs(schema), values, readers);
  const r = schema.safeParse(input);
  if (!r.success) {
    const p = inputProblemOf(r.error.issues[0], input, schema);
    throw new InvalidInputError(p.problem, p.fix);
  }
  return r.data;
}

const noFiles: FileReaders = {
  'avro-file': () => {
    throw new Error('no file flags here');
  },
  'target-file': () => {
    throw new Error('no file flags here');
  },
  'fault-list': () => {
    throw new Error('no fault flags here');
  },
};
