import { describe, expect, it } from 'vitest';
import { sleep } from '../../src/util/sleep';

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
