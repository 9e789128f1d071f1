import { names, uniqueNamesGenerator } from 'unique-names-generator';
import { describe, expect, it } from 'vitest';
import { STUDENT_SCHEMA_V1, STUDENT_SCHEMA_V2 } from '../../src/domain/student-schema';
import { schemaFields, studentFor, studentMaker } from '../../src/scenario/students';

/** FNV-1a as the content was first defined: over the whole seed string. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The Student as first defined, through the names package itself: what every earlier drill sent. */
function reference(runId: string, seq: number, fields: { name: string; default?: unknown }[]): Record<string, unknown> {
  const seed = `${runId}:${seq}`;
  const h = fnv1a(seed);
  const value: Record<string, unknown> = {};
  for (const f of fields) {
    if (f.name === 'name') value.name = uniqueNamesGenerator({ dictionaries: [names], seed });
    else if (f.name === 'class') value.class = 1 + (h % 5);
    else if (f.name === 'phone')
      value.phone = `010-${String(1000 + (h % 9000)).padStart(4, '0')}-${String(fnv1a(`${seed}:p`) % 10000).padStart(4, '0')}`;
    else if (f.name === 'age') value.age = 10 + (fnv1a(`${seed}:a`) % 10);
    else value[f.name] = f.default ?? null;
  }
  return value;
}

describe('studentMaker', () => {
  const v1 = schemaFields(JSON.stringify(STUDENT_SCHEMA_V1));
  const v2 = schemaFields(JSON.stringify(STUDENT_SCHEMA_V2));
  const extra = [...v2, { name: 'city', type: 'string', default: 'Seoul' }, { name: 'note', type: ['null', 'string'] }];

  it.each(['run1', 'a1b2c3d4', 'chapter-20261207-ümlaut', ''])(
    'derives what the names package and the first formula derive (run %j)',
    (runId) => {
      for (const fields of [v1, v2, extra]) {
        const make = studentMaker(runId, fields);
        for (const seq of [0, 1, 9, 10, 99, 100, 12345, 999_999, 1_000_000, 2 ** 31, 2 ** 40 + 7])
          expect(make(seq)).toEqual(reference(runId, seq, fields));
        for (let seq = 0; seq < 3000; seq += 7) expect(make(seq)).toEqual(reference(runId, seq, fields));
      }
    },
  );

  it('gives different runs different content', () => {
    const a = Array.from({ length: 50 }, (_, i) => studentFor('run-a', i, v2));
    const b = Array.from({ length: 50 }, (_, i) => studentFor('run-b', i, v2));
    expect(a).not.toEqual(b);
    expect(new Set(a.map((s) => s.name)).size).toBeGreaterThan(5);
  });
});
