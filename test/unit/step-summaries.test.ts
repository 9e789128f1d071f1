import { describe, expect, it } from 'vitest';
import type { ProduceOutput } from '../../src/contracts/produce';
import { summaries } from '../../src/drill/step-summaries';

const produced: ProduceOutput = {
  schemaId: 1,
  subject: 't-value',
  range: { first: 0, count: 100 },
  acknowledged: 100,
  resumed: 0,
  writtenTwice: 0,
  startedAt: 0,
  durationMs: 1000,
  messagesPerSecond: 100,
};

describe('the produce step summary', () => {
  it('says what was acknowledged, and nothing more on a plain run', () => {
    expect(summaries.produce(produced)).toBe('100 acknowledged (schema id 1) at 100 msg/s');
  });

  it('says how many messages were sent again after kafkajs left them unwritten', () => {
    expect(summaries.produce({ ...produced, resent: 20 })).toBe(
      '100 acknowledged (schema id 1) at 100 msg/s; 20 sent again after kafkajs left them unwritten',
    );
  });

  it('says what an earlier attempt wrote, once or twice', () => {
    expect(summaries.produce({ ...produced, resumed: 40, writtenTwice: 2 })).toBe(
      '100 acknowledged (schema id 1, 40 from an earlier attempt, 2 written twice) at 100 msg/s',
    );
  });
});
