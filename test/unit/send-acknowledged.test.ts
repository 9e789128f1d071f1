import type { Producer, ProducerRecord, RecordMetadata } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { ServiceUnreachableError } from '../../src/errors';
import { sendAcknowledged, unacknowledgedPartitions, type PartitionedMessage } from '../../src/kafka/send-acknowledged';

const answer = (partition: number, errorCode = 0) => ({ topicName: 't', partition, errorCode }) as RecordMetadata;

/** A producer whose sends answer as scripted (kafkajs resolving a send with a partition left out). */
function scripted(answers: number[][]) {
  const sends: ProducerRecord[] = [];
  const producer = {
    send: async (r: ProducerRecord) => {
      sends.push(r);
      return (answers[sends.length - 1] ?? [...new Set(r.messages.map((m) => m.partition!))]).map((p) => answer(p));
    },
  } as unknown as Producer;
  return { producer, sends };
}

const msgs: PartitionedMessage[] = [0, 1, 2, 3, 4, 5].map((seq) => ({ key: String(seq), value: `v${seq}`, partition: seq % 2 }));

describe('unacknowledgedPartitions', () => {
  it('names the partitions a send carried that its answer leaves out or answers with an error', () => {
    expect(unacknowledgedPartitions([0, 2, 0, 2], [answer(0)])).toEqual([2]);
    expect(unacknowledgedPartitions([1, 0], [answer(0, 6), answer(1)])).toEqual([0]);
    expect(unacknowledgedPartitions([0, 1], [answer(1), answer(0)])).toEqual([]);
  });
});

describe('sendAcknowledged', () => {
  it('sends again exactly the messages of a partition the answer left out, and only those', async () => {
    const { producer, sends } = scripted([[0]]);
    const resent: [number[], number][] = [];
    await sendAcknowledged(producer, 't', msgs, (p, n) => resent.push([p, n]));
    expect(sends).toHaveLength(2);
    expect(sends[0].messages).toEqual(msgs);
    expect(sends[1].messages).toEqual(msgs.filter((m) => m.partition === 1));
    expect(sends.every((s) => s.acks === -1)).toBe(true);
    expect(resent).toEqual([[[1], 3]]);
  });

  it('sends once when every partition is acknowledged', async () => {
    const { producer, sends } = scripted([]);
    await sendAcknowledged(producer, 't', msgs);
    expect(sends).toHaveLength(1);
  });

  it('gives up with a retryable error naming the partition when it is never acknowledged', async () => {
    const { producer, sends } = scripted([[0], [], [], [], [], []]);
    const e = await sendAcknowledged(producer, 't', msgs).catch((x) => x);
    expect(e).toBeInstanceOf(ServiceUnreachableError);
    expect(e.retryable).toBe(true);
    expect(e.message).toBe('Kafka not reachable at topic t: partition(s) 1 not acknowledged after 5 sends');
    expect(sends).toHaveLength(5);
  });
});
