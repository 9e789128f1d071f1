import { names } from 'unique-names-generator';

const FNV_OFFSET = 0x811c9dc5;

/** FNV-1a over `text`, continuing from `h`: content derives from (run id, sequence number) alone. */
function fnv1a(text: string, h = FNV_OFFSET): number {
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The sum of a string's UTF-16 code units. */
function codeSum(text: string): number {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i);
  return sum;
}

/**
 * The first name unique-names-generator's `uniqueNamesGenerator({ dictionaries: [names], seed })`
 * picks for a string seed, computed as it does (the seed's code units summed from 1, one
 * mulberry32 step) without its per-call copies: a drill derives millions of these, and a unit test
 * holds it to the package's own answer.
 */
function seededName(seedSum: number): string {
  const a = (1831565813 + (seedSum | 0)) | 0;
  let e = Math.imul(a ^ (a >>> 15), 1 | a);
  e = (e + Math.imul(e ^ (e >>> 7), 61 | e)) ^ e;
  return names[Math.floor((((e ^ (e >>> 14)) >>> 0) / 4294967296) * names.length)];
}

export interface AvroField {
  name: string;
  type: unknown;
  default?: unknown;
}

/**
 * The Students of run `runId` for a schema's fields: message `seq` is a random first name from a
 * names package (as the book's Python `names`) and a random class 1..5, seeded by `${runId}:${seq}`
 * so the verifier can derive the same value again and catch a message whose content changed on the
 * way. For a v2 schema, phone and age are generated; any other field takes its default.
 * The run's share of the seed is hashed once, so each message costs only its own digits.
 */
export function studentMaker(runId: string, fields: AvroField[]): (seq: number) => Record<string, unknown> {
  const prefix = `${runId}:`;
  const prefixHash = fnv1a(prefix);
  const prefixSum = 1 + codeSum(prefix);
  return (seq) => {
    const digits = String(seq);
    const h = fnv1a(digits, prefixHash);
    const value: Record<string, unknown> = {};
    for (const f of fields) {
      switch (f.name) {
        case 'name':
          value.name = seededName(prefixSum + codeSum(digits));
          break;
        case 'class':
          value.class = 1 + (h % 5);
          break;
        case 'phone':
          value.phone = `010-${String(1000 + (h % 9000)).padStart(4, '0')}-${String(fnv1a(':p', h) % 10000).padStart(4, '0')}`;
          break;
        case 'age':
          value.age = 10 + (fnv1a(':a', h) % 10);
          break;
        default:
          value[f.name] = f.default ?? null;
      }
    }
    return value;
  };
}

/** The Student a drill sends as message `seq` of run `runId` (see studentMaker; one message). */
export function studentFor(runId: string, seq: number, fields: AvroField[]): Record<string, unknown> {
  return studentMaker(runId, fields)(seq);
}

export function schemaFields(schemaJson: string): AvroField[] {
  const s = JSON.parse(schemaJson) as { fields?: AvroField[] };
  return s.fields ?? [];
}
