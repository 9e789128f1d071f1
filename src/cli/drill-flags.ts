import { readFileSync } from 'node:fs';
import avro from 'avsc';
import { loadTargetFile } from '../config/target-file';
import { avroRecordProblem } from '../schema/avro-record';
import { DrillInputSchema, type DrillInput } from '../domain/drill-input';
import { parseFaultFlag, type FaultInput } from '../domain/faults';
import { InvalidInputError } from '../errors';
import { flagHelp, flagSpecs, inputFromFlags, parseArgsOptions } from './flags';

/** The flags that shape a drill's input, from its schema; shared by `lab drill` and `lab schedule create`. */
export const DRILL_FLAGS = flagSpecs(DrillInputSchema);
export const DRILL_INPUT_OPTIONS = parseArgsOptions(DRILL_FLAGS);
export const DRILL_FLAGS_HELP = flagHelp(DRILL_FLAGS);

/** An .avsc file as schema text, refused here (exit 2) when avsc or the structure check rejects it. */
function readSchema(file: string): string {
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

/** Each --fault (FAULT_FLAG_FORM), refused here (exit 2) when it does not parse; the schema checks the rest. */
function readFaults(values: string[]): FaultInput[] {
  return values.map((text) => {
    const f = parseFaultFlag(text);
    if ('problem' in f) throw new InvalidInputError(f.problem, f.fix);
    return f;
  });
}

/** Only the fields the user gave: the workflow fills the defaults, so the input stays short in the UI. */
export function drillInputFromFlags(v: Record<string, unknown>): DrillInput {
  return inputFromFlags(DRILL_FLAGS, v, { 'avro-file': readSchema, 'target-file': loadTargetFile, 'fault-list': readFaults }) as DrillInput;
}
