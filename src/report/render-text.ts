import { renderTable } from '../cli/table';
import type { DrillReport, LatencyFigures, StepResult } from '../domain/report';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
const mark = (v: string) => (v === 'passed' ? 'PASS' : v === 'failed' ? 'FAIL' : 'skip');

export function renderStepLine(s: StepResult): string {
  return `${mark(s.verdict)}  ${s.name.padEnd(15)} ${seconds(s.durationMs).padStart(7)}  ${s.summary}`;
}

/** Replication latency in one line, or why it could not be measured. */
export function latencyLine(l: LatencyFigures): string {
  if (!l.available) return `replication latency unavailable: ${l.unavailableReason}`;
  const skew = l.negative ? `; ${l.negative} negative samples (producer clock ahead of the broker's)` : '';
  return `replication latency (produce to downstream append): p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms, max ${l.maxMs} ms over ${l.count} records${skew}`;
}

const phaseLine = (l: LatencyFigures) => `p50 ${l.p50Ms} ms, p99 ${l.p99Ms} ms, max ${l.maxMs} ms over ${l.count} records`;

/** A fault drill's latency, for records produced during a fault and after the last one. */
export const latencyByPhaseLine = (p: NonNullable<DrillReport['latencyByPhase']>) =>
  `  during the faults: ${phaseLine(p.during)}; after them: ${phaseLine(p.after)}`;

/** How the mirror caught up after the last fault. */
export const catchUpLine = (c: NonNullable<DrillReport['catchUp']>) =>
  `  caught up ${c.seconds} s after the last fault was undone: a backlog of ${c.backlog} records at ${c.perSecond} msg/s`;

/** One injected fault: what, where, its window, and what showed it happened. */
export const faultLine = (f: NonNullable<DrillReport['faults']>[number]) =>
  `fault ${f.kind} on ${f.targets.join(', ')}: ${new Date(f.from).toISOString()} to ${f.to ? new Date(f.to).toISOString() : 'not undone'}` +
  (f.evidence?.length ? `\n${f.evidence.map((e) => `    seen: ${e}`).join('\n')}` : '');

/** A failover's outage and the group's totals, in one line. */
export const failoverLine = (f: NonNullable<DrillReport['failover']>) => {
  const window = `upstream down on ${f.targets.length} container(s) ${new Date(f.from).toISOString()} to ${f.to ? new Date(f.to).toISOString() : 'not brought back'}`;
  const a = f.accounting;
  return a
    ? `failover of group ${f.group}: ${window}; ${a.expected} messages, ${a.processedUpstream} processed upstream, ${a.processedDownstream} downstream, ` +
        `skipped ${a.skipped}, twice ${a.twice} (${a.twiceAfterCheckpoint} after the last checkpoint, ${a.twiceByTranslation} by offset-sync granularity)`
    : `failover of group ${f.group}: ${window}; not accounted for`;
};

/** Per partition: where the group stood upstream, what the checkpoint said, where it resumed downstream. */
export const FAILOVER_COLUMNS = [
  'partition',
  'committed upstream',
  'checkpoint up -> down',
  'age s',
  'offset syncs used / nearest / newest',
  'resumed at',
  'skipped',
  'twice: after checkpoint',
  'twice: translation',
];
export const failoverRows = (a: Pick<NonNullable<NonNullable<DrillReport['failover']>['accounting']>, 'partitions'>) =>
  a.partitions.map((p) => [
    p.partition,
    p.committed,
    p.checkpoint ? `${p.checkpoint.upstreamOffset} -> ${p.checkpoint.downstreamOffset}` : 'none',
    p.checkpoint ? p.checkpoint.ageSeconds.toFixed(1) : '',
    p.syncs ? `${p.syncs.used ?? '?'} / ${p.syncs.nearest} / ${p.syncs.newest}` : 'unknown',
    p.resumedAt,
    p.skipped,
    p.twiceAfterCheckpoint,
    p.twiceByTranslation,
  ]);

