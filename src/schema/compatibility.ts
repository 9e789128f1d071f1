import avro from 'avsc';

interface RecordSchema {
  type: 'record';
  name: string;
  namespace?: string;
  fields: { name: string; type: unknown; default?: unknown; aliases?: string[] }[];
}

export interface CompatibilityDecision {
  compatible: boolean;
  /** One entry per offending field, naming it. */
  problems: string[];
}

const typeName = (t: unknown) => (typeof t === 'string' ? t : JSON.stringify(t));

/**
 * BACKWARD compatibility as the Schema Registry defines it: consumers using the new schema can
 * read data written with the old one. Decided field by field so the error names the fields, then
 * confirmed with avsc's own schema resolution.
 */
export function checkBackward(oldSchema: unknown, newSchema: unknown): CompatibilityDecision {
  let oldType: avro.Type;
  let newType: avro.Type;
  try {
    oldType = avro.Type.forSchema(oldSchema as avro.Schema);
    newType = avro.Type.forSchema(newSchema as avro.Schema);
  } catch (e) {
    return { compatible: false, problems: [`not a valid Avro schema: ${(e as Error).message}`] };
  }
  const problems: string[] = [];
  const o = oldSchema as RecordSchema;
  const n = newSchema as RecordSchema;
  if (o.type === 'record' && n.type === 'record') {
    for (const f of n.fields) {
      const before = o.fields.find((x) => x.name === f.name || f.aliases?.includes(x.name));
      if (!before) {
        if (!('default' in f)) problems.push(`field "${f.name}" was added without a default`);
        continue;
      }
      try {
        avro.Type.forSchema(f.type as avro.Schema).createResolver(avro.Type.forSchema(before.type as avro.Schema));
      } catch {
        problems.push(
          `field "${f.name}" changed type from ${typeName(before.type)} to ${typeName(f.type)}, which cannot read the old values`,
        );
      }
    }
  }
  if (problems.length === 0) {
    try {
      newType.createResolver(oldType);
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  return { compatible: problems.length === 0, problems };
}

/**
 * Reads data across generations the way the chapter's applications do: a v1 reader on v2 data
 * (fields it does not know are skipped) and a v2 reader on v1 data (missing fields get defaults).
 */
export function crossRead(v1Schema: unknown, v2Schema: unknown, v1Value: object, v2Value: object) {
  const v1 = avro.Type.forSchema(v1Schema as avro.Schema);
  const v2 = avro.Type.forSchema(v2Schema as avro.Schema);
  const v1ReadsV2 = v1.fromBuffer(v2.toBuffer(v2Value), v1.createResolver(v2)) as Record<string, unknown>;
  const v2ReadsV1 = v2.fromBuffer(v1.toBuffer(v1Value), v2.createResolver(v1)) as Record<string, unknown>;
  return { v1ReadsV2: { ...v1ReadsV2 }, v2ReadsV1: { ...v2ReadsV1 } };
}
