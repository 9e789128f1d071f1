import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Context } from '@temporalio/activity';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrillActivities } from '../../src/contracts/activities';
import type { DrillConfig } from '../../src/domain/drill-input';
import type { PlacementInput } from '../../src/domain/placement';
import { placementExperimentWorkflow } from '../../workflows';
import { seriesProgressQuery } from '../../workflows/messages';
import { mockActivities } from '../helpers/mock-activities';
import { localTemporal, workflowBundle } from '../helpers/temporal-env';

let env: TestWorkflowEnvironment;
let queue = 0;

beforeAll(async () => {
  env = await localTemporal();
});
afterAll(async () => {
  await env?.teardown();
});

async function worker(activities: DrillActivities) {
  const taskQueue = `wf-placement-${++queue}`;
  const w = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities });
  return { worker: w, taskQueue, workflowId: `placement-test-${queue}-${Date.now()}` };
}

const provisioned = (into: string[], fail?: (c: DrillConfig) => boolean): Partial<DrillActivities> => {
  const healthy = mockActivities([]);
  return {
    provisionDrillLab: async (input: { config: DrillConfig }) => {
      const c = input.config;
      into.push(`${c.connectPlacement}@${c.labId}:${c.portOffset} ${c.faults.inject.map((f) => f.kind).join('+')}`);
      if (fail?.(c)) throw ApplicationFailure.nonRetryable('broker did not answer', 'ComponentUnhealthy');
      return healthy.provisionDrillLab(input);
    },
  };
};

describe('placementExperimentWorkflow', () => {
  it('drills each placement on its own lab and ports as child workflows; a failed trial fails the series, the others still run', async () => {
    const labs: string[] = [];
    const calls: string[] = [];
    // the first upstream trial's lab does not come up
    let upstreamTrials = 0;
    const activities = mockActivities(
      calls,
      provisioned(labs, (c) => c.connectPlacement === 'upstream' && ++upstreamTrials === 1),
    );
    const { worker: w, taskQueue, workflowId } = await worker(activities);
    const input: PlacementInput = {
      trials: 2,
      drill: { labId: 'pl', portOffset: 13000, faults: { inject: [{ kind: 'link-cut', durationSeconds: 1 }] } },
    };
    const result = await w.runUntil(env.client.workflow.execute(placementExperimentWorkflow, { taskQueue, workflowId, args: [input] }));
    expect(labs).toEqual([
      'downstream@pl-downstream:13000 link-cut',
      'downstream@pl-downstream:13000 link-cut',
      'upstream@pl-upstream:13100 link-cut',
      'upstream@pl-upstream:13100 link-cut',
    ]);
    expect(result.kind).toBe('placement');
    expect(result.verdict).toBe('failed');
    expect(result.runs.map((r) => [r.label, r.workflowId, r.verdict, r.report?.failedStep ?? ''])).toEqual([
      ['downstream-1', `${workflowId}-downstream-1`, 'passed', ''],
      ['downstream-2', `${workflowId}-downstream-2`, 'passed', ''],
      ['upstream-1', `${workflowId}-upstream-1`, 'failed', 'provision'],
      ['upstream-2', `${workflowId}-upstream-2`, 'passed', ''],
    ]);
    for (const r of result.runs) {
      const d = await env.client.workflow.getHandle(r.workflowId).describe();
      expect(d.type).toBe('chapterDrillWorkflow');
      expect(d.parentExecution?.workflowId).toBe(workflowId);
    }
  });

  it('cancelled, cancels the running child, which tears its lab down; no later trial starts', async () => {
    const calls: string[] = [];
    let producing!: () => void;
    const started = new Promise<void>((r) => (producing = r));
    const activities = mockActivities(calls, {
      // the load runs until cancelled, heartbeating so the cancellation reaches it
      produceStudents: async () => {
        calls.push('produceStudents');
        producing();
        for (;;) {
          Context.current().heartbeat();
          await Context.current().sleep(100);
        }
      },
    });
    const { worker: w, taskQueue, workflowId } = await worker(activities);
    const outcome = await w.runUntil(async () => {
      const handle = await env.client.workflow.start(placementExperimentWorkflow, {
        taskQueue,
        workflowId,
        args: [{ trials: 1, drill: {} }],
      });
      await started;
      const progress = await handle.query(seriesProgressQuery);
      expect(progress.current).toMatchObject({ label: 'downstream-1', workflowId: `${workflowId}-downstream-1` });
      await handle.cancel();
      return handle.result().catch((e: unknown) => e);
    });
    expect(outcome).toBeInstanceOf(WorkflowFailedError);
    expect((outcome as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
    expect(calls).toContain('teardownDrillLab');
    expect(calls.filter((c) => c === 'provisionDrillLab')).toHaveLength(1);
    const child = await env.client.workflow.getHandle(`${workflowId}-downstream-1`).describe();
    expect(child.status.name).toBe('CANCELLED');
    await expect(env.client.workflow.getHandle(`${workflowId}-upstream-1`).describe()).rejects.toThrow(/not found/i);
  });
});
