import { Context } from '@temporalio/activity';

/**
 * Heartbeats every few seconds with the latest progress while a long activity works, so the
 * server notices a dead worker quickly and the UI shows how far the activity got.
 */
export function keepHeartbeating(intervalMs = 5000) {
  const ctx = Context.current();
  let details: unknown = undefined;
  ctx.heartbeat(details);
  const timer = setInterval(() => ctx.heartbeat(details), intervalMs);
  return {
    set(d: unknown) {
      details = d;
      // Sent at once (the SDK throttles): a retry must find what this attempt recorded.
      ctx.heartbeat(details);
    },
    stop() {
      clearInterval(timer);
    },
    signal: ctx.cancellationSignal,
  };
}

/** Runs `fn` while heartbeating; `progress` updates the heartbeat details. */
export async function withHeartbeat<T>(fn: (progress: (d: unknown) => void, signal: AbortSignal) => Promise<T>): Promise<T> {
  const hb = keepHeartbeating();
  try {
    return await fn((d) => hb.set(d), hb.signal);
  } finally {
    hb.stop();
  }
}
