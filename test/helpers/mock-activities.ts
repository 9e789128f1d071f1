import type { DrillActivities } from '../../src/contracts/activities';
import { expectedCount } from '../../src/domain/accounting';
import { DisasterSchema, disasterGateProblems } from '../../src/domain/disaster';
import { failbackFigures, failbackGateProblems, type FailbackAccounting } from '../../src/domain/failback';
import type { LabEndpoints } from '../../src/domain/endpoints';
import type { Accounting } from '../../src/domain/report';

const endpoints: LabEndpoints = {
  labId: 'wf-test',
  clusters: {
    upstream: { bootstrap: ['127.0.0.1:1'], internalBootstrap: ['up-kafka-1:9092'] },
    downstream: { bootstrap: ['127.0.0.1:2'], internalBootstrap: ['down-kafka-1:9092'] },
  },
  connect: { urls: ['http://127.0.0.1:3'], internalUrls: ['http://connect-1:8083'] },
  schemaRegistry: { url: 'http://127.0.0.1:4', internalUrl: 'http://schema-registry:8080' },
  elasticsearch: { url: 'http://127.0.0.1:5', internalUrl: 'http://elasticsearch:9200' },
  prometheus: { url: 'http://127.0.0.1:6', internalUrl: 'http://prometheus:9090' },
  apps: [
    { name: 'consumer-1', metricsUrl: 'http://127.0.0.1:7' },
    { name: 'consumer-2', metricsUrl: 'http://127.0.0.1:8' },
  ],
};

const cleanAccounting = (n: number): Accounting => ({
  produced: n,
  mirrored: n,
  indexed: n,
  lost: 0,
  duplicated: 0,
  reordered: 0,
  altered: 0,
  missingInIndex: 0,
  alteredInIndex: 0,
  examples: { lost: [], duplicated: [], reordered: [], altered: [], missingInIndex: [] },
});

/**
 * Stub activities for workflow tests: they record the order they were called in and answer like
 * the real ones would on a healthy lab. Tests override single activities to inject failures.
 */
