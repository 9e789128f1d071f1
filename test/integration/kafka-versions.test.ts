import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUPPORTED_KAFKA_VERSIONS } from '../../infra/images';
import { HOST_PORT_BASE, kafkaHostPort } from '../../src/domain/ports';
import { matrixLabId } from '../../src/domain/kafka-matrix';
import { teardownLab } from '../../src/lab/teardown';
import { evaluateMonitoring } from '../../src/monitoring/evaluate';
import { runLab, jsonOf } from '../helpers/cli';
import { kafkajsAgainstBroker, type SentApi } from '../helpers/kafkajs-api-versions';
import { connectDocker, leftovers } from '../helpers/lab';
import { PORT_OFFSETS } from '../helpers/ports';

// `lab matrix` over Kafka 4.x and 3.9.x: the lite drill on each, one verdict per version. The labs
// are kept (--keep) so the same brokers then answer kafkajs's version check and the dashboards.
const BASE = 'it-kv';
const OFFSET = PORT_OFFSETS.kafkaVersions;
const VERSIONS = ['4.3.0', '3.9.1'] as const;
const labOf = (v: string) => matrixLabId(BASE, v);
const offsetOf = (v: string) => OFFSET + 100 * VERSIONS.indexOf(v as (typeof VERSIONS)[number]);
const ARTIFACTS = resolve(__dirname, '../../test-results');

/** The drill series document `lab matrix --json` prints (src/report/series.ts). */
interface MatrixJson {
  kind: string;
  verdict: string;
  workflowId: string;
  runs: {
    label: string;
    workflowId: string;
    input: { kafkaVersion: string; labId: string };
    verdict: string;
    report: { accounting: Record<string, number>; steps: { name: string; verdict: string; durationMs: number }[] };
  }[];
}

