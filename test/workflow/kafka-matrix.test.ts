import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrillActivities } from '../../src/contracts/activities';
import type { DrillConfig } from '../../src/domain/drill-input';
import type { KafkaMatrixInput } from '../../src/domain/kafka-matrix';
import { createSchedule, deleteSchedule, listSchedules } from '../../src/temporal/schedules';
import { pollUntil } from '../../src/util/poll';
import { followSeries } from '../../src/temporal/series-runner';
import { kafkaMatrixWorkflow } from '../../workflows';
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

async function runMatrix(activities: DrillActivities, input: KafkaMatrixInput) {
  const taskQueue = `wf-matrix-${++queue}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await workflowBundle(), activities });
  const workflowId = `matrix-test-${queue}-${Date.now()}`;
  return {
    workflowId,
    result: await worker.runUntil(env.client.workflow.execute(kafkaMatrixWorkflow, { taskQueue, workflowId, args: [input] })),
  };
}

describe('kafkaMatrixWorkflow', () => {
  it('runs the drill once per Kafka version, in order, each on its own lab, and gives one verdict per version', async () => {
    const calls: string[] = [];
    const provisioned: string[] = [];
    const healthy = mockActivities(calls);
    const activities = mockActivities(calls, {
      provisionDrillLab: async (input: { config: DrillConfig }) => {
        const c = input.config;
        provisioned.push(`${c.kafkaVersion}@${c.labId}:${c.portOffset}`);
        // one version's lab does not come up: that version fails, the others still run
        if (c.kafkaVersion === '4.3.0') throw ApplicationFailure.nonRetryable('broker did not answer', 'ComponentUnhealthy');
        return healthy.provisionDrillLab(input);
      },
    });
    const { workflowId, result } = await runMatrix(activities, { drill: { labId: 'nightly', portOffset: 13000 } });
    expect(provisioned).toEqual(['3.9.1@nightly-k391:13000', '4.3.0@nightly-k430:13100']);
    expect(result).toMatchObject({ kind: 'kafka-matrix', verdict: 'failed' });
    expect(result.runs.map((r) => [r.label, r.input.kafkaVersion, r.verdict, r.report?.failedStep ?? '', r.workflowId])).toEqual([
      ['k3.9.1', '3.9.1', 'passed', '', `${workflowId}-k3.9.1`],
      ['k4.3.0', '4.3.0', 'failed', 'provision', `${workflowId}-k4.3.0`],
    ]);
    expect(result.runs[0].report?.accounting).toMatchObject({ produced: 200, lost: 0, duplicated: 0 });
    expect(result.runs[0].report?.steps.map((s) => s.name)).toEqual(expect.arrayContaining(['provision', 'verify-v2', 'check-metrics']));
    // each version a child of the matrix in Temporal, the failed one as failed
    for (const r of result.runs) {
      const d = await env.client.workflow.getHandle(r.workflowId).describe();
      expect(d.parentExecution?.workflowId).toBe(workflowId);
      expect(d.status.name).toBe(r.verdict === 'passed' ? 'COMPLETED' : 'FAILED');
    }
  });

  it('is followed by the CLI run by run: each start, its steps, its verdict, in order', async () => {
    const taskQueue = `wf-matrix-${++queue}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: await workflowBundle(),
      activities: mockActivities([]),
    });
    const workflowId = `matrix-follow-${queue}-${Date.now()}`;
    const handle = await env.client.workflow.start(kafkaMatrixWorkflow, { taskQueue, workflowId, args: [{}] });
    const seen: string[] = [];
    const outcome = await followSeries(
      env.client,
      handle,
      {
        onRunStart: (r, total) => seen.push(`start ${r.label} ${r.index + 1}/${total}`),
        onStep: (s) => seen.push(s.name),
        onRunEnd: (r) => seen.push(`end ${r.label} ${r.verdict}`),
      },
      worker,
    );
    expect(outcome.result?.verdict).toBe('passed');
    const drill = (label: string) => [
      `start ${label}`,
      ...outcome.result!.runs.find((r) => r.label === label.split(' ')[0])!.report!.steps.map((s) => s.name),
      `end ${label.split(' ')[0]} passed`,
    ];
    expect(seen).toEqual([...drill('k3.9.1 1/2'), ...drill('k4.3.0 2/2')]);
    expect(seen).toContain('teardown');
  });

  it('refuses an unknown version before any drill starts', async () => {
    const calls: string[] = [];
    const failure = await runMatrix(mockActivities(calls), { kafkaVersions: ['3.9.1', '9.9.9'] }).catch((e: Error) => e);
    expect((failure as Error).cause).toMatchObject({
      message: expect.stringMatching(/unknown Kafka version "9\.9\.9"/),
      type: 'InvalidInput',
    });
    expect(calls).toEqual([]);
  });

  it('is what `lab schedule create --matrix` schedules, and `schedule list` shows it as a matrix', async () => {
    const name = `wf-matrix-schedule-${Date.now()}`;
    await createSchedule(env.client, { name, cron: '0 2 * * *', input: { labId: 'nightly' }, matrix: {} });
    try {
      // Temporal lists schedules from its visibility store, which may lag the create by a moment.
      const s = await pollUntil(
        async () => {
          const found = (await listSchedules(env.client)).find((x) => x.name === name);
          return found ? { done: true as const, value: found } : { done: false as const, detail: `${name} not listed yet` };
        },
        { timeoutMs: 10_000, intervalMs: 200, onTimeout: (last) => new Error(last) },
      );
      expect(s.matrix).toEqual({ kafkaVersions: ['3.9.1', '4.3.0'] });
      expect(s.input).toMatchObject({ labId: 'nightly', keepLab: true });
    } finally {
      await deleteSchedule(env.client, name);
    }
  });
});
