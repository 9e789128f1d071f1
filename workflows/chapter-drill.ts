import {
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  patched,
  setHandler,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { isInputProblem } from '../src/domain/input-problem';
import { labTargetValue } from '../src/domain/search-attributes';
import { resolveDrillInput } from '../src/domain/resolve-drill-input';
import type { DrillConfig, DrillInput } from '../src/domain/drill-input';
import type { LabEndpoints } from '../src/domain/endpoints';
import { FailureType } from '../src/domain/failures';
import type { SeqRange } from '../src/domain/accounting';
import type { FailoverPartitionState } from '../src/domain/failover';
import { restartedClusters, scheduleFaults } from '../src/domain/faults';
import type { DrillReport, StepName } from '../src/domain/report';
import type { StepProgress } from '../src/domain/step-progress';
import { LAB_RPO_RECORDS, LAB_RTO_SECONDS, LAB_TARGET, LAB_TOPOLOGY, LAB_VERDICT } from '../src/domain/search-attributes';
import { plannedSteps } from '../src/domain/steps';
import { stepInputs } from '../src/drill/step-inputs';
import { drillReport, faultsFound } from '../src/drill/step-report';
import { problems, summaries } from '../src/drill/step-summaries';
import { faultsDuringLoad } from './fault-schedule';
import { disasterDrill } from './disaster-drill';
import { progressQuery, stepProgressSignal } from './messages';
import { clusterActivities, labActivities, observeActivities, produceActivities, verifyActivities } from './proxies';
import { StepRecorder } from './step-recorder';

/**
 * The chapter's operations drill (12.3) as one durable workflow: provision or attach, create the
 * topic, register the mirror, run the apps, produce v1, verify, evolve to v2, produce, re-verify,
 * check the metrics, and tear down. Every step ends in a verdict; the result is a report.
 * `{}` runs the chapter's defaults.
 */
export async function chapterDrillWorkflow(input: DrillInput = {}): Promise<DrillReport> {
  // a fault drill's load covers its brokers' restarts (drills in flight before this keep their count)
  const resolved = resolveDrillInput(input, { faultRecovery: patched('fault-load-covers-restarts') });
  if (isInputProblem(resolved)) {
    throw ApplicationFailure.nonRetryable(`invalid drill input: ${resolved.problem} (fix: ${resolved.fix})`, FailureType.InvalidInput);
  }
  const c: DrillConfig = resolved;
  const runId = uuid4().slice(0, 8);
  // the drill runs the steps of its plan, and no other
  const rec = new StepRecorder(plannedSteps(c));
  const startedAt = new Date(Date.now()).toISOString();
  // the latest report of each long step still running (a finished step's line says the rest)
  const live = new Map<StepName, StepProgress>();
  setHandler(stepProgressSignal, (p) => {
    if (rec.running(p.step)) live.set(p.step, p);
  });
  setHandler(progressQuery, () => ({
    step: rec.current,
    completed: rec.steps.map((s) => s.name),
    total: rec.plan.length,
    steps: rec.steps,
    live: [...live.values()].filter((p) => rec.running(p.step)),
  }));

  // Found in the UI's list by topology, target and (at the end) verdict.
  upsertSearchAttributes([
    { key: LAB_TOPOLOGY, value: c.mode === 'attach' ? 'target' : c.topology },
    { key: LAB_TARGET, value: labTargetValue(c) },
    { key: LAB_VERDICT, value: 'running' },
  ]);
  let provisioned = false;
  // how the drill ends: what no step's result says
  let verdict: DrillReport['verdict'] = 'passed';
  let failedStep: StepName | undefined;
  let leftBehind: DrillReport['leftBehind'];
  let report: DrillReport | undefined;
  try {
    const e = await rec.run(
      'provision',
      async (on) => {
        provisioned = c.mode === 'provision';
        const r =
          c.mode === 'provision'
            ? await on(labActivities).provisionDrillLab({ config: c })
            : await on(clusterActivities).attachTarget({ config: c });
        return r.endpoints;
      },
      summaries.provision(c),
    );
    await drill(c, e, runId, rec);
  } catch (err) {
    verdict = 'failed';
    if (isCancellation(err)) throw err;
    failedStep = rec.failedStep();
    if (!failedStep) throw err;
  } finally {
    // Runs even when the drill is cancelled, unless asked to keep the lab. Against a target, only
    // the drill's own apps are removed; the target itself is never touched.
    if ((provisioned || c.mode === 'attach') && !c.keepLab) {
      await CancellationScope.nonCancellable(() =>
        rec.run('teardown', (on) => on(labActivities).teardownDrillLab({ labId: c.labId }), summaries.teardown(c)),
      ).catch((err) => {
        // A lab left behind is a failed drill, whatever the steps before said, and the report names it.
        verdict = 'failed';
        failedStep ??= 'teardown';
        const details = (err as { cause?: { details?: unknown[] } }).cause?.details;
        if (details?.[0]) leftBehind = details[0] as DrillReport['leftBehind'];
      });
    }
    rec.current = 'done';
    const finishedAt = new Date(Date.now()).toISOString();
    const drillId = workflowInfo().workflowId;
    report = drillReport(
      { drillId, runId, config: c, steps: rec.steps, startedAt, finishedAt, verdict, failedStep, leftBehind },
      rec.found(),
    );
    // a disaster drill's figures too, whatever its verdict: the UI filters and sorts drills by them
    const figures = report.disaster;
    upsertSearchAttributes([
      { key: LAB_VERDICT, value: verdict },
      ...(figures?.rpo ? [{ key: LAB_RPO_RECORDS, value: figures.rpo.records }] : []),
      ...(figures?.rto?.seconds !== undefined ? [{ key: LAB_RTO_SECONDS, value: figures.rto.seconds }] : []),
    ]);
  }
  if (report.verdict === 'failed') {
    const step = report.steps.find((s) => s.name === report.failedStep);
    throw ApplicationFailure.create({
      type: step?.error?.type ?? FailureType.VerificationFailed,
      message: `drill failed at ${report.failedStep}: ${step?.error?.message ?? step?.summary}`,
      nonRetryable: true,
      details: [report],
    });
  }
  return report;
}

/** The chapter's scenario (12.3.2 to 12.3.5) on a lab or target that answers. */
async function drill(c: DrillConfig, e: LabEndpoints, runId: string, rec: StepRecorder) {
  const inputs = stepInputs(c, e, runId);
  const verify = verifyActivities(c.verifyTimeoutSeconds, 2 * c.messages);
  // As fast as acknowledged is at least 2,000 messages a second, even on a busy laptop.
  const producing = produceActivities(c.messages / (c.rate || 2000));

  await rec.run(
    'create-topic',
    async (on) => {
      const created = await on(clusterActivities).createTopic(inputs.createTopic());
      // a disaster drill's producers fail over to a topic of the DR cluster's own
      if (c.disaster) await on(clusterActivities).createTopic(inputs.disaster.createDrTopic());
      return created;
    },
    summaries.createTopic(c),
  );
  await rec.run('register-mirror', (on) => on(clusterActivities).registerMirror(inputs.registerMirror()), summaries.registerMirror);
  if (c.observeOnly) {
    await rec.run(
      'observe-flow',
      (on) => on(observeActivities(c.maxMirrorLagSeconds)).observeFlow(inputs.observeFlow()),
      summaries.observeFlow,
      (r) => r.problems,
    );
    await checkMetrics(rec, inputs.checkMetrics());
    return;
  }
  // A failover's group is placed at the run's start, and checkpointed live, before the load begins.
  let failoverStart: Record<number, number> = {};
  await rec.run(
    'start-apps',
    async (on) => {
      const apps = await on(clusterActivities).startApps({ config: c, endpoints: e });
      if (c.failover || c.disaster)
        failoverStart = (await on(clusterActivities).prepareFailoverGroup(inputs.failover.prepare())).startOffsets;
      return apps;
    },
    summaries.startApps,
  );
  if (c.disaster) return disasterDrill(c, inputs, rec);

  // Each generation first records where the topic ends, in its own activity: a retried produce
  // then finds what earlier attempts wrote from offsets that are in history before any record.
  const produce = (generation: 1 | 2, loadStarts?: () => void) =>
    rec.run(
      generation === 1 ? 'produce-v1' : 'produce-v2',
      async (on) => {
        const start = await on(producing).recordProduceStart(inputs.produceStart());
        loadStarts?.();
        return {
          ...(await on(producing).produceStudents(inputs.produce(generation, start))),
          markedAt: start.startedAt,
          startOffsets: start.startOffsets,
        };
      },
      summaries.produce,
      problems.produce(c),
    );

  // Faults run while produce-v1's steady load flows; when the load fails, they are called off.
  const faults = faultsDuringLoad(rec, scheduleFaults(c.faults.inject), inputs.fault);
  const p1 = await produce(1, () => faults.loadStarts()).catch(async (err) => {
    await faults.callOff();
    throw err;
  });
  await faults.done();
  // The run's window starts when its first produce recorded its start, before any record was sent.
  const sinceMs = p1.markedAt;
  if (c.faults.deleteMirroredRecords > 0) {
    await rec.run(
      'inject-fault',
      (on) => on(clusterActivities).deleteMirroredRecords(inputs.deleteMirrored(sinceMs)),
      summaries.deleteMirrored(c),
    );
  }
  const windows = faultsFound(rec.found())?.map((f) => ({ from: f.from, to: f.to ?? f.from, kind: f.kind }));
  await rec.run(
    'verify-v1',
    (on) => on(verify).verifyDelivery(inputs.verify('verify-v1', [p1.range], sinceMs, windows)),
    summaries.verify,
    (r) => r.problems,
  );

  if (c.failover) await failover(c, inputs, rec, { range: p1.range, startOffsets: p1.startOffsets, groupStart: failoverStart });

  await rec.run(
    'evolve-schema',
    (on) => on(clusterActivities).evolveSchema(inputs.evolveSchema(p1.schemaId)),
    summaries.evolveSchema,
    problems.evolveSchema,
  );

  const p2 = await produce(2);
  await rec.run(
    'verify-v2',
    (on) => on(verify).verifyDelivery(inputs.verify('verify-v2', [p1.range, p2.range], sinceMs, windows)),
    summaries.verify,
    (r) => r.problems,
  );

  await checkMetrics(rec, inputs.checkMetrics({ sinceMs, produced: p1.acknowledged + p2.acknowledged, restarted: restartedClusters(c) }));
}

/**
 * The failover a second data center exists for: a consumer group works through the run upstream,
 * upstream goes down, the group resumes downstream at the offsets MirrorMaker 2 translated, and
 * upstream comes back (always, in a non-cancellable scope). Then every message is accounted for.
 */
async function failover(
  c: DrillConfig,
  inputs: ReturnType<typeof stepInputs>,
  rec: StepRecorder,
  p1: { range: SeqRange; startOffsets: Record<number, string>; groupStart: Record<number, number> },
) {
  const f = inputs.failover;
  const upstream = await rec.run(
    'consume-upstream',
    (on) => on(clusterActivities).consumeUpstream(f.consumeUpstream(p1.groupStart, Date.now())),
    summaries.consumeUpstream(f.group),
  );
  const moved = await rec.run(
    'failover',
    async (on, note) => {
      const moving = on(clusterActivities);
      const down = await moving.dataCenterDown(f.dataCenter('down'));
      note({ down });
      const comeBack = async () => {
        const back = await CancellationScope.nonCancellable(() => moving.dataCenterUp(f.dataCenter('up')));
        note({ down, up: back });
        return back;
      };
      let up: Awaited<ReturnType<typeof moving.dataCenterUp>> | undefined;
      try {
        const translated = await moving.translateGroupOffsets(f.translate(down.at));
        const resumeAt = Object.fromEntries(Object.entries(translated).map(([p, t]) => [p, t.downstreamOffset]));
        const consumed = await moving.consumeDownstream(f.consumeDownstream(resumeAt));
        return { down, translated, consumed, up: (up = await comeBack()) };
      } finally {
        if (!up) await comeBack();
      }
    },
    (r) => summaries.failover(r), // typed by the step's result, which must hold its finding
  );
  const states: FailoverPartitionState[] = Array.from({ length: c.partitions }, (_, partition) => ({
    partition,
    committed: upstream.committed[partition] ?? Number(p1.startOffsets[partition] ?? 0),
    ...(moved.translated[partition] ? { checkpoint: moved.translated[partition] } : {}),
    resumedAt: moved.consumed.resumedAt[partition],
    end: moved.consumed.end[partition],
    ...(moved.consumed.startedAt[partition] !== undefined ? { startedAt: moved.consumed.startedAt[partition] } : {}),
  }));
  await rec.run(
    'verify-failover',
    (on) => on(clusterActivities).accountFailover(f.account(p1.range, p1.startOffsets, states)),
    summaries.verifyFailover,
    (r) => r.problems,
  );
}

async function checkMetrics(rec: StepRecorder, input: ReturnType<ReturnType<typeof stepInputs>['checkMetrics']>) {
  await rec.run('check-metrics', (on) => on(clusterActivities).checkMetrics(input), summaries.checkMetrics, problems.checkMetrics);
}