describe('Kafka versions: the drill on 4.x and 3.9.x', { timeout: 1_800_000 }, () => {
  let docker: Docker;
  let matrix: MatrixJson | undefined;
  beforeAll(async () => {
    docker = await connectDocker();
    for (const v of VERSIONS) await teardownLab(docker, labOf(v));
  });
  afterAll(async () => {
    for (const v of VERSIONS) await teardownLab(docker, labOf(v));
    for (const v of VERSIONS) expect(await leftovers(docker, labOf(v))).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it('refuses an unknown Kafka version before anything runs: one line naming the fix, exit 2', async () => {
    for (const args of [
      ['matrix', '--kafka-versions', '4.3.0,4.0.0'],
      ['drill', '--kafka-version', '4.0.0', '--lab-id', `${BASE}-x`],
      ['up', '--kafka-version', '4.0.0', '--lab-id', `${BASE}-x`],
    ]) {
      const r = await runLab(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/unknown Kafka version "4\.0\.0" \(fix: use one of 3\.9\.1, 4\.3\.0, the versions infra\/images\.ts pins\)/);
    }
  });

  it('`lab matrix` passes the lite drill on each version, with one verdict per version and exact accounting', async () => {
    const r = await runLab(
      ['matrix', '--kafka-versions', VERSIONS.join(','), '--lab-id', BASE, '--port-offset', String(OFFSET), '--keep', '--json'],
      {},
      1_700_000,
    );
    expect(r.stdout, `exit ${r.code}: ${r.stderr.slice(-3000)}`).not.toBe('');
    matrix = jsonOf(r) as MatrixJson;
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(resolve(ARTIFACTS, 'kafka-versions-matrix.json'), r.stdout);
    expect(
      matrix.runs.map((v) => `${v.input.kafkaVersion}:${v.verdict}`),
      r.stderr.slice(-3000),
    ).toEqual(VERSIONS.map((v) => `${v}:passed`));
    expect(matrix.verdict).toBe('passed');
    expect(r.code).toBe(0);
    // one parent workflow, each version's drill its child
    expect(matrix.kind).toBe('kafka-matrix');
    expect(r.stderr).toContain(`kafka-matrix ${matrix.workflowId} started`);
    for (const v of matrix.runs) {
      expect(v.workflowId).toBe(`${matrix.workflowId}-k${v.input.kafkaVersion}`);
      expect(v.input.labId).toBe(labOf(v.input.kafkaVersion));
      expect(v.report.steps.map((s) => `${s.name}:${s.verdict}`)).toEqual(
        [
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
        ].map((s) => `${s}:passed`),
      );
      expect(v.report.accounting).toMatchObject({
        produced: 200,
        mirrored: 200,
        indexed: 200,
        lost: 0,
        duplicated: 0,
        reordered: 0,
        altered: 0,
        missingInIndex: 0,
      });
    }
    // The human-readable form: one verdict line per version and the step durations side by side.
    expect(r.stderr).toMatch(/Kafka 4\.3\.0: passed, 200 produced, 0 lost/);
    expect(r.stderr).toMatch(/Kafka 3\.9\.1: passed, 200 produced, 0 lost/);
  });

  it('runs each lab on the image of its version, and no broker or worker logged an unsupported API version', async () => {
    expect(matrix?.verdict).toBe('passed');
    for (const v of VERSIONS) {
      for (const node of ['up-kafka-1', 'down-kafka-1', 'connect-1']) {
        const c = docker.getContainer(`kafka-lab-${labOf(v)}-${node}`);
        expect((await c.inspect()).Config.Image).toBe(`kafka-lab/kafka:${v}`);
        const logs = (await c.logs({ stdout: true, stderr: true })).toString('utf8');
        // the log format is the lab's own in both logging backends (log4j 1 for 3.9, log4j2 for 4.x)
        expect(logs).toMatch(/\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}\] INFO /); // docker's log frames prefix each line
        expect(logs).not.toMatch(/UnsupportedVersion|UNSUPPORTED_VERSION|unsupported version/i);
      }
    }
  });

  it('kafkajs sends every request at a version the broker serves, on 4.x as on 3.9.x', async () => {
    const sent: Record<string, SentApi[]> = {};
    for (const v of VERSIONS) {
      sent[v] = await kafkajsAgainstBroker('127.0.0.1', kafkaHostPort('upstream', 0, offsetOf(v)), `kafkajs-versions-${Date.now()}`);
      for (const s of sent[v]) {
        expect(s.broker, `${v} ${s.apiName}`).toBeDefined();
        for (const version of s.versions) {
          expect(version, `${v} ${s.apiName} v${version}`).toBeGreaterThanOrEqual(s.broker!.min);
          expect(version, `${v} ${s.apiName} v${version}`).toBeLessThanOrEqual(s.broker!.max);
        }
      }
      // every kind of request the drill makes was exercised
      expect(sent[v].map((s) => s.apiName)).toEqual(
        expect.arrayContaining([
          'Produce',
          'Fetch',
          'ListOffsets',
          'Metadata',
          'OffsetCommit',
          'OffsetFetch',
          'GroupCoordinator',
          'JoinGroup',
          'SyncGroup',
          'LeaveGroup',
          'CreateTopics',
          'DeleteRecords',
          'InitProducerId',
          'DeleteGroups',
        ]),
      );
    }
    // Kafka 4 really dropped old versions (KIP-896) that 3.9 still serves: the check above has teeth.
    const min = (v: string, api: string) => sent[v].find((s) => s.apiName === api)!.broker!.min;
    expect(min('4.3.0', 'Fetch')).toBeGreaterThan(min('3.9.1', 'Fetch'));
    expect(min('4.3.0', 'OffsetCommit')).toBeGreaterThan(min('3.9.1', 'OffsetCommit'));
    expect(min('4.3.0', 'CreateTopics')).toBeGreaterThan(min('3.9.1', 'CreateTopics'));
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(resolve(ARTIFACTS, 'kafkajs-api-versions.json'), JSON.stringify(sent, null, 2));
  });

  it('every dashboard panel and alert rule finds data on the 4.x lab', async () => {
    expect(SUPPORTED_KAFKA_VERSIONS).toContain('4.3.0');
    const { variables, results } = await evaluateMonitoring(`http://127.0.0.1:${HOST_PORT_BASE.prometheus + offsetOf('4.3.0')}`);
    expect(variables.topic).toContain('src.peter-avro01-kafka1');
    expect(results.filter((r) => !r.ok).map((r) => `${r.source}: ${r.error} [${r.expr}]`)).toEqual([]);
    expect(results.filter((r) => r.source.includes('/')).length).toBe(14);
  });
});
