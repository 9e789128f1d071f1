import { Context } from '@temporalio/activity';
import { defaultPayloadConverter, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DrillActivities } from '../../src/contracts/activities';
import type { DrillInput } from '../../src/domain/drill-input';
import type { DrillProgress, DrillReport, StepName } from '../../src/domain/report';
import type { StepProgress } from '../../src/domain/step-progress';
import { stepProgressSignal } from '../../workflows/messages';
import { isInputProblem } from '../../src/domain/input-problem';
import { resolveDrillInput } from '../../src/domain/resolve-drill-input';
import { plannedSteps } from '../../src/domain/steps';
import { reportFromFailure } from '../../src/temporal/drill-runner';
import { chapterDrillWorkflow } from '../../workflows';
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

/** Runs the drill on its own task queue with the given stub activities. */
async function runWith(activities: DrillActivities, input: DrillInput = {}, during?: (id: string) => Promise<void>) {
  const taskQueue = `wf-test-${++queue}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities,
    // as the drill's worker does: cancellation reaches a heartbeating activity within a second or two
    maxHeartbeatThrottleInterval: '1s',
    defaultHeartbeatThrottleInterval: '1s',
  });
  const workflowId = `drill-test-${queue}-${Date.now()}`;
  return worker.runUntil(async () => {
    const handle = await env.client.workflow.start(chapterDrillWorkflow, { taskQueue, workflowId, args: [input] });
    if (during) await during(workflowId);
    return handle.result().then(
      (report: DrillReport) => ({ report, error: undefined as unknown }),
      (error: unknown) => ({ report: reportFromFailure(error), error }),
    );
  });
}

/** The steps the drill plans for this input: where tests expect an order, they take it from here. */
function planOf(input: DrillInput) {
  const c = resolveDrillInput(input);
  if (isInputProblem(c)) throw new Error(c.problem);
  return plannedSteps(c);
}

const blockUntilCancelled = (calls: string[], name: string) => async () => {
  calls.push(name);
  const ctx = Context.current();
  for (;;) {
    ctx.heartbeat();
    await ctx.sleep(200); // rejects once the activity is cancelled
  }
};

describe('chapterDrillWorkflow', () => {
  it('runs the chapter steps in order with {} and returns a passing report', async () => {
    const calls: string[] = [];
    const { report, error } = await runWith(mockActivities(calls));
    expect(error).toBeUndefined();
    expect(calls).toEqual([
      'provisionDrillLab',
      'createTopic',
      'registerMirror',
      'startApps',
      'recordProduceStart',
      'produceStudents:1',
      'verifyDelivery:100',
      'evolveSchema',
      'recordProduceStart',
      'produceStudents:2',
      'verifyDelivery:200',
      'checkMetrics',
      'teardownDrillLab',
    ]);
    expect(report!.verdict).toBe('passed');
    // written out once, so that a change of the chapter's order is a deliberate edit
    expect(report!.steps.map((s) => s.name)).toEqual([
      'provision',
      'create-topic',
      'register-mirror',
      'start-apps',
      'produce-v1',
      'verify-v1',
      'evolve-schema',
      'produce-v2',
      'verify-v2',
      'check-metrics',
      'teardown',
    ]);
    expect(report!.config).toMatchObject({
      topic: 'peter-avro01-kafka1',
      mirroredTopic: 'src.peter-avro01-kafka1',
      messages: 100,
      topology: 'lite',
    });
    // each activity carries its step's name as its summary: the UI's timeline reads as the drill
    const history = await env.client.workflow.getHandle(report!.drillId).fetchHistory();
    const labelled = (history.events ?? [])
      .filter((e) => e.activityTaskScheduledEventAttributes)
      .map(
        (e) =>
          `${e.activityTaskScheduledEventAttributes!.activityType!.name}@${defaultPayloadConverter.fromPayload(e.userMetadata!.summary!)}`,
      );
    expect(labelled).toEqual([
      'provisionDrillLab@provision',
      'createTopic@create-topic',
      'registerMirror@register-mirror',
      'startApps@start-apps',
      'recordProduceStart@produce-v1',
      'produceStudents@produce-v1',
      'verifyDelivery@verify-v1',
      'evolveSchema@evolve-schema',
      'recordProduceStart@produce-v2',
      'produceStudents@produce-v2',
      'verifyDelivery@verify-v2',
      'checkMetrics@check-metrics',
      'teardownDrillLab@teardown',
    ]);
  });

  it('stops at a failed verdict, tears down, and reports the failed step', async () => {
    const calls: string[] = [];
    const acts = mockActivities(calls, {
      verifyDelivery: async (input) => {
        calls.push('verifyDelivery');
        const ok = await mockActivities([]).verifyDelivery(input);
        return { ...ok, problems: ['3 lost (e.g. seq 0, 3, 6)'] };
      },
    });
    const { report, error } = await runWith(acts);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).cause).toMatchObject({
      type: 'VerificationFailed',
      message: 'drill failed at verify-v1: verify-v1: 3 lost (e.g. seq 0, 3, 6)',
    });
    expect(report!.failedStep).toBe('verify-v1');
    expect(calls).not.toContain('evolveSchema');
    expect(calls[calls.length - 1]).toBe('teardownDrillLab');
  });

  it('fails an incompatible schema at evolve-schema without retrying it, and tears down', async () => {
    const calls: string[] = [];
    let attempts = 0;
    const acts = mockActivities(calls, {
      evolveSchema: async () => {
        attempts++;
        throw ApplicationFailure.nonRetryable(
          'schema is not BACKWARD compatible: field "age" was added without a default',
          'SchemaIncompatible',
        );
      },
    });
    const { report, error } = await runWith(acts);
    expect(attempts).toBe(1);
    expect((error as WorkflowFailedError).cause).toMatchObject({ type: 'SchemaIncompatible' });
    expect(report!.failedStep).toBe('evolve-schema');
    expect(report!.steps.find((s) => s.name === 'evolve-schema')!.error!.message).toMatch(/field "age" was added without a default/);
    expect(calls).not.toContain('produceStudents:2');
    expect(calls).toContain('teardownDrillLab');
  });

  it('retries a transient activity failure and still passes', async () => {
    const calls: string[] = [];
    let attempts = 0;
    const acts = mockActivities(calls, {
      createTopic: async () => {
        if (++attempts === 1) throw new Error('ECONNREFUSED (transient)');
        return { topic: 't', created: true, partitions: 3 };
      },
    });
    const { report } = await runWith(acts);
    expect(attempts).toBe(2);
    expect(report!.verdict).toBe('passed');
  });

  it('answers the progress query with the current step, and tears down when cancelled', async () => {
    const calls: string[] = [];
    const acts = mockActivities(calls, {
      produceStudents: blockUntilCancelled(calls, 'produceStudents') as DrillActivities['produceStudents'],
    });
    let progress: DrillProgress | undefined;
    const report = (step: StepName, done: number, at: number): StepProgress => ({
      step,
      what: 'acknowledged',
      done,
      total: 100,
      perSecond: 10,
      at,
    });
    const { error } = await runWith(acts, {}, async (id) => {
      const handle = env.client.workflow.getHandle(id);
      for (let i = 0; i < 100 && !calls.includes('produceStudents'); i++) await new Promise((r) => setTimeout(r, 100));
      // what the long step's activity reports (src/activity/step-progress.ts), the newest kept; a
      // report for a step that has not started is not shown
      await handle.signal(stepProgressSignal, report('produce-v1', 40, 1));
      await handle.signal(stepProgressSignal, report('produce-v1', 60, 2));
      await handle.signal(stepProgressSignal, report('verify-v1', 5, 3));
      progress = await handle.query('progress');
      await handle.cancel();
    });
    const plan = planOf({});
    expect(progress).toMatchObject({
      step: 'produce-v1',
      completed: plan.slice(0, plan.indexOf('produce-v1')),
      total: plan.length,
      live: [report('produce-v1', 60, 2)],
    });
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect((error as WorkflowFailedError).cause?.name).toBe('CancelledFailure');
    expect(calls[calls.length - 1]).toBe('teardownDrillLab');
  });

  it('keeps the lab when asked', async () => {
    const calls: string[] = [];
    const { report } = await runWith(mockActivities(calls), { keepLab: true });
    expect(report!.verdict).toBe('passed');
    expect(calls).not.toContain('teardownDrillLab');
  });

  it('rejects invalid input before any activity runs', async () => {
    const calls: string[] = [];
    const { error } = await runWith(mockActivities(calls), { messages: 0 });
    expect((error as WorkflowFailedError).cause).toMatchObject({
      type: 'InvalidInput',
      message: expect.stringMatching(/messages 0 is out of range/),
    });
    expect(calls).toEqual([]);
  });

  it('observes an existing flow without producing when asked', async () => {
    const calls: string[] = [];
    const { report } = await runWith(mockActivities(calls), { observeOnly: true, keepLab: true });
    expect(calls).toEqual(['provisionDrillLab', 'createTopic', 'registerMirror', 'observeFlow', 'checkMetrics']);
    expect(report!.verdict).toBe('passed');
    expect(report!.steps.map((s) => s.name)).toEqual(planOf({ observeOnly: true, keepLab: true }));
  });

  it('injects the loss fault between producing and verifying when asked', async () => {
    const calls: string[] = [];
    await runWith(mockActivities(calls), { faults: { deleteMirroredRecords: 5 } });
    expect(calls.slice(5, 8)).toEqual(['produceStudents:1', 'deleteMirroredRecords', 'verifyDelivery:100']);
  });

  it('injects faults during the steady load as steps of their own, and undoes each before verifying', async () => {
    const calls: string[] = [];
    const base = mockActivities([]);
    const acts = mockActivities(calls, {
      produceStudents: async (input) => {
        calls.push(`produceStudents:${input.generation}`);
        if (input.generation === 1) await new Promise((r) => setTimeout(r, 3000)); // the load flows for 3 s
        return base.produceStudents(input);
      },
    });
    const faults = [
      { kind: 'link-cut' as const, afterSeconds: 0, durationSeconds: 1 },
      { kind: 'connect-kill' as const, afterSeconds: 1, durationSeconds: 1 },
    ];
    const { report, error } = await runWith(acts, { messages: 5000, faults: { inject: faults } });
    expect(error).toBeUndefined();
    const verify = calls.indexOf('verifyDelivery:5000');
    for (const k of ['link-cut', 'connect-kill']) {
      expect(calls.indexOf(`injectFault:${k}`)).toBeGreaterThan(calls.indexOf('produceStudents:1'));
      expect(calls.indexOf(`undoFault:${k}`)).toBeGreaterThan(calls.indexOf(`injectFault:${k}`));
      expect(calls.indexOf(`undoFault:${k}`)).toBeLessThan(verify);
    }
    expect(report!.steps.filter((s) => s.name === 'link-cut' || s.name === 'connect-kill').map((s) => s.verdict)).toEqual([
      'passed',
      'passed',
    ]);
    expect(report!.faults).toEqual([
      { kind: 'link-cut', targets: ['x'], from: 1, to: 2 },
      { kind: 'connect-kill', targets: ['x'], from: 1, to: 2 },
    ]);
  });

  it('rehearses a failover after verify-v1: upstream down, offsets translated, the group moved, upstream back, then accounted', async () => {
    const calls: string[] = [];
    const seen: { resumeAt?: unknown; states?: unknown } = {};
    const base = mockActivities([]);
    const acts = mockActivities(calls, {
      consumeDownstream: async (input) => {
        calls.push('consumeDownstream');
        seen.resumeAt = input.resumeAt;
        return base.consumeDownstream(input);
      },
      accountFailover: async (input) => {
        calls.push('accountFailover');
        seen.states = input.states;
        return base.accountFailover(input);
      },
    });
    const { report, error } = await runWith(acts, { failover: true, messages: 600 });
    expect(error).toBeUndefined();
    expect(calls.slice(calls.indexOf('verifyDelivery:600'), calls.indexOf('evolveSchema'))).toEqual([
      'verifyDelivery:600',
      'consumeUpstream',
      'dataCenterDown',
      'translateGroupOffsets',
      'consumeDownstream',
      'dataCenterUp',
      'accountFailover',
    ]);
    // the group resumes at the checkpoints' downstream offsets, and the accounting gets every partition's story
    expect(seen.resumeAt).toEqual({ 0: 4, 1: 4, 2: 4 });
    expect(seen.states).toEqual(
      [0, 1, 2].map((partition) => ({
        partition,
        committed: 5,
        checkpoint: { upstreamOffset: 4, downstreamOffset: 4, at: 2, ageSeconds: 2 },
        resumedAt: 4,
        end: 10,
        startedAt: 4,
      })),
    );
    expect(report!.failover).toMatchObject({ targets: ['up-kafka-1'], from: 4, to: 9, accounting: { skipped: 0, twice: 3 } });
    expect(report!.steps.map((s) => s.name)).toEqual(planOf({ failover: true, messages: 600 }));
  });

  it('brings upstream back when the translation fails, and fails the drill at the failover step', async () => {
    const calls: string[] = [];
    const acts = mockActivities(calls, {
      translateGroupOffsets: async () => {
        calls.push('translateGroupOffsets');
        throw ApplicationFailure.nonRetryable('checkpoints topic unreadable', 'ServiceUnreachable');
      },
    });
    const { report } = await runWith(acts, { failover: true, messages: 600 });
    expect(report!.failedStep).toBe('failover');
    expect(calls.indexOf('dataCenterUp')).toBeGreaterThan(calls.indexOf('translateGroupOffsets'));
    expect(calls.indexOf('dataCenterUp')).toBeLessThan(calls.indexOf('teardownDrillLab'));
    expect(report!.failover!.to).toBe(9);
  });

  it('fails verify-failover with the named problem when messages were skipped', async () => {
    const base = mockActivities([]);
    const acts = mockActivities([], {
      accountFailover: async (input) => {
        const r = await base.accountFailover(input);
        return {
          accounting: { ...r.accounting, skipped: 7 },
          problems: ['src.peter-avro01-kafka1[1]: 7 message(s) the group had not processed upstream were skipped'],
        };
      },
    });
    const { report } = await runWith(acts, { failover: true, messages: 600 });
    expect(report!.failedStep).toBe('verify-failover');
    expect(report!.steps.find((s) => s.name === 'verify-failover')!.summary).toMatch(/skipped 7/);
  });

  it('runs a disaster as a runbook: the load, the group on the primary, the site lost, the DR side serving, the disks read, the figures', async () => {
    const calls: string[] = [];
    const seen: { dr?: unknown; load?: unknown; account?: unknown } = {};
    const base = mockActivities([]);
    const acts = mockActivities(calls, {
      produceStudents: async (input) => {
        if (input.stopAtMs !== undefined) seen.load = { stopAtMs: input.stopAtMs, topic: input.topic };
        const r = await base.produceStudents(input);
        calls.push(`produceStudents:${input.bootstrap[0]}`);
        return input.stopAtMs !== undefined
          ? { ...r, acknowledged: 90, ackedBelow: { 0: 90, 1: 90, 2: 90 } }
          : { ...r, firstAckAt: 11_000 };
      },
      consumeSite: async (input) => {
        if (input.toEnd) seen.dr = { resumeAt: input.resumeAt, atLeast: input.atLeast, topics: input.topics };
        return base.consumeSite(input);
      },
      accountDisaster: async (input) => {
        seen.account = {
          upstream: input.upstream,
          disasterAt: input.disasterAt,
          firstAckDr: input.firstAckDr,
          firstProcessedDr: input.firstProcessedDr,
        };
        calls.push('accountDisaster');
        return base.accountDisaster(input);
      },
    });
    const input = { disaster: { afterSeconds: 15, outageSeconds: 20 }, rate: 10, messages: 600 };
    const { report, error } = await runWith(acts, input);
    expect(error).toBeUndefined();
    // every step of the plan ran (the load's step ends after the disaster it runs through)
    expect(report!.steps.map((s) => s.name).sort()).toEqual(planOf(input).sort());
    expect(report!.steps.map((s) => s.name)).not.toContain('pause-mirror');
    // the load stops when the primary is due to die (its start, 1, plus 15 s)
    expect(seen.load).toEqual({ stopAtMs: 15_001, topic: 'peter-avro01-kafka1' });
    // the group resumes at the translated offsets on the mirror, and from the start on the DR topic, reading at least what the DR producer writes
    expect(seen.dr).toEqual({
      topics: ['src.peter-avro01-kafka1', 'peter-avro01-kafka1'],
      resumeAt: { 'src.peter-avro01-kafka1': { 0: 4, 1: 4, 2: 4 }, 'peter-avro01-kafka1': { 0: 0, 1: 0, 2: 0 } },
      atLeast: { 'peter-avro01-kafka1': { 0: 67, 1: 67, 2: 66 } },
    });
    expect(seen.account).toEqual({
      upstream: { first: 0, count: 600, partitions: 3, ackedBelow: { 0: 90, 1: 90, 2: 90 } },
      disasterAt: 5_000,
      firstAckDr: 11_000,
      firstProcessedDr: 9_000,
    });
    expect(calls.indexOf('loseSite')).toBeLessThan(calls.indexOf('translateGroupOffsets'));
    expect(calls.indexOf('dataCenterUp')).toBeGreaterThan(calls.indexOf('consumeSite:dr'));
    expect(report!.disaster).toMatchObject({ at: 5_000, rpo: { records: 7 }, rto: { seconds: 8 } });
    // the mirror's latency up to the disaster is the drill's replication latency (lab trend charts it)
    expect(report!.latency).toMatchObject({ available: true, p50Ms: 40, p99Ms: 900 });
  });

  it('plants a paused mirror before the disaster, and fails verify-disaster on an RPO over its gate', async () => {
    const calls: string[] = [];
    const input = { disaster: { afterSeconds: 15, outageSeconds: 20, pauseMirrorSeconds: 5, maxRpoRecords: 3 }, rate: 10, messages: 600 };
    const { report, error } = await runWith(mockActivities(calls), input);
    expect(error).toBeDefined();
    expect(report!.failedStep).toBe('verify-disaster');
    expect(report!.steps.find((s) => s.name === 'verify-disaster')!.error!.message).toMatch(
      /RPO 7 records stranded, over --max-rpo-records 3/,
    );
    expect(calls.indexOf('pauseMirror')).toBeLessThan(calls.indexOf('loseSite'));
    // the figures are in the report of a failed drill too
    expect(report!.disaster!.rpo!.records).toBe(7);
  });

  it('fails back after the outage as a runbook: mirror stopped, primary back, stranded reconciled, reverse mirror, group and producers back, mirror resumed', async () => {
    const calls: string[] = [];
    const seen: { back?: unknown; load?: unknown; resume?: unknown; account?: unknown } = {};
    const base = mockActivities([]);
    const acts = mockActivities(calls, {
      produceStudents: async (input) => {
        const r = await base.produceStudents(input);
        calls.push(`produceStudents:${input.firstSeq}`);
        if (input.firstSeq === 800)
          seen.load = { topic: input.topic, bootstrap: input.bootstrap, count: input.count, startOffsets: input.startOffsets };
        return input.stopAtMs !== undefined
          ? { ...r, acknowledged: 90, ackedBelow: { 0: 90, 1: 90, 2: 90 } }
          : { ...r, firstAckAt: 11_000 };
      },
      consumeSite: async (input) => {
        if (input.moveGroup) seen.back = { topics: input.topics, resumeAt: input.resumeAt, atLeast: input.atLeast };
        calls.push(`consumeSite:${input.moveGroup ? 'back' : input.toEnd ? 'dr' : 'primary'}`);
        return base.consumeSite(input);
      },
      resumeMirror: async (input) => {
        seen.resume = input.from;
        calls.push('resumeMirror');
        return base.resumeMirror(input);
      },
      accountFailback: async (input) => {
        seen.account = {
          action: input.action,
          dr: input.dr,
          failback: input.failback,
          reverseStates: input.reverseStates[0],
          marks: input.marks,
        };
        calls.push('accountFailback');
        return base.accountFailback(input);
      },
    });
    const input = {
      disaster: { afterSeconds: 15, outageSeconds: 20, failback: true, stranded: 'republish' as const },
      rate: 10,
      messages: 600,
    };
    const { report, error } = await runWith(acts, input);
    expect(error).toBeUndefined();
    expect(report!.steps.map((s) => s.name).sort()).toEqual(planOf(input).sort());
    const order = [
      'accountDisaster',
      'stopMirror',
      'reconcileStranded:republish',
      'reverseMirror',
      'translateBack',
      'resumeMirror',
      'accountFailback',
    ].map((n) => calls.indexOf(n));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // the group moves back once the reverse checkpoints translated it (alongside the producers)
    expect(calls.indexOf('consumeSite:back')).toBeGreaterThan(calls.indexOf('translateBack'));
    // the primary comes back whole (provisioned again) after the mirror stopped, its registry refilled from the DR site's
    expect(calls.lastIndexOf('provisionDrillLab')).toBeGreaterThan(calls.indexOf('stopMirror'));
    expect(calls.lastIndexOf('syncRegistries')).toBeGreaterThan(calls.lastIndexOf('provisionDrillLab'));
    // the producers write the primary's own topic after the DR side's records (600 + 200), from where it stood at its return
    expect(seen.load).toEqual({
      topic: 'peter-avro01-kafka1',
      bootstrap: ['127.0.0.1:1'],
      count: 200,
      startOffsets: { 0: '0', 1: '0', 2: '0' },
    });
    expect(calls.indexOf('produceStudents:800')).toBeLessThan(calls.indexOf('resumeMirror'));
    // the group: its own topic from the primary's end at its return, the reverse copy from the reverse checkpoints
    expect(seen.back).toEqual({
      topics: ['peter-avro01-kafka1', 'dst.peter-avro01-kafka1'],
      resumeAt: { 'peter-avro01-kafka1': { 0: 0, 1: 0, 2: 0 }, 'dst.peter-avro01-kafka1': { 0: 60, 1: 60, 2: 60 } },
      atLeast: { 'peter-avro01-kafka1': { 0: 67, 1: 66, 2: 67 } },
    });
    expect(seen.resume).toEqual({ 0: '0', 1: '0', 2: '0' });
    expect(seen.account).toMatchObject({
      action: 'republish',
      dr: { first: 600, count: 200 },
      failback: { first: 800, count: 200 },
      reverseStates: { partition: 0, checkpoint: { upstreamOffset: 67, downstreamOffset: 60 } },
      marks: { startedAt: 40_000, backAt: 1, firstAckPrimary: 11_000, firstProcessedPrimary: 9_000 },
    });
    expect(report!.failback).toMatchObject({
      seconds: 11,
      producersSeconds: 11,
      consumersSeconds: 9,
      accounting: { stranded: { action: 'republish', records: 7 } },
    });
  });

  it('fails verify-failback on --max-failback-seconds, and refuses failback settings without --failback', async () => {
    const input = { disaster: { afterSeconds: 15, outageSeconds: 20, failback: true, maxFailbackSeconds: 5 }, rate: 10, messages: 600 };
    const base = mockActivities([]);
    // the producers' first record on the returned primary is acknowledged 11 s after it is back
    const acts = mockActivities([], {
      produceStudents: async (i) => ({ ...(await base.produceStudents(i)), ...(i.stopAtMs === undefined ? { firstAckAt: 11_001 } : {}) }),
    });
    const { report, error } = await runWith(acts, input);
    expect(error).toBeDefined();
    expect(report!.failedStep).toBe('verify-failback');
    expect(report!.steps.find((s) => s.name === 'verify-failback')!.error!.message).toMatch(
      /failback took 11 s, over --max-failback-seconds 5/,
    );
    expect(report!.failback!.seconds).toBe(11);
    const refused = await runWith(mockActivities([]), { disaster: { stranded: 'republish' }, rate: 10, messages: 600 });
    expect(String((refused.error as { cause?: Error }).cause?.message)).toMatch(
      /--stranded say how the drill fails back, and it does not \(fix: add --failback\)/,
    );
  });

  it('lets two faults on one target take turns: a slow kill is undone before the pause after it starts', async () => {
    const calls: string[] = [];
    const base = mockActivities([]);
    const acts = mockActivities(calls, {
      produceStudents: async (input) => {
        calls.push(`produceStudents:${input.generation}`);
        if (input.generation === 1) await new Promise((r) => setTimeout(r, 4000));
        return base.produceStudents(input);
      },
      injectFault: async (input) => {
        // a loaded machine: the kill takes longer than the gap before the next fault
        if (input.fault.kind === 'broker-kill') await new Promise((r) => setTimeout(r, 2000));
        return base.injectFault(input).then((r) => (calls.push(`injectFault:${input.fault.kind}`), r));
      },
      undoFault: async (input) => base.undoFault(input).then((r) => (calls.push(`undoFault:${input.fault.kind}`), r)),
    });
    const faults = [
      { kind: 'broker-kill' as const, afterSeconds: 0, durationSeconds: 1 },
      { kind: 'broker-pause' as const, afterSeconds: 1, durationSeconds: 1 },
      { kind: 'connect-kill' as const, afterSeconds: 1, durationSeconds: 1 },
    ];
    const { error } = await runWith(acts, { topology: 'chapter', messages: 5000, faults: { inject: faults } });
    expect(error).toBeUndefined();
    expect(calls.indexOf('injectFault:broker-pause')).toBeGreaterThan(calls.indexOf('undoFault:broker-kill'));
    // another target does not wait
    expect(calls.indexOf('injectFault:connect-kill')).toBeLessThan(calls.indexOf('undoFault:broker-kill'));
  });

  it('undoes a fault in effect when the load fails, before the lab is torn down', async () => {
    const calls: string[] = [];
    const acts = mockActivities(calls, {
      produceStudents: async (input) => {
        calls.push(`produceStudents:${input.generation}`);
        await new Promise((r) => setTimeout(r, 1500));
        throw ApplicationFailure.nonRetryable('the broker went away for good', 'ServiceUnreachable');
      },
    });
    const { report } = await runWith(acts, {
      messages: 60_000,
      rate: 1000,
      faults: { inject: [{ kind: 'link-cut', afterSeconds: 0, durationSeconds: 30 }] },
    });
    expect(report!.failedStep).toBe('produce-v1');
    expect(calls.indexOf('undoFault:link-cut')).toBeGreaterThan(calls.indexOf('injectFault:link-cut'));
    expect(calls.indexOf('undoFault:link-cut')).toBeLessThan(calls.indexOf('teardownDrillLab'));
  });

  it('gives produce the start offsets recorded before it, and verifies from the first produce even after a retry', async () => {
    const calls: string[] = [];
    const seen: { startOffsets?: unknown; sinceMs?: number }[] = [];
    let attempts = 0;
    const base = mockActivities([]);
    const acts = mockActivities(calls, {
      recordProduceStart: async () => {
        calls.push('recordProduceStart');
        return { startOffsets: { 0: '40', 1: '41', 2: '42' }, startedAt: 1000 };
      },
      produceStudents: async (input) => {
        calls.push(`produceStudents:${input.generation}`);
        seen.push({ startOffsets: input.startOffsets });
        // the first attempt dies after writing; the retry starts later and reports its own start
        if (input.generation === 1 && ++attempts === 1) throw new Error('worker lost (transient)');
        return { ...(await base.produceStudents(input)), startedAt: 9_999_999 };
      },
      verifyDelivery: async (input) => {
        seen.push({ sinceMs: input.sinceMs });
        return base.verifyDelivery(input);
      },
    });
    const { report } = await runWith(acts);
    expect(report!.verdict).toBe('passed');
    expect(attempts).toBe(2);
    // both attempts resume from offsets that were in history before either of them ran
    expect(seen.filter((x) => x.startOffsets).every((x) => JSON.stringify(x.startOffsets) === '{"0":"40","1":"41","2":"42"}')).toBe(true);
    expect(seen.filter((x) => x.sinceMs !== undefined).map((x) => x.sinceMs)).toEqual([1000, 1000]);
    expect(calls.indexOf('recordProduceStart')).toBeLessThan(calls.indexOf('produceStudents:1'));
  });

  it('fails the drill when teardown leaves something behind, and names it', async () => {
    const calls: string[] = [];
    const left = { containers: ['kafka-lab-default-up-kafka-1'], networks: ['kafka-lab-default-wan'], volumes: [] };
    const acts = mockActivities(calls, {
      teardownDrillLab: async () => {
        calls.push('teardownDrillLab');
        throw ApplicationFailure.create({
          type: 'TeardownIncomplete',
          message: 'teardown of lab default left container kafka-lab-default-up-kafka-1',
          nonRetryable: true,
          details: [left],
        });
      },
    });
    const { report, error } = await runWith(acts);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(report!.verdict).toBe('failed');
    expect(report!.failedStep).toBe('teardown');
    expect(report!.leftBehind).toEqual(left);
  });

  it('keeps every metric check in the report when check-metrics fails', async () => {
    const calls: string[] = [];
    const checks = [
      { name: 'up', query: 'up', verdict: 'passed' as const, observed: '5 up', expectation: '5 up' },
      {
        name: "upstream topic received this run's messages",
        query: 'q',
        verdict: 'failed' as const,
        observed: 'grew by 150',
        expectation: 'grew by >= 200',
      },
    ];
    const acts = mockActivities(calls, { checkMetrics: async () => checks });
    const { report } = await runWith(acts);
    expect(report!.failedStep).toBe('check-metrics');
    expect(report!.metrics).toEqual(checks);
  });
});
