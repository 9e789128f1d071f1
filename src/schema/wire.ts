import type { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import avro from 'avsc';

/**
 * The Confluent wire format (magic byte 0, the schema id as 4 bytes big-endian, the Avro body),
 * encoded and decoded without a promise per record: the schema is looked up once per id, then
 * every record is synchronous. Millions of records pass through here.
 */
const MAGIC = 0;

export function wireEncoder(schemaId: number, schemaJson: string): (value: unknown) => Buffer {
  const type = avro.Type.forSchema(JSON.parse(schemaJson) as avro.Schema);
  const header = Buffer.alloc(5);
  header.writeUInt8(MAGIC, 0);
  header.writeInt32BE(schemaId, 1);
  // each body is encoded into one scratch buffer, then copied out once behind the header
  let scratch = Buffer.alloc(1024);
  return (value) => {
    let end = type.encode(value, scratch, 0);
    if (end < 0) {
      scratch = Buffer.alloc(scratch.length - end * 2); // a negative end is how many bytes were missing
      end = type.encode(value, scratch, 0);
    }
    const out = Buffer.allocUnsafe(5 + end);
    header.copy(out, 0);
    scratch.copy(out, 5, 0, end);
    return out;
  };
}

type Decoded = Record<string, unknown>;
type Reader = { fromBuffer(b: Buffer): unknown };

/**
 * Decodes with the registry's schemas, each fetched once. Synchronous once the id is known (a
 * promise only for the first record of each schema). Undefined for what is not this format, an id
 * the registry does not have, or a body that does not decode: the verifier counts those as altered.
 */
export function wireDecoder(registry: Pick<SchemaRegistry, 'getSchema'>) {
  const types = new Map<number, Reader | null>();
  const body = (buf: Buffer, t: Reader | null): Decoded | undefined => {
    if (!t) return undefined;
    try {
      return t.fromBuffer(buf.subarray(5)) as Decoded;
    } catch {
      return undefined;
    }
  };
  const fetch = async (buf: Buffer, id: number) => {
    const t = await registry.getSchema(id).then(
      (x) => x as unknown as Reader,
      (e: { status?: number }) => {
        if (e?.status === 404) return null;
        throw e; // the registry not answering is not evidence: the verifier retries
      },
    );
    types.set(id, t);
    return body(buf, t);
  };
  return (buf: Buffer | null): Decoded | undefined | Promise<Decoded | undefined> => {
    if (!buf || buf.length < 5 || buf.readUInt8(0) !== MAGIC) return undefined;
    const id = buf.readInt32BE(1);
    const t = types.get(id);
    return t === undefined ? fetch(buf, id) : body(buf, t);
  };
}
