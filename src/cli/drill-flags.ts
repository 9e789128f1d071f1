import { readFileSync } from 'node:fs';
import avro from 'avsc';
import { avroRecordProblem, type DrillInput } from '../domain/drill';
import { loadTargetFile } from '../config/target-file';
import { InvalidInputError } from '../errors';

/** The flags that shape a drill's input, shared by `lab drill` and `lab schedule create`. */
export const DRILL_INPUT_OPTIONS = {
  topology: { type: 'string' },
  'lab-id': { type: 'string' },
  'port-offset': { type: 'string' },
  images: { type: 'string' },
  'connect-placement': { type: 'string' },
  messages: { type: 'string' },
  rate: { type: 'string' },
  partitions: { type: 'string' },
  topic: { type: 'string' },
  'schema-v2': { type: 'string' },
  keep: { type: 'boolean' },
  'delete-mirrored': { type: 'string' },
  'verify-timeout': { type: 'string' },
  'latency-threshold': { type: 'string' },
  'fail-on-duplicates': { type: 'boolean' },
  target: { type: 'string' },
  'no-produce': { type: 'boolean' },
} as const;

const num = (flag: string, v: string | undefined) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new InvalidInputError(`--${flag} "${v}" is not a number`, `give --${flag} a number`);
  return n;
};

function readSchema(file: string | undefined): string | undefined {
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InvalidInputError(`cannot read --schema-v2 ${file}: ${(e as NodeJS.ErrnoException).code}`, 'give the path of an .avsc file');
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch {
    throw new InvalidInputError(`--schema-v2 ${file} is not JSON`, 'an .avsc file holds the schema as JSON');
  }
  const structure = avroRecordProblem(text);
  if (structure) throw new InvalidInputError(`--schema-v2 ${file} ${structure}`, 'give an Avro record schema with a name and fields');
  try {
    avro.Type.forSchema(schema as avro.Schema);
  } catch (e) {
    throw new InvalidInputError(
      `--schema-v2 ${file} is not a valid Avro schema: ${(e as Error).message}`,
      'fix the schema; avsc and the registry must both accept it',
    );
  }
  return JSON.stringify(schema);
}

/** Only the fields the user gave: the workflow fills the defaults, so the input stays short in the UI. */
export function drillInputFromFlags(v: Record<string, string | boolean | undefined>): DrillInput {
  const s = (k: string) => v[k] as string | undefined;
  const input: DrillInput = {
    topology: s('topology'),
    labId: s('lab-id') ?? process.env.LAB_ID,
    portOffset: num('port-offset', s('port-offset') ?? process.env.LAB_PORT_OFFSET),
    images: s('images') ?? process.env.LAB_IMAGES,
    connectPlacement: s('connect-placement'),
    messages: num('messages', s('messages')),
    rate: num('rate', s('rate')),
    partitions: num('partitions', s('partitions')),
    topic: s('topic'),
    schemaV2: readSchema(s('schema-v2')),
    keepLab: v.keep ? true : undefined,
    verifyTimeoutSeconds: num('verify-timeout', s('verify-timeout')),
    latencyThresholdMs: num('latency-threshold', s('latency-threshold')),
    failOnDuplicates: v['fail-on-duplicates'] ? true : undefined,
    faults: s('delete-mirrored') ? { deleteMirroredRecords: num('delete-mirrored', s('delete-mirrored')) } : undefined,
    target: s('target') ? loadTargetFile(s('target')!) : undefined,
    observeOnly: v['no-produce'] ? true : undefined,
  };
  return Object.fromEntries(Object.entries(input).filter(([, x]) => x !== undefined)) as DrillInput;
}
