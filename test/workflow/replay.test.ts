import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowBundle } from '../helpers/temporal-env';

// Histories recorded by earlier versions of the drill workflow on the same task queue: a worker
// upgraded mid-drill must replay them to the same commands, or the drills in flight fail.
const histories = resolve(__dirname, 'histories');

describe('replaying histories of earlier workflow versions', () => {
  it('replays a fault drill that timed its faults from the step start (before faults-from-load-start)', async () => {
    const history = temporal.api.history.v1.History.fromObject(
      JSON.parse(readFileSync(resolve(histories, 'fault-drill-v3-before-load-start.json'), 'utf8')),
    );
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history)).resolves.toBeUndefined();
  });

  it('replays a Kafka version matrix from before drill series (one version passed, one failed at provision)', async () => {
    const history = temporal.api.history.v1.History.fromObject(
      JSON.parse(readFileSync(resolve(histories, 'kafka-matrix-v1-before-series.json'), 'utf8')),
    );
    // the children's ids derive from the parent's: replayed under the id it was recorded with
    await expect(Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, 'matrix-gen')).resolves.toBeUndefined();
  });
});
