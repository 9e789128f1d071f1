import { describe, expect, it } from 'vitest';
import { sleep, withinDeadline } from '../../src/util/sleep';

describe('sleep with a cancellation signal', () => {
  it('stops at once when the signal aborts, with its reason', async () => {
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(new Error('activity cancelled')), 20);
    await expect(sleep(60_000, ac.signal)).rejects.toThrow('activity cancelled');
    expect(Date.now() - started).toBeLessThan(1000);
  });
  it('rejects without waiting when already aborted, and waits normally otherwise', async () => {
    const ac = new AbortController();
    ac.abort(new Error('gone'));
    await expect(sleep(60_000, ac.signal)).rejects.toThrow('gone');
    await expect(sleep(5, new AbortController().signal)).resolves.toBeUndefined();
  });
});

describe('withinDeadline', () => {
  it("rejects with onLate's error when the work has not settled in time, and passes a timely result or error through", async () => {
    const never = new Promise<number>(() => undefined);
    const started = Date.now();
    await expect(withinDeadline(never, 30, () => new Error('went unanswered'))).rejects.toThrow('went unanswered');
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(withinDeadline(Promise.resolve(7), 1000, () => new Error('late'))).resolves.toBe(7);
    await expect(withinDeadline(Promise.reject(new Error('refused')), 1000, () => new Error('late'))).rejects.toThrow('refused');
  });
});
