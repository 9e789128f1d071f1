import { ApplicationFailure, CancellationScope, isCancellation, setHandler, upsertSearchAttributes, uuid4, workflowInfo } from '@temporalio/workflow';
import type { ProduceOutput } from '../activities/produce';
import type { VerifyOutput } from '../activities/verify';
import type { AckedRecord } from '../src/domain/accounting';
import { isInputProblem, labTargetValue, resolveDrillInput, type DrillConfig, type DrillInput } from '../src/domain/drill';
import type { TargetAccess } from '../src/domain/access';
import type { LabEndpoints } from '../src/domain/endpoints';
import { FailureType } from '../src/domain/failures';
import type { DrillReport } from '../src/domain/report';
import { LAB_TARGET, LAB_TOPOLOGY, LAB_VERDICT } from '../src/domain/search-attributes';
import { STUDENT_SCHEMA_V1 } from '../src/domain/student-schema';
import { progressQuery } from './messages';
import { clusterActivities, labActivities, produceActivities, verifyActivities } from './proxies';
import { StepRecorder } from './step-recorder';

/**
 * The chapter's operations drill (12.3) as one durable workflow: provision or attach, create the
 * topic, register the mirror, run the apps, produce v1, verify, evolve to v2, produce, re-verify,
 * check the metrics, and tear down. Every step ends in a verdict; the result is a report.
 * `{}` runs the chapter's defaults.
 */
