import { sleep } from './sleep';

export type PollResult<T> = { done: true; value: T } | { done: false; detail: string };

export interface PollOptions {
  timeoutMs: number;
  intervalMs: number;
  /**
   * The first wait, doubled at each "not yet" up to intervalMs: for what is usually there within a
   * second (a record mirrored, a document indexed) but may take minutes, where a steady short
   * interval would put a costly check in a tight loop.
   */
  firstIntervalMs?: number;
  /** An activity's cancellation: the wait stops at once, rejecting with the signal's reason. */
  signal?: AbortSignal;
  /** Called with each "not yet" (heartbeat details, progress lines). */
  onProgress?: (detail: string) => void;
  /** The error for a wait that ran out of time, given the last "not yet". */
  onTimeout: (lastDetail: string) => Error;
}

/**
 * The one way this project waits for something: check, and until it is done, wait and check again,
 * until a deadline or a cancellation. Never sleeps a fixed time when the answer is already there.
 */
export async function pollUntil<T>(check: () => Promise<PollResult<T>>, opts: PollOptions): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  let interval = Math.min(opts.firstIntervalMs ?? opts.intervalMs, opts.intervalMs);
  for (;;) {
    if (opts.signal?.aborted) throw opts.signal.reason ?? new Error('cancelled');
    const r = await check();
    if (r.done) return r.value;
    opts.onProgress?.(r.detail);
    if (Date.now() >= deadline) throw opts.onTimeout(r.detail);
    await sleep(Math.min(interval, Math.max(0, deadline - Date.now())), opts.signal);
    interval = Math.min(interval * 2, opts.intervalMs);
  }
}