/** A disaster drill's figures in words: what died when, RPO, RTO, and every record's side. */
export function disasterLines(d: NonNullable<DrillReport['disaster']>): string[] {
  const sec = (x?: number) => (x === undefined ? 'unknown' : `${x} s`);
  const out = [
    `disaster: the primary data center lost at ${new Date(d.at).toISOString()} (${d.targets.length} containers SIGKILLed, cut off the link)`,
  ];
  if (d.rpo)
    out.push(
      `RPO: ${d.rpo.records} acknowledged record(s) stranded on the primary, the oldest produced ${d.rpo.seconds === undefined ? 'at an unknown time' : `${d.rpo.seconds} s`} before the site died`,
    );
  if (d.rto)
    out.push(
      `RTO: ${sec(d.rto.seconds)} (producers ${sec(d.rto.producersSeconds)}, consumers ${sec(d.rto.consumersSeconds)}, index fresh ${sec(d.rto.indexSeconds)})` +
        (d.rto.unknown.length ? `; not observed: ${d.rto.unknown.join('; ')}` : ''),
    );
  const a = d.accounting;
  if (a) {
    out.push(
      `records: ${a.upstream.acknowledged} acknowledged by the primary (${a.upstream.mirrored} mirrored, ${a.upstream.stranded} stranded, ${a.upstream.lostAcknowledged} lost), ` +
        `${a.upstream.writtenUnacknowledged} written there unacknowledged (${a.upstream.unacknowledgedMirrored} of them mirrored); ` +
        `${a.dr.found} of ${a.dr.written} written on the DR side; ${a.index.indexed} of ${a.index.expected} indexed`,
      `group ${a.group.group}: ${a.group.expected} to process on the DR side; ${a.group.processedUpstream} processed on the primary, ${a.group.processedDownstream} on the mirror, ${a.group.processedDr} written on the DR side; ` +
        `skipped ${a.group.skipped}, twice ${a.group.twice} (${a.group.twiceAfterCheckpoint} after the last checkpoint, ${a.group.twiceByTranslation} by offset-sync granularity)`,
    );
  }
  return out;
}
/** A failback's figures in words: how long coming back took, what moved back, and both sides accounted for. */
export function failbackLines(f: NonNullable<DrillReport['failback']>): string[] {
  const sec = (x?: number) => (x === undefined ? 'unknown' : `${x} s`);
  const a = f.accounting;
  return [
    `failback: ${sec(f.seconds)} from the primary back to serving (producers ${sec(f.producersSeconds)}, consumers ${sec(f.consumersSeconds)}), ${sec(f.totalSeconds)} from the forward mirror's stop` +
      (f.unknown.length ? `; not observed: ${f.unknown.join('; ')}` : ''),
    `moved back: ${a.reverse.movedBack} of the ${a.reverse.expected} record(s) the DR side took, the reverse mirror caught up in ${f.reverseCatchUpSeconds} s; ` +
      `written after failback: ${a.forward.written}, ${a.forward.mirrored} of them mirrored to the DR side`,
    `stranded: ${a.stranded.records} record(s), ${a.stranded.action === 'report' ? "reported and left in the primary's log" : `${a.stranded.republished} republished on the DR side`}` +
      (a.stranded.leaked ? `, ${a.stranded.leaked} carried by the forward mirror` : ''),
    `group after failback: ${a.group.expected} to process on the primary, ${a.group.processed} processed; skipped ${a.group.skipped}, twice ${a.group.twiceByReverseTranslation} (by the reverse translation); ` +
      `${a.index.indexed} of ${a.index.expected} indexed`,
  ];
}
export const FAILBACK_STRANDED_COLUMNS = ['partition', 'stranded', 'offsets on the primary'];
export const FAILBACK_GROUP_COLUMNS = [
  'partition',
  'reverse checkpoint up -> down',
  'reverse syncs used / nearest',
  'resumed at',
  'skipped',
  'twice',
  'twice at most',
];
export const failbackGroupRows = (f: NonNullable<DrillReport['failback']>) =>
  f.accounting.group.partitions.map((p) => [
    p.partition,
    p.checkpoint ? `${p.checkpoint.upstreamOffset} -> ${p.checkpoint.downstreamOffset}` : 'none',
    p.syncs ? `${p.syncs.used ?? '?'} / ${p.syncs.nearest}` : 'unknown',
    p.resumedAt,
    p.skipped,
    p.twice,
    p.twiceBound ?? '?',
  ]);
export const failbackStrandedRows = (f: NonNullable<DrillReport['failback']>) =>
  f.accounting.stranded.partitions.map((p) => [p.partition, p.count, `${p.firstOffset}..${p.lastOffset}`]);
export const STRANDED_COLUMNS = ['partition', 'stranded', 'oldest produced', 'first offset on the primary'];
export const strandedRows = (rpo: NonNullable<NonNullable<DrillReport['disaster']>['rpo']>) =>
  rpo.partitions.map((p) => [
    p.partition,
    p.count,
    p.oldestProducedAt === undefined ? '' : new Date(p.oldestProducedAt).toISOString(),
    p.firstOffset ?? '',
  ]);

/** What the last verification kept per message, and what the worker held while it ran. */
export const verifierLine = (v: NonNullable<DrillReport['verifier']>) =>
  `verifier: ${Math.ceil(v.stateBytes / 1024)} KiB of per-message state, worker at most ${v.peakRssMiB} MiB while verifying` +
  (v.resumed ? `, ${v.resumed} records taken over from an earlier attempt` : '') +
  (v.readOn ? `; ${v.readOn} records were downstream but unread when it stopped waiting, and were read before judging` : '');

export const leftBehindLine = (l: NonNullable<DrillReport['leftBehind']>) =>
  [...l.containers.map((c) => `container ${c}`), ...l.networks.map((n) => `network ${n}`), ...l.volumes.map((v) => `volume ${v}`)].join(
    ', ',
  );

