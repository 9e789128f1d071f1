import { names, uniqueNamesGenerator } from 'unique-names-generator';

/** A small, stable string hash (FNV-1a), so content derives from (run id, sequence number) alone. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export interface AvroField {
  name: string;
  type: unknown;
  default?: unknown;
}

/**
 * The Student a drill sends as message `seq` of run `runId`: a random first name from a names
 * package (as the book's Python `names`) and a random class 1..5, seeded so the verifier can derive
 * the same value again and catch a message whose content changed on the way.
 * For a v2 schema, phone and age are generated; any other field takes its default.
 */
export function studentFor(runId: string, seq: number, fields: AvroField[]): Record<string, unknown> {
  const seed = `${runId}:${seq}`;
  const h = fnv1a(seed);
  const value: Record<string, unknown> = {};
  for (const f of fields) {
    switch (f.name) {
      case 'name':
        value.name = uniqueNamesGenerator({ dictionaries: [names], seed });
        break;
      case 'class':
        value.class = 1 + (h % 5);
        break;
      case 'phone':
        value.phone = `010-${String(1000 + (h % 9000)).padStart(4, '0')}-${String(fnv1a(`${seed}:p`) % 10000).padStart(4, '0')}`;
        break;
      case 'age':
        value.age = 10 + (fnv1a(`${seed}:a`) % 10);
        break;
      default:
        value[f.name] = f.default ?? null;
    }
  }
  return value;
}

export function schemaFields(schemaJson: string): AvroField[] {
  const s = JSON.parse(schemaJson) as { fields?: AvroField[] };
  return s.fields ?? [];
}
