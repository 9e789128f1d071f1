/**
 * Why a text is not an Avro record schema: its structure only, so the workflow sandbox (which
 * has no avsc) refuses a bad schemaV2 before anything runs. Workflow-safe: no avsc here.
 */
export function avroRecordProblem(text: string): string | undefined {
  let s: unknown;
  try {
    s = JSON.parse(text);
  } catch {
    return 'is not JSON';
  }
  const r = s as { type?: unknown; name?: unknown; fields?: unknown };
  if (typeof s !== 'object' || s === null || r.type !== 'record') return 'is not an Avro record schema ("type": "record")';
  if (typeof r.name !== 'string' || !r.name) return 'has no record name';
  if (!Array.isArray(r.fields) || r.fields.some((f) => typeof f?.name !== 'string' || f.type === undefined))
    return 'needs "fields", each with a name and a type';
  return undefined;
}
