import { ServiceUnreachableError } from '../errors';
import { sleep, withinDeadline } from '../util/sleep';
import {
  allBelow,
  disasterDue,
  disasterOver,
  laneCursor,
  nextChunk,
  SEND_DEADLINE_MS,
  type LaneProgress,
  type LaneRecord,
  type LaneSpec,
} from './lane';

/** What a batch engine gives its lane: a send that resolves once Kafka acknowledged every record, and a close. */
export interface BatchSender {
  send(records: LaneRecord[], onResend: (messages: number) => void): Promise<void>;
  close(): Promise<void>;
}

/**
 * A lane of an engine that sends a batch and awaits its answer (kafkajs, @platformatic/kafka): its
 * messages in order, a chunk per send, one send at a time (so a partition's records land in
 * order), progress reported after each. (Two sends in flight measured no faster here: the cores are
 * busy, not waiting.)
 */
export async function runBatchLane(
  spec: LaneSpec,
  sender: BatchSender,
  report: (p: LaneProgress) => void,
  signal?: AbortSignal,
): Promise<void> {
  const cursor = laneCursor(spec);
  const endpoint = spec.bootstrap.join(',');
  try {
    const startedAt = Date.now();
    let sent = 0;
    // Unpaced, the next chunk is built while the broker answers this one: still one send in flight,
    // but the lane's CPU (the records) overlaps the broker's (the write).
    let ahead: LaneRecord[] | undefined;
    while ((ahead?.length || !cursor.finished) && !disasterOver(spec)) {
      // A steady load: never ahead of `rate` messages per second since this attempt started.
      if (spec.rate) await sleep(Math.max(0, startedAt + (sent / spec.rate) * 1000 - Date.now()), signal);
      else signal?.throwIfAborted();
      const records = ahead ?? cursor.take(nextChunk(spec.rate, Date.now() - startedAt, sent));
      ahead = undefined;
      if (records.length === 0) continue;
      const ackedBelow = allBelow(spec, cursor.position);
      const sending = withinDeadline(
        sender.send(records, (resent) => report({ resent })),
        SEND_DEADLINE_MS,
        () => new ServiceUnreachableError('Kafka', endpoint, `a send to ${spec.topic} went unanswered for ${SEND_DEADLINE_MS / 1000} s`),
      );
      if (!spec.rate) ahead = cursor.take(nextChunk(0, 0, 0));
      // once the disaster is due, a send that fails is the cluster dying: the lane ends with what was acknowledged
      if (
        !(await sending.then(
          () => true,
          (e: unknown) => (disasterDue(spec) ? false : Promise.reject(e)),
        ))
      )
        break;
      sent += records.length;
      report({ acked: records.length, ackedBelow });
    }
  } finally {
    // a producer whose send hung may hang here too; the next attempt starts a new one
    await withinDeadline(sender.close(), 10_000, () => new Error('close hung')).catch(() => undefined);
  }
}
