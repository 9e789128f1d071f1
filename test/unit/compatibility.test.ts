import { describe, expect, it } from 'vitest';
import { STUDENT_SCHEMA_V1, STUDENT_SCHEMA_V2 } from '../../src/domain/student-schema';
import { checkBackward, crossRead } from '../../src/schema/compatibility';

const withFields = (fields: object[]) => ({ ...STUDENT_SCHEMA_V1, fields: [...STUDENT_SCHEMA_V1.fields, ...fields] });

describe('checkBackward', () => {
  it("accepts the chapter's v2: phone and age added with defaults", () => {
    expect(checkBackward(STUDENT_SCHEMA_V1, STUDENT_SCHEMA_V2)).toEqual({ compatible: true, problems: [] });
  });

  it('names every field added without a default', () => {
    const v2 = withFields([
      { name: 'phone', type: 'string' },
      { name: 'age', type: 'int' },
    ]);
    expect(checkBackward(STUDENT_SCHEMA_V1, v2)).toEqual({
      compatible: false,
      problems: ['field "phone" was added without a default', 'field "age" was added without a default'],
    });
  });

  it('names a field whose new type cannot read the old values', () => {
    const v2 = { ...STUDENT_SCHEMA_V1, fields: [STUDENT_SCHEMA_V1.fields[0], { name: 'class', type: 'string', default: '1' }] };
    const d = checkBackward(STUDENT_SCHEMA_V1, v2);
    expect(d.compatible).toBe(false);
    expect(d.problems).toEqual(['field "class" changed type from int to string, which cannot read the old values']);
  });

  it('accepts a promotion Avro allows (int to long)', () => {
    const v2 = { ...STUDENT_SCHEMA_V1, fields: [STUDENT_SCHEMA_V1.fields[0], { name: 'class', type: 'long', default: 1 }] };
    expect(checkBackward(STUDENT_SCHEMA_V1, v2).compatible).toBe(true);
  });

  it('accepts removing a field (new readers ignore it)', () => {
    const v2 = { ...STUDENT_SCHEMA_V1, fields: [STUDENT_SCHEMA_V1.fields[1]] };
    expect(checkBackward(STUDENT_SCHEMA_V1, v2).compatible).toBe(true);
  });

  it('rejects a schema that is not Avro', () => {
    const d = checkBackward(STUDENT_SCHEMA_V1, { type: 'record', name: 'Student', fields: [{ name: 'x', type: 'nope' }] });
    expect(d.compatible).toBe(false);
    expect(d.problems[0]).toMatch(/not a valid Avro schema/);
  });
});

describe('crossRead', () => {
  it('lets v1 readers read v2 data and v2 readers read v1 data with the defaults', () => {
    const r = crossRead(
      STUDENT_SCHEMA_V1,
      STUDENT_SCHEMA_V2,
      { name: 'Peter', class: 2 },
      { name: 'Ann', class: 5, phone: '010-1234-5678', age: 17 },
    );
    expect(r.v1ReadsV2).toEqual({ name: 'Ann', class: 5 });
    expect(r.v2ReadsV1).toEqual({ name: 'Peter', class: 2, phone: null, age: 0 });
  });
});
