/**
 * Waits `ms`; with a signal, stops at once when it aborts (an activity's cancellation), rejecting
 * with its reason, so a cancelled drill's activities stop polling within a heartbeat.
 */
export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('cancelled'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason ?? new Error('cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * `work`, or `onLate()`'s error when it has not settled within `ms`. For a call that can wait
 * forever on a peer that stopped answering; `work` itself goes on (nothing can stop it), its result
 * is dropped.
 */
export function withinDeadline<T>(work: Promise<T>, ms: number, onLate: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onLate()), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
}
