import { describe, expect, it } from 'vitest';
import avro from 'avsc';
import { STUDENT_SCHEMA_V1 } from '../../src/domain/student-schema';
import { wireDecoder, wireEncoder } from '../../src/schema/wire';

const schema = JSON.stringify(STUDENT_SCHEMA_V1);
const type = avro.Type.forSchema(JSON.parse(schema) as avro.Schema);

/** A registry that knows schema id 7 only, or does not answer at all. */
const registry = (answers: boolean) => ({
  getSchema: async (id: number) => {
    if (!answers) throw Object.assign(new Error('registry down'), { status: 503 });
    if (id !== 7) throw Object.assign(new Error('Schema not found'), { status: 404 });
    return type as never;
  },
});

describe('the Confluent wire format', () => {
  const student = { name: 'Ada', class: 3 };
  const encoded = wireEncoder(7, schema)(student);

  it('round-trips a record, fetching the schema once and then decoding synchronously', async () => {
    const decode = wireDecoder(registry(true));
    expect(encoded.subarray(0, 5)).toEqual(Buffer.from([0, 0, 0, 0, 7]));
    expect({ ...(await decode(encoded)) }).toEqual(student);
    const second = decode(encoded);
    expect(second).not.toBeInstanceOf(Promise);
    expect({ ...(second as object) }).toEqual(student);
  });

  it('gives each record its own bytes, whatever its size (the encoder reuses one scratch buffer)', async () => {
    const encode = wireEncoder(7, schema);
    const decode = wireDecoder(registry(true));
    const big = { name: 'x'.repeat(5000), class: 1 };
    const [a, b, c] = [encode(student), encode(big), encode({ name: 'Bo', class: 2 })];
    expect(a).toEqual(encoded);
    expect(b.subarray(0, 5)).toEqual(Buffer.from([0, 0, 0, 0, 7]));
    expect({ ...(await decode(b)) }).toEqual(big);
    expect({ ...(await decode(a)) }).toEqual(student);
    expect({ ...(await decode(c)) }).toEqual({ name: 'Bo', class: 2 });
  });

  it('decodes to nothing (altered, for the verifier) for an unknown id, another format, or a broken body', async () => {
    const decode = wireDecoder(registry(true));
    expect(await decode(wireEncoder(8, schema)(student))).toBeUndefined();
    expect(await decode(Buffer.from('plain text'))).toBeUndefined();
    expect(await decode(Buffer.concat([encoded.subarray(0, 5), Buffer.from([0xff])]))).toBeUndefined();
    expect(await decode(null)).toBeUndefined();
  });

  it('throws when the registry does not answer, rather than call the record altered', async () => {
    await expect(wireDecoder(registry(false))(encoded)).rejects.toThrow('registry down');
  });
});