export async function chapterDrillWorkflow(input: DrillInput = {}): Promise<DrillReport> {
  const resolved = resolveDrillInput(input);
  if (isInputProblem(resolved)) {
    throw ApplicationFailure.nonRetryable(`invalid drill input: ${resolved.problem} (fix: ${resolved.fix})`, FailureType.InvalidInput);
  }
  const c: DrillConfig = resolved;
  const runId = uuid4().slice(0, 8);
  const rec = new StepRecorder();
  const startedAt = new Date(Date.now()).toISOString();
  const report: DrillReport = { drillId: workflowInfo().workflowId, runId, verdict: 'passed', config: c, steps: rec.steps, metrics: [], startedAt, finishedAt: startedAt };
  setHandler(progressQuery, () => ({
    step: rec.current, completed: rec.steps.map((s) => s.name), total: plannedSteps(c), steps: rec.steps,
  }));

  // Found in the UI's list by topology, target and (at the end) verdict.
  upsertSearchAttributes([
    { key: LAB_TOPOLOGY, value: c.mode === 'attach' ? 'target' : c.topology },
    { key: LAB_TARGET, value: labTargetValue(c) },
    { key: LAB_VERDICT, value: 'running' },
  ]);
  let provisioned = false;
  try {
    const e = await rec.run(
      'provision',
      async () => {
        provisioned = c.mode === 'provision';
        return (c.mode === 'provision' ? await labActivities.provisionDrillLab({ config: c }) : await clusterActivities.attachTarget({ config: c })).endpoints;
      },
      (ep) => (c.mode === 'provision' ? `lab ${c.labId} (${c.topology}) up` : `attached to ${c.target?.name ?? 'target'}`) + `: upstream ${ep.clusters.upstream.bootstrap.join(',')}`,
    );
    await drill(c, e, runId, rec, report);
  } catch (err) {
    if (isCancellation(err)) {
      report.verdict = 'failed';
      throw err;
    }
    report.verdict = 'failed';
    report.failedStep = rec.failedStep();
    if (!report.failedStep) throw err;
  } finally {
    // Runs even when the drill is cancelled, unless asked to keep the lab. Against a target, only
    // the drill's own apps are removed; the target itself is never touched.
    if ((provisioned || c.mode === 'attach') && !c.keepLab) {
      await CancellationScope.nonCancellable(() =>
        rec.run('teardown', () => labActivities.teardownDrillLab({ labId: c.labId }), (r) =>
          c.mode === 'attach'
            ? `removed the drill's apps (${r.containers.length} containers); the target is untouched`
            : `removed ${r.containers.length} containers, ${r.networks.length} networks`),
      ).catch((err) => {
        // A lab left behind is a failed drill, whatever the steps before said, and the report names it.
        report.verdict = 'failed';
        report.failedStep ??= 'teardown';
        const details = (err as { cause?: { details?: unknown[] } }).cause?.details;
        if (details?.[0]) report.leftBehind = details[0] as DrillReport['leftBehind'];
      });
    }
    rec.current = 'done';
    report.finishedAt = new Date(Date.now()).toISOString();
    upsertSearchAttributes([{ key: LAB_VERDICT, value: report.verdict }]);
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

function plannedSteps(c: DrillConfig): number {
  if (c.observeOnly) return 4 + (c.keepLab ? 0 : 1);
  return 10 + (c.faults.deleteMirroredRecords > 0 ? 1 : 0) + (c.keepLab ? 0 : 1);
}

async function drill(c: DrillConfig, e: LabEndpoints, runId: string, rec: StepRecorder, report: DrillReport) {
  const up = e.clusters.upstream;
  const down = e.clusters.downstream;
  const subject = `${c.topic}-value`;
  const verify = verifyActivities(c.verifyTimeoutSeconds);
  // Credentials travel as references (env var and file names) only; activities read the values.
  const access = c.target?.access;

  await rec.run(
    'create-topic',
    () => clusterActivities.createTopic({ bootstrap: up.bootstrap, topic: c.topic, partitions: c.partitions, replicationFactor: c.replicationFactor, access: access?.upstream, createIfMissing: !c.observeOnly }),
    (r) => `${r.topic}: ${r.created ? 'created' : 'exists'} with ${r.partitions} partitions, replication factor ${c.replicationFactor}`,
  );
  await rec.run(
    'register-mirror',
    () =>
      clusterActivities.registerMirror({
        connectUrl: e.connect.urls[0], sourceBootstrap: up.internalBootstrap, targetBootstrap: down.internalBootstrap,
        targetHostBootstrap: down.bootstrap, topic: c.topic, mirroredTopic: c.mirroredTopic, partitions: c.partitions, replicationFactor: c.replicationFactor,
        // Against clusters we did not create, the mirror is checked, never changed.
        register: c.mode === 'provision' || !!c.target?.registerMirror, connectors: c.target?.mirrorConnectors, access: { connect: access?.connect, downstream: access?.downstream },
      }),
    (states) => states.map((s) => `${s.name} ${s.state} (${s.tasks.length} tasks${s.changed ? ', registered' : ', unchanged'})`).join('; '),
  );
  if (c.observeOnly) {
    await rec.run(
      'observe-flow',
      () =>
        clusterActivities.observeFlow({
          upstreamBootstrap: up.bootstrap, downstreamBootstrap: down.bootstrap, elasticsearchUrl: e.elasticsearch!.url, topic: c.topic, mirroredTopic: c.mirroredTopic,
          index: c.index, freshnessField: c.freshnessField, maxMirrorLagSeconds: c.maxMirrorLagSeconds, maxIndexAgeSeconds: c.maxIndexAgeSeconds, access,
        }),
      (r) => `mirror lag ${r.mirrorLagMs ?? '?'} ms (newest upstream ${r.upstreamNewest ?? 'none'}, downstream ${r.downstreamNewest ?? 'none'}); newest document ${r.indexAgeMs === undefined ? 'none' : `${Math.round(r.indexAgeMs / 1000)} s old`}`,
      (r) => r.problems,
    );
    await checkMetricsStep(c, e, rec, report, access);
    return;
  }
  await rec.run('start-apps', () => clusterActivities.startApps({ config: c, endpoints: e }), (r) => r.apps.map((a) => `${a.name}: ${a.detail}`).join('; '));

  // Each generation first records where the topic ends, in its own activity: a retried produce
  // then finds what earlier attempts wrote from offsets that are in history before any record.
  const produce = async (generation: number, schema: string, firstSeq: number) => {
    const start = await produceActivities.recordProduceStart({ bootstrap: up.bootstrap, topic: c.topic, access: access?.upstream });
    const out = await produceActivities.produceStudents({
      bootstrap: up.bootstrap, schemaRegistryUrl: e.schemaRegistry!.url, topic: c.topic, runId, generation, schema, firstSeq, count: c.messages, partitions: c.partitions,
      startOffsets: start.startOffsets, rate: c.rate, access: { kafka: access?.upstream, schemaRegistry: access?.schemaRegistry },
    });
    return { ...out, markedAt: start.startedAt };
  };
  const produced = (r: ProduceOutput) => `${r.acked.length} acknowledged (schema id ${r.schemaId}${r.resumed ? `, ${r.resumed} from an earlier attempt` : ''}) at ${r.messagesPerSecond} msg/s`;
  const unacked = (r: ProduceOutput) => {
    const distinct = new Set(r.acked.map((a) => a.seq)).size;
    return distinct === c.messages ? [] : [`${c.messages - distinct} not acknowledged`];
  };
  const v1Schema = JSON.stringify(STUDENT_SCHEMA_V1);
  const p1 = await rec.run('produce-v1', () => produce(1, v1Schema, 0), produced, unacked);
  // The run's window starts when its first produce recorded its start, before any record was sent.
  const sinceMs = p1.markedAt;
  report.schema = { subject, versions: [], v1Id: p1.schemaId };

  if (c.faults.deleteMirroredRecords > 0) {
    await rec.run(
      'inject-fault',
      () => clusterActivities.deleteMirroredRecords({ bootstrap: down.bootstrap, topic: c.mirroredTopic, count: c.faults.deleteMirroredRecords, sinceMs, access: access?.downstream }),
      (r) => `deleted offsets ${r.from}..${r.to - 1} of ${c.mirroredTopic}[${r.partition}]`,
    );
  }

  const schemas: Record<string, string> = { '1': v1Schema, '2': c.schemaV2 };
  const verifyAll = (acked: AckedRecord[]) =>
    verify.verifyDelivery({
      upstreamBootstrap: up.bootstrap, downstreamBootstrap: down.bootstrap, schemaRegistryUrl: e.schemaRegistry!.url, elasticsearchUrl: e.elasticsearch!.url,
      topic: c.topic, mirroredTopic: c.mirroredTopic, index: c.mirroredTopic.toLowerCase(), runId, acked, schemas, sinceMs,
      deadlineSeconds: c.verifyTimeoutSeconds, failOnDuplicates: c.failOnDuplicates, upstreamGroup: 'consumer-1', access,
    });
  const verified = (r: VerifyOutput) => {
    report.accounting = r.accounting;
    report.latency = r.latency;
    report.consumer1Lag = r.consumer1Lag;
    const a = r.accounting;
    const l = r.latency;
    const latency = l.available ? `latency p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms${l.negative ? ` (${l.negative} negative: clock skew)` : ''}` : `latency unavailable: ${l.unavailableReason}`;
    return `produced ${a.produced}, mirrored ${a.mirrored}, indexed ${a.indexed}; lost ${a.lost}, duplicated ${a.duplicated}, reordered ${a.reordered}, altered ${a.altered}; ${latency}`;
  };
  await rec.run('verify-v1', () => verifyAll(p1.acked), verified, (r) => r.problems);

  const evolved = await rec.run(
    'evolve-schema',
    () => clusterActivities.evolveSchema({ schemaRegistryUrl: e.schemaRegistry!.url, subject, schemaV2: c.schemaV2, access: access?.schemaRegistry }),
    (r) => `${r.subject} is ${r.compatibilityLevel}; v2 registered as id ${r.v2Id}; versions ${r.versions.join(', ')}`,
    (r) => [
      ...(r.versions.length >= 2 ? [] : [`the registry lists ${r.versions.length} version(s), expected 2 or more`]),
      ...(r.compatibilityLevel === 'unknown' ? [`the compatibility level of ${r.subject} could not be read`] : []),
    ],
  );
  report.schema = { subject, versions: evolved.versions, v1Id: p1.schemaId, v2Id: evolved.v2Id, compatibility: evolved.compatibilityLevel };

  const p2 = await rec.run('produce-v2', () => produce(2, c.schemaV2, c.messages), produced, unacked);
  const acked = [...p1.acked, ...p2.acked];
  await rec.run('verify-v2', () => verifyAll(acked), verified, (r) => r.problems);

  await checkMetricsStep(c, e, rec, report, access, { sinceMs, produced: new Set(acked.map((a) => a.seq)).size });
}

async function checkMetricsStep(
  c: DrillConfig, e: LabEndpoints, rec: StepRecorder, report: DrillReport, access: TargetAccess | undefined, run?: { sinceMs: number; produced: number },
) {
  await rec.run(
    'check-metrics',
    () =>
      clusterActivities.checkMetrics({
        prometheusUrl: e.prometheus!.url, topic: c.topic, mirroredTopic: c.mirroredTopic, latencyThresholdMs: c.latencyThresholdMs,
        jobs: c.mode === 'provision' ? labJobs(e) : {}, checkAppLag: c.mode === 'provision' && !c.observeOnly, access: access?.prometheus, run,
      }),
    (checks) => {
      // Kept whether the step passes or fails: a failed check must show its query and what it saw.
      report.metrics = checks;
      return `${checks.filter((x) => x.verdict === 'passed').length}/${checks.length} metric checks passed`;
    },
    (checks) => checks.filter((x) => x.verdict === 'failed').map((x) => `${x.name}: ${x.observed} (expected ${x.expectation})`),
  );
}

/** The scrape jobs a provisioned lab has, with how many targets each. */
function labJobs(e: LabEndpoints): Record<string, number> {
  return {
    'kafka-upstream': e.clusters.upstream.bootstrap.length,
    'kafka-downstream': e.clusters.downstream.bootstrap.length,
    connect: e.connect.urls.length,
    apps: e.apps?.length ?? 0,
  };
}