export function mockActivities(calls: string[], overrides: Partial<DrillActivities> = {}): DrillActivities {
  const record =
    <T>(name: string, value: T) =>
    async () => {
      calls.push(name);
      return value;
    };
  const base: DrillActivities = {
    provisionDrillLab: record('provisionDrillLab', { endpoints, created: 8, reused: 0, components: 8 }),
    attachTarget: record('attachTarget', { endpoints, created: 0, reused: 0, components: 6 }),
    teardownDrillLab: record('teardownDrillLab', { containers: ['a'], networks: ['n'], volumes: [] }),
    createTopic: record('createTopic', { topic: 'peter-avro01-kafka1', created: true, partitions: 3 }),
    registerMirror: record('registerMirror', [{ name: 'mm2-source-src', state: 'RUNNING', tasks: ['RUNNING'], changed: true }]),
    startApps: record('startApps', { apps: [{ name: 'consumer-1', metricsUrl: 'x', detail: 'ok' }] }),
    recordProduceStart: async () => {
      calls.push('recordProduceStart');
      return { startOffsets: { 0: '0', 1: '0', 2: '0' }, startedAt: 1 };
    },
    produceStudents: async (input) => {
      calls.push(`produceStudents:${input.generation}`);
      return {
        schemaId: input.generation,
        subject: `${input.topic}-value`,
        range: { first: input.firstSeq, count: input.count },
        acknowledged: input.count,
        resumed: 0,
        writtenTwice: 0,
        startedAt: 1,
        durationMs: 5,
        messagesPerSecond: 1000,
      };
    },
    deleteMirroredRecords: record('deleteMirroredRecords', { partition: 0, from: 0, to: 3 }),
    injectFault: async (input) => {
      calls.push(`injectFault:${input.fault.kind}`);
      return { kind: input.fault.kind, targets: ['x'], at: 1 };
    },
    undoFault: async (input) => {
      calls.push(`undoFault:${input.fault.kind}`);
      return { kind: input.fault.kind, targets: ['x'], at: 2 };
    },
    prepareFailoverGroup: record('prepareFailoverGroup', { startOffsets: { 0: 0, 1: 0, 2: 0 } }),
    consumeUpstream: record('consumeUpstream', { committed: { 0: 5, 1: 5, 2: 5 }, processed: 15 }),
    dataCenterDown: record('dataCenterDown', { targets: ['up-kafka-1'], at: 4 }),
    translateGroupOffsets: record('translateGroupOffsets', {
      0: { upstreamOffset: 4, downstreamOffset: 4, at: 2, ageSeconds: 2 },
      1: { upstreamOffset: 4, downstreamOffset: 4, at: 2, ageSeconds: 2 },
      2: { upstreamOffset: 4, downstreamOffset: 4, at: 2, ageSeconds: 2 },
    }),
    consumeDownstream: record('consumeDownstream', {
      resumedAt: { 0: 4, 1: 4, 2: 4 },
      end: { 0: 10, 1: 10, 2: 10 },
      startedAt: { 0: 4, 1: 4, 2: 4 },
      processed: 18,
    }),
    dataCenterUp: record('dataCenterUp', { targets: ['up-kafka-1'], at: 9 }),
    accountFailover: async (input) => {
      calls.push('accountFailover');
      const partitions = input.states.map((s) => ({ ...s, skipped: 0, twiceAfterCheckpoint: 1, twiceByTranslation: 0 }));
      return {
        accounting: {
          group: input.group,
          expected: input.range.count,
          processedUpstream: 15,
          processedDownstream: input.range.count - 12,
          skipped: 0,
          twice: 3,
          twiceAfterCheckpoint: 3,
          twiceByTranslation: 0,
          examples: { skipped: [], twice: [4, 5, 6] },
          partitions,
          bounds: input.bounds,
        },
        problems: [],
      };
    },
    consumeSite: async (input) => {
      calls.push(`consumeSite:${input.toEnd ? 'dr' : 'primary'}`);
      const offsets = Object.fromEntries(input.topics.map((t) => [t, { 0: 10, 1: 10, 2: 10 }]));
      return { firstProcessedAt: input.toEnd ? 9_000 : 2, processed: 30, resumedAt: offsets, firstOffsets: offsets, ends: offsets };
    },
    syncRegistries: record('syncRegistries', { ids: { 1: 'abc' }, action: 'imported', at: 2 }),
    pauseMirror: record('pauseMirror', { connector: 'mm2-source-src', at: 3, state: 'PAUSED' }),
    loseSite: record('loseSite', { targets: ['up-kafka-1', 'up-connect-1'], at: 5_000, deadAt: 5_100, evidence: ['killed'] }),
    accountDisaster: async (input) => {
      calls.push('accountDisaster');
      const rpo = { records: 7, partitions: [{ partition: 0, count: 7, oldestProducedAt: 3_000, firstOffset: 50 }], seconds: 2 };
      const rto = { producersSeconds: 6, consumersSeconds: 4, indexSeconds: 8, seconds: 8, unknown: [] };
      return {
        accounting: {
          upstream: {
            acknowledged: 100,
            mirrored: 93,
            stranded: 7,
            lostAcknowledged: 0,
            writtenUnacknowledged: 0,
            unacknowledgedMirrored: 0,
            mirroredTwice: 0,
          },
          dr: { first: input.dr.first, written: input.dr.count, found: input.dr.count, missing: 0 },
          group: {
            group: input.group,
            expected: 93 + input.dr.count,
            processedUpstream: 30,
            processedDownstream: 63,
            processedDr: input.dr.count,
            skipped: 0,
            twice: 0,
            twiceAfterCheckpoint: 0,
            twiceByTranslation: 0,
            partitions: [],
          },
          index: { expected: 93 + input.dr.count, indexed: 93 + input.dr.count, missing: 0 },
          examples: { stranded: [1], lostAcknowledged: [], skipped: [], notIndexed: [] },
        },
        rpo,
        rto,
        latency: { available: true, count: 93, negative: 0, p50Ms: 40, p99Ms: 900, maxMs: 950, samples: [] },
        committedOnPrimary: { 0: 10, 1: 10, 2: 10 },
        registry: { ids: [1], mismatched: [], undecodable: 0 },
        // the gates as the real activity judges them: the workflow must fail the step on what they say
        problems: disasterGateProblems(rpo, rto, DisasterSchema.parse(input.disaster)),
      };
    },
    stopMirror: record('stopMirror', {
      connector: 'mm2-source-src',
      at: 40_000,
      state: 'STOPPED',
      mirroredEnd: { 0: '31', 1: '31', 2: '31' },
    }),
    reconcileStranded: async (input) => {
      calls.push(`reconcileStranded:${input.action}`);
      const partitions = [{ partition: 0, count: 7, firstOffset: 31, lastOffset: 37 }];
      return { action: input.action, records: 7, partitions, republished: input.action === 'republish' ? 7 : 0, alreadyThere: 0 };
    },
    reverseMirror: record('reverseMirror', {
      connectors: [{ name: 'mm2-source-dst', state: 'RUNNING', tasks: ['RUNNING'], changed: true }],
      registeredAt: 45_000,
      startOffsets: { 0: '0', 1: '0', 2: '0' },
      caughtUpAt: 47_000,
      copied: 200,
      sourceEnd: { 0: 67, 1: 67, 2: 66 },
    }),
    translateBack: record('translateBack', {
      committedDr: { 0: 67, 1: 67, 2: 66 },
      translated: {
        0: { upstreamOffset: 67, downstreamOffset: 60, at: 48_000 },
        1: { upstreamOffset: 67, downstreamOffset: 60, at: 48_000 },
        2: { upstreamOffset: 66, downstreamOffset: 60, at: 48_000 },
      },
    }),
    resumeMirror: record('resumeMirror', {
      at: 70_000,
      caughtUpAt: 72_000,
      positions: [],
      removed: ['mm2-source-dst', 'mm2-checkpoint-dst'],
    }),
    accountFailback: async (input) => {
      calls.push('accountFailback');
      const accounting: FailbackAccounting = {
        stranded: {
          action: input.action,
          records: 7,
          partitions: [{ partition: 0, count: 7, firstOffset: 31, lastOffset: 37 }],
          republished: input.action === 'republish' ? 7 : 0,
          republishedTwice: 0,
          leaked: 0,
        },
        reverse: { expected: input.dr.count, movedBack: input.dr.count, missing: 0, copiedTwice: 0 },
        forward: { written: input.failback.count, onPrimary: input.failback.count, mirrored: input.failback.count, missing: 0 },
        group: {
          expected: input.failback.count,
          processed: input.failback.count,
          skipped: 0,
          twiceByReverseTranslation: 20,
          partitions: [],
        },
        index: { expected: input.failback.count, indexed: input.failback.count, missing: 0 },
        examples: { missingBack: [], missingForward: [], skipped: [], leaked: [], notIndexed: [] },
      };
      const figures = failbackFigures({ ...input.marks, reverse: input.reverse });
      // the gate as the real activity judges it
      return { accounting, figures, problems: failbackGateProblems(figures, input.maxFailbackSeconds) };
    },
    verifyDelivery: async (input) => {
      const n = expectedCount(input.expected);
      calls.push(`verifyDelivery:${n}`);
      return {
        accounting: cleanAccounting(n),
        latency: { available: true, count: 1, negative: 0, p50Ms: 5, p99Ms: 9, maxMs: 9, samples: [] },
        consumer1Lag: 0,
        problems: [],
        waitedMs: 10,
        resumed: 0,
        memory: { stateBytes: 0, peakRssMiB: 0 },
      };
    },
    evolveSchema: record('evolveSchema', {
      subject: 'peter-avro01-kafka1-value',
      compatibilityLevel: 'BACKWARD',
      registryVerdict: 'compatible' as const,
      v2Id: 2,
      versions: [1, 2],
      crossRead: { v1ReadsV2: {}, v2ReadsV1: {} },
    }),
    observeFlow: record('observeFlow', { mirrorLagMs: 10, indexAgeMs: 1000, problems: [] }),
    checkMetrics: record('checkMetrics', [{ name: 'up', query: 'up', verdict: 'passed' as const, observed: '5 up', expectation: '5 up' }]),
  };
  return { ...base, ...overrides };
}
