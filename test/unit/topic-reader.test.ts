import type { Kafka, KafkaMessage } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { openTopicReader, unreadBehind } from '../../src/kafka/topic-reader';

/**
 * A consumer whose batches the test delivers by hand, as kafkajs would after a rebalance, and that
 * joins its group on run() and again whenever the test says (kafkajs rebuilding a crashed consumer).
 */
function fakeKafka(lows: Record<number, string> = { 0: '0', 1: '0' }) {
  let eachBatch: ((p: { batch: { partition: number; messages: Partial<KafkaMessage>[] } }) => Promise<void>) | undefined;
  const seeks: { partition: number; offset: string }[] = [];
  const onJoin: (() => void)[] = [];
  const join = () => onJoin.forEach((f) => f());
  const kafka = {
    consumer: () => ({
      events: { GROUP_JOIN: 'consumer.group_join' },
      on: (event: string, f: () => void) => void (event === 'consumer.group_join' && onJoin.push(f)),
      connect: async () => undefined,
      disconnect: async () => undefined,
      subscribe: async () => undefined,
      run: async (o: { eachBatch: typeof eachBatch }) => {
        eachBatch = o.eachBatch;
        join();
      },
      seek: (s: { partition: number; offset: string }) => void seeks.push(s),
    }),
    admin: () => ({
      connect: async () => undefined,
      disconnect: async () => undefined,
      deleteGroups: async () => undefined,
      fetchTopicOffsets: async () => Object.entries(lows).map(([p, low]) => ({ partition: Number(p), low, high: '100' })),
    }),
  } as unknown as Kafka;
  return {
    kafka,
    seeks,
    join,
    deliver: (partition: number, offsets: string[]) =>
      eachBatch!({ batch: { partition, messages: offsets.map((offset) => ({ offset })) } }),
  };
}

describe('the topic reader', () => {
  it('hands over each (partition, offset) once, also when a rebalance delivers part of the log again', async () => {
    const f = fakeKafka();
    const seen: string[] = [];
    const reader = await openTopicReader(f.kafka, 't', { 0: '5', 1: '0' }, (p, m) => {
      seen.push(`${p}:${m.offset}`);
    });
    expect(f.seeks).toEqual([
      { topic: 't', partition: 0, offset: '5' },
      { topic: 't', partition: 1, offset: '0' },
    ]);
    await f.deliver(0, ['5', '6', '7']);
    await f.deliver(1, ['0']);
    await f.deliver(0, ['6', '7', '8']); // re-read after a rebalance
    expect(seen).toEqual(['0:5', '0:6', '0:7', '1:0', '0:8']);
    expect(reader.positions()).toEqual(
      new Map([
        [0, 9n],
        [1, 1n],
      ]),
    );
    await reader.close();
  });

  it('seeks again to what it has handed over when the consumer joins anew (kafkajs restarts a crashed consumer without its seeks)', async () => {
    const f = fakeKafka();
    const reader = await openTopicReader(f.kafka, 't', { 0: '5', 1: '0' }, () => undefined);
    await f.deliver(0, ['5', '6']);
    f.seeks.length = 0;
    f.join();
    expect(f.seeks).toEqual([
      { topic: 't', partition: 0, offset: '7' },
      { topic: 't', partition: 1, offset: '0' },
    ]);
    await reader.close();
  });

  it('starts a partition whose first records were deleted at its log start, not at an offset Kafka cannot serve', async () => {
    const f = fakeKafka({ 0: '40', 1: '0' });
    const reader = await openTopicReader(f.kafka, 't', { 0: '5', 1: '0' }, () => undefined);
    expect(f.seeks).toEqual([
      { topic: 't', partition: 0, offset: '40' },
      { topic: 't', partition: 1, offset: '0' },
    ]);
    expect(reader.positions().get(0)).toBe(40n);
    await reader.close();
  });
});

describe('what a reader has not read yet', () => {
  it('counts, per partition, the records between its position and the end', () => {
    const ends = new Map([
      [0, 100n],
      [1, 50n],
      [2, 0n],
    ]);
    expect(unreadBehind(new Map([[0, 40n]]), ends)).toEqual([
      { partition: 0, unread: 60 },
      { partition: 1, unread: 50 },
    ]);
    expect(
      unreadBehind(
        new Map([
          [0, 100n],
          [1, 50n],
        ]),
        ends,
      ),
    ).toEqual([]);
  });
});
