import { describe, expect, it } from 'vitest';
import { pollUntil } from '../../src/util/poll';

const never = async () => ({ done: false as const, detail: 'still waiting' });

describe('pollUntil', () => {
  it('returns as soon as the check is done, reporting each "not yet"', async () => {
    let n = 0;
    const seen: string[] = [];
    const v = await pollUntil(async () => (++n < 3 ? { done: false, detail: `try ${n}` } : { done: true, value: 'ok' }), {
      timeoutMs: 5000,
      intervalMs: 1,
      onProgress: (d) => seen.push(d),
      onTimeout: () => new Error('late'),
    });
    expect(v).toBe('ok');
    expect(seen).toEqual(['try 1', 'try 2']);
  });

  it('fails at the deadline with the last detail', async () => {
    await expect(pollUntil(never, { timeoutMs: 50, intervalMs: 10, onTimeout: (d) => new Error(`gave up: ${d}`) })).rejects.toThrow(
      'gave up: still waiting',
    );
  });

  it('stops within moments of a cancellation, however long the deadline', async () => {
    const ac = new AbortController();
    const started = Date.now();
    setTimeout(() => ac.abort(new Error('drill cancelled')), 30);
    await expect(
      pollUntil(never, { timeoutMs: 600_000, intervalMs: 10_000, signal: ac.signal, onTimeout: () => new Error('late') }),
    ).rejects.toThrow('drill cancelled');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('starts with firstIntervalMs and doubles the wait up to intervalMs', async () => {
    const at: number[] = [];
    const started = Date.now();
    await pollUntil(async () => (at.push(Date.now() - started), at.length < 5 ? { done: false, detail: '' } : { done: true, value: 1 }), {
      timeoutMs: 5000,
      firstIntervalMs: 50,
      intervalMs: 300,
      onTimeout: () => new Error('late'),
    });
    const waits = at.slice(1).map((t, i) => t - at[i]);
    // 50, 100, 200, then capped at 300 (timers fire late, never early; a busy machine adds tens of ms)
    expect(waits[0]).toBeGreaterThanOrEqual(49);
    expect(waits[0]).toBeLessThan(200);
    expect(waits[1]).toBeGreaterThanOrEqual(99);
    expect(waits[2]).toBeGreaterThanOrEqual(199);
    expect(waits[3]).toBeGreaterThanOrEqual(299);
    expect(waits[3]).toBeLessThan(600);
  });
});
