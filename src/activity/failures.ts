import { ApplicationFailure } from '@temporalio/activity';
import { isLabError } from '../errors';

/**
 * The activity boundary: our errors become ApplicationFailures with their stable type, marked
 * non-retryable where another attempt cannot help. KafkaJS errors keep their own `retriable` flag.
 */
export function toApplicationFailure(e: unknown): unknown {
  if (isLabError(e)) {
    return ApplicationFailure.create({
      type: e.type,
      message: e.oneLine(),
      nonRetryable: !e.retryable,
      cause: e,
      details: e.details === undefined ? undefined : [e.details],
    });
  }
  const k = e as { name?: string; retriable?: boolean; message?: string };
  if (k?.name?.startsWith('KafkaJS')) {
    return ApplicationFailure.create({
      type: k.name,
      message: k.message ?? k.name,
      nonRetryable: k.retriable === false && k.name !== 'KafkaJSNumberOfRetriesExceeded',
    });
  }
  return e;
}

/** Wraps an activity function so every error it throws crosses the boundary as above. */
export function boundary<I, O>(fn: (input: I) => Promise<O>): (input: I) => Promise<O> {
  return async (input: I) => {
    try {
      return await fn(input);
    } catch (e) {
      throw toApplicationFailure(e);
    }
  };
}