/** The report as a person reads it in a terminal. */
export function renderReport(r: DrillReport): string {
  const out: string[] = [];
  out.push(`drill ${r.drillId} (run ${r.runId}): ${r.verdict.toUpperCase()}${r.failedStep ? ` at ${r.failedStep}` : ''}`);
  out.push(
    `${r.config.mode === 'attach' ? `target ${r.config.target?.name ?? ''}` : `lab ${r.config.labId}, topology ${r.config.topology}${r.config.kafkaVersion ? `, Kafka ${r.config.kafkaVersion}` : ''}`}, topic ${r.config.topic} -> ${r.config.mirroredTopic}, ${r.config.messages} messages per generation`,
  );
  out.push(
    '',
    renderTable(
      ['step', 'verdict', 'seconds', 'summary'],
      r.steps.map((s) => [s.name, s.verdict, (s.durationMs / 1000).toFixed(1), s.summary]),
    ),
  );
  if (r.accounting) {
    const a = r.accounting;
    out.push(
      '',
      renderTable(
        ['produced', 'mirrored', 'indexed', 'lost', 'duplicated', 'reordered', 'altered', 'missing in ES'],
        [[a.produced, a.mirrored, a.indexed, a.lost, a.duplicated, a.reordered, a.altered, a.missingInIndex]],
      ),
    );
  }
  if (r.latency) out.push('', latencyLine(r.latency));
  if (r.latencyByPhase) out.push(latencyByPhaseLine(r.latencyByPhase));
  if (r.catchUp) out.push(catchUpLine(r.catchUp));
  if (r.verifier) out.push(verifierLine(r.verifier));
  for (const f of r.faults ?? []) out.push(faultLine(f));
  if (r.failover) {
    out.push('', failoverLine(r.failover));
    if (r.failover.accounting) out.push(renderTable(FAILOVER_COLUMNS, failoverRows(r.failover.accounting)));
  }
  if (r.disaster) {
    out.push('', ...disasterLines(r.disaster));
    if (r.disaster.rpo?.partitions.length) out.push(renderTable(STRANDED_COLUMNS, strandedRows(r.disaster.rpo)));
    if (r.disaster.accounting?.group.partitions.length) out.push(renderTable(FAILOVER_COLUMNS, failoverRows(r.disaster.accounting.group)));
  }
  if (r.failback) {
    out.push('', ...failbackLines(r.failback));
    if (r.failback.accounting.stranded.partitions.length)
      out.push(renderTable(FAILBACK_STRANDED_COLUMNS, failbackStrandedRows(r.failback)));
    if (r.failback.accounting.group.partitions.length) out.push(renderTable(FAILBACK_GROUP_COLUMNS, failbackGroupRows(r.failback)));
  }
  if (r.leftBehind) out.push('', `left behind by the failed teardown: ${leftBehindLine(r.leftBehind)}`);
  if (r.metrics.length)
    out.push(
      '',
      renderTable(
        ['metric check', 'verdict', 'observed', 'expected'],
        r.metrics.map((m) => [m.name, m.verdict, m.observed, m.expectation]),
      ),
    );
  return out.join('\n');
}

/** The --json document: verdict, steps, accounting, latency, and the rest of the report. */
export function reportJson(r: DrillReport, extra: Record<string, unknown> = {}) {
  return {
    verdict: r.verdict,
    failedStep: r.failedStep,
    drillId: r.drillId,
    runId: r.runId,
    ...extra,
    steps: r.steps.map((s) => ({
      name: s.name,
      verdict: s.verdict,
      startedAt: s.startedAt,
      durationMs: s.durationMs,
      summary: s.summary,
      error: s.error,
    })),
    accounting: r.accounting
      ? {
          produced: r.accounting.produced,
          mirrored: r.accounting.mirrored,
          indexed: r.accounting.indexed,
          lost: r.accounting.lost,
          duplicated: r.accounting.duplicated,
          reordered: r.accounting.reordered,
          altered: r.accounting.altered,
          missingInIndex: r.accounting.missingInIndex,
          alteredInIndex: r.accounting.alteredInIndex,
          // where the lost went, when something was lost (see accountingProblems)
          ...(r.accounting.lostUpstream !== undefined ? { lostUpstream: r.accounting.lostUpstream } : {}),
          ...(r.accounting.lostUpstreamUnknown !== undefined ? { lostUpstreamUnknown: r.accounting.lostUpstreamUnknown } : {}),
          examples: r.accounting.examples,
        }
      : undefined,
    latency: r.latency
      ? r.latency.available
        ? {
            available: true,
            p50Ms: r.latency.p50Ms,
            p99Ms: r.latency.p99Ms,
            maxMs: r.latency.maxMs,
            count: r.latency.count,
            negative: r.latency.negative,
          }
        : { available: false, reason: r.latency.unavailableReason }
      : undefined,
    verifier: r.verifier,
    faults: r.faults,
    failover: r.failover,
    disaster: r.disaster,
    failback: r.failback,
    catchUp: r.catchUp,
    latencyByPhase: r.latencyByPhase
      ? Object.fromEntries(
          Object.entries(r.latencyByPhase).map(([k, l]) => [k, { p50Ms: l.p50Ms, p99Ms: l.p99Ms, maxMs: l.maxMs, count: l.count }]),
        )
      : undefined,
    leftBehind: r.leftBehind,
    consumer1Lag: r.consumer1Lag,
    schema: r.schema,
    metrics: r.metrics,
    config: r.config,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
  };
}
