import { describe, expect, it } from 'vitest';
import { nextChunk } from '../../src/kafka/produce-lanes';

describe("a lane's next send", () => {
  it('carries a tenth of a second of messages when the lane is on time', () => {
    expect(nextChunk(250, 0, 0)).toBe(25);
    expect(nextChunk(250, 1000, 250)).toBe(25);
    expect(nextChunk(3, 0, 0)).toBe(1);
  });
  it('carries everything due when the lane fell behind, so a slow broker does not slow the load for good', () => {
    // 10 s into a 250 msg/s lane with 1,000 sent: 1,500 are due
    expect(nextChunk(250, 10_000, 1000)).toBe(1500);
    // never more than one send's worth
    expect(nextChunk(250, 60_000, 0)).toBe(2000);
  });
  it('carries a full send when the load is not rate-limited', () => {
    expect(nextChunk(0, 5, 10_000)).toBe(2000);
  });
});
