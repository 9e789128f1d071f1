import { describe, expect, it } from 'vitest';
import { lagProblems, type PartitionLag } from '../../src/kafka/mirror-lag';

const at = Date.parse('2026-12-03T10:00:00Z');
const lag = (partition: number, l: Partial<PartitionLag>): PartitionLag => ({
  partition,
  upstreamOffset: '41',
  producedAt: at,
  caughtUp: false,
  ...l,
});

describe('mirror lag per partition', () => {
  it('passes partitions caught up or arrived within the bound', () => {
    expect(lagProblems([lag(0, { caughtUp: true }), lag(1, { lagMs: 5_000 })], 20_000)).toEqual([]);
  });

  it('names the one stalled partition, however well the others do', () => {
    expect(lagProblems([lag(0, { caughtUp: true }), lag(1, {}), lag(2, { lagMs: 10 })], 20_000)).toEqual([
      'partition 1: upstream offset 41 (produced 2026-12-03T10:00:00.000Z) is not downstream after 20 s: the mirror is stalled on it or further behind than that',
    ]);
  });

  it('fails a partition whose copy arrived, but later than the bound', () => {
    expect(lagProblems([lag(2, { lagMs: 95_000 })], 60_000)).toEqual(['partition 2: the mirror is 95 s behind (limit 60 s)']);
  });
});
