import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../helpers/temporal-env';

// Histories recorded by earlier versions of the drill workflow on the same task queue: a worker
// upgraded mid-drill must replay them to the same commands, or the drills in flight fail.
const histories = resolve(__dirname, 'histories');
// A parent's children's ids derive from its own: such a history replays under the id it was recorded with.
const replay = async (file: string, workflowId?: string) => {
  const history = temporal.api.history.v1.History.fromObject(JSON.parse(readFileSync(resolve(histories, file), 'utf8')));
  await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, workflowId)).resolves.toBeUndefined();
};

describe('replaying histories of earlier workflow versions', () => {
  it('replays a fault drill that timed its faults from the step start (before faults-from-load-start)', async () => {
    await replay('fault-drill-v3-before-load-start.json');
  });

  it('replays a Kafka version matrix from before drill series (one version passed, one failed at provision)', async () => {
    await replay('kafka-matrix-v1-before-series.json', 'matrix-gen');
  });

  // Recorded with the stub activities of test/helpers/mock-activities.ts before the steps were
  // declared once and the report assembled from their results: one per path through the drill
  // (passing, failover, faults during the load, the load failing under a fault, observing only,
  // a failed verdict, failed metrics, a failed teardown, a cancelled drill).
  const v4 = readdirSync(histories).filter((f) => f.startsWith('drill-v4-'));
  it.each(v4)('replays %s', replay);
});
