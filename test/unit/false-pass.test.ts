import type { Kafka } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { scanRunRecords } from '../../src/kafka/run-records';
import { ReadIncompleteError } from '../../src/errors';
import { accountFor, latencyFigures, type ObservedRecord } from '../../src/domain/accounting';
import { STUDENT_SCHEMA_V1 } from '../../src/domain/student-schema';
import { studentFor, schemaFields } from '../../src/scenario/students';
import { compatibilityLevel, contentAltered, registryVerdict, latencyMs, untestedFaults } from '../../src/verify/judge';

// Each case here is a way the verdict could be wrong in the user's favour (or a number wrong).
type Placed = { seq: number; partition: number; offset: number };
const acked: Placed[] = Array.from({ length: 12 }, (_, seq) => ({ seq, partition: seq % 3, offset: Math.floor(seq / 3) }));
const want = { ranges: [{ first: 0, count: 12 }], partitions: 3 };
const mirrorOf = (records: Placed[]): ObservedRecord[] => records.map((a) => ({ ...a, altered: false }));
const indexOf = (records: Placed[]) => records.map((a) => ({ seq: a.seq, altered: false }));

describe('accounting is per distinct record', () => {
  it('does not invent a duplicate when the verifier reads the same (partition, offset) twice', () => {
    const observed = mirrorOf(acked);
    observed.push({ ...observed[4] }); // re-read after a rebalance: same partition, same offset
    expect(accountFor(want, observed, indexOf(acked)).duplicated).toBe(0);
  });

  it('counts a record Kafka really holds twice as duplicated, and produced per distinct message', () => {
    // a retried produce found seq 4 written twice upstream; both copies were mirrored
    const observed = [...mirrorOf(acked), { seq: 4, partition: 1, offset: 9, altered: false }];
    const a = accountFor(want, observed, indexOf(acked));
    expect(a.produced).toBe(12);
    expect(a.duplicated).toBe(1);
    expect(a.lost).toBe(0);
  });
});

describe('content is judged against what was produced', () => {
  const v1 = JSON.stringify(STUDENT_SCHEMA_V1);
  const good = studentFor('run1', 3, schemaFields(v1));
  it('matches a record of a known generation with the right content', () => {
    expect(contentAltered('run1', 3, 1, { '1': v1 }, good)).toBe(false);
  });
  it('counts a record whose generation header is missing as altered', () => {
    expect(contentAltered('run1', 3, Number(undefined), { '1': v1 }, good)).toBe(true);
  });
  it('counts a record of an unknown generation as altered', () => {
    expect(contentAltered('run1', 3, 7, { '1': v1 }, good)).toBe(true);
  });
});

describe("the registry's compatibility verdict is what the registry said", () => {
  it('is unknown when the registry does not answer the check', () => {
    expect(registryVerdict({ status: 503, body: undefined })).toBe('unknown');
    expect(registryVerdict({ status: 404, body: { is_compatible: undefined } })).toBe('unknown');
  });
  it('is compatible or incompatible only when the registry says so', () => {
    expect(registryVerdict({ status: 200, body: { is_compatible: true } })).toBe('compatible');
    expect(registryVerdict({ status: 200, body: { is_compatible: false } })).toBe('incompatible');
  });
  it('reads the compatibility level as unknown when neither the subject nor the global config answers', () => {
    expect(compatibilityLevel({ status: 500, body: {} }, { status: 500, body: {} })).toBe('unknown');
    expect(compatibilityLevel({ status: 404, body: {} }, { status: 200, body: { compatibilityLevel: 'FULL' } })).toBe('FULL');
  });
});

describe('latency', () => {
  it('keeps a negative sample (clock skew) negative, and counts it', () => {
    expect(latencyMs({ timestamp: 1000, producedAt: 1005 })).toBe(-5);
    const f = latencyFigures([
      [1, 10],
      [2, -5],
      [3, 20],
    ]);
    expect(f.negative).toBe(1);
    expect(f.count).toBe(3);
  });
});

describe('a scan that does not reach the end of the log', () => {
  it('fails (retryable) instead of returning part of the list', async () => {
    // a broker that reports 10 records in partition 0 but never delivers them
    const kafka = {
      admin: () => ({
        connect: async () => undefined,
        disconnect: async () => undefined,
        deleteGroups: async () => undefined,
        fetchTopicOffsets: async () => [{ partition: 0, high: '10', low: '0', offset: '10' }],
      }),
      consumer: () => ({
        events: { GROUP_JOIN: 'consumer.group_join' },
        on: () => undefined,
        connect: async () => undefined,
        disconnect: async () => undefined,
        subscribe: async () => undefined,
        run: async () => undefined,
      }),
    } as unknown as Kafka;
    await expect(scanRunRecords(kafka, 't', { 0: '0' }, 'run1', () => undefined, { timeoutMs: 300 })).rejects.toThrow(ReadIncompleteError);
  });
});

describe('a fault the load did not run through was not tested', () => {
  const windows = [
    { from: Date.UTC(2026, 0, 1, 0, 0, 5), to: Date.UTC(2026, 0, 1, 0, 0, 25), kind: 'link-cut' },
    { from: Date.UTC(2026, 0, 1, 0, 0, 30), to: Date.UTC(2026, 0, 1, 0, 0, 45), kind: 'connect-pause' },
  ];
  it('names each fault during which no record of the run was produced', () => {
    expect(untestedFaults(windows, [0, 12])).toEqual([
      'no record of this run was produced during link-cut (2026-01-01T00:00:05.000Z to 2026-01-01T00:00:25.000Z): the fault was not tested under load',
    ]);
  });
  it('passes faults the load ran through', () => {
    expect(untestedFaults(windows, [3, 12])).toEqual([]);
  });
});
