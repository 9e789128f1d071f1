import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { MockActivityEnvironment } from '@temporalio/testing';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerMirror } from '../../activities/mirror';
import { createTopic } from '../../activities/topics';
import type { KafkaAccess } from '../../src/domain/access';
import type { LabEndpoints } from '../../src/domain/endpoints';
import { safeProbe } from '../../src/lab/health/probe';
import { kafkaProbe } from '../../src/lab/health/probes';
import { provisionLab } from '../../src/lab/provision';
import { teardownLab } from '../../src/lab/teardown';
import { execIn } from '../../src/docker/exec';
import { connectTemporal } from '../../src/temporal/dev-server';
import { runLab, jsonOf } from '../helpers/cli';
import { connectDocker, leftovers, testLog, testTopology } from '../helpers/lab';
import { PORT_OFFSETS } from '../helpers/ports';

// A target whose published Kafka listeners require SASL/SCRAM-SHA-512: the drill reads the
// credentials from the environment at activity time, and they never reach workflow history.
const LAB_ID = 'it-scram';
const PASSWORD = `scram-${Date.now()}-secret`;
const SASL: KafkaAccess = {
  sasl: { mechanism: 'scram-sha-512', username: { env: 'IT_SCRAM_USER' }, password: { env: 'IT_SCRAM_PASSWORD' } },
};
const CREDS = { IT_SCRAM_USER: 'lab', IT_SCRAM_PASSWORD: PASSWORD };

describe('a drill against a SASL/SCRAM-secured target', { timeout: 900_000 }, () => {
  let docker: Docker;
  let e: LabEndpoints;
  let file: string;

  beforeAll(async () => {
    docker = await connectDocker();
    await teardownLab(docker, LAB_ID);
    process.env.LAB_KAFKA_SCRAM_PASSWORD = PASSWORD;
    Object.assign(process.env, CREDS);
    e = (
      await provisionLab(
        docker,
        testTopology({ topology: 'lite', labId: LAB_ID, portOffset: PORT_OFFSETS.scram, kafkaSecurity: 'scram' }),
        {
          log: testLog,
        },
      )
    ).endpoints;
    // The target's own mirror, set up the way its operators would (the drill only checks it).
    const env = new MockActivityEnvironment();
    await env.run(createTopic, {
      bootstrap: e.clusters.upstream.bootstrap,
      topic: 'peter-avro01-kafka1',
      partitions: 3,
      replicationFactor: 1,
      access: SASL,
    });
    await env.run(registerMirror, {
      connectUrl: e.connect.urls[0],
      sourceBootstrap: e.clusters.upstream.internalBootstrap,
      targetBootstrap: e.clusters.downstream.internalBootstrap,
      targetHostBootstrap: e.clusters.downstream.bootstrap,
      topic: 'peter-avro01-kafka1',
      mirroredTopic: 'src.peter-avro01-kafka1',
      partitions: 3,
      replicationFactor: 1,
      access: { downstream: SASL },
    });
    file = join(mkdtempSync(join(tmpdir(), 'lab-scram-')), 'secured.yaml');
    const sasl = 'sasl: { mechanism: scram-sha-512, username: { env: IT_SCRAM_USER }, password: { env: IT_SCRAM_PASSWORD } }';
    writeFileSync(
      file,
      [
        'name: secured',
        `upstream: { bootstrap: ["${e.clusters.upstream.bootstrap[0]}"], ${sasl} }`,
        `downstream: { bootstrap: ["${e.clusters.downstream.bootstrap[0]}"], ${sasl} }`,
        `connect: { url: "${e.connect.urls[0]}" }`,
        `schemaRegistry: { url: "${e.schemaRegistry!.url}" }`,
        `elasticsearch: { url: "${e.elasticsearch!.url}" }`,
        `prometheus: { url: "${e.prometheus!.url}" }`,
      ].join('\n'),
    );
  });
  afterAll(async () => {
    await teardownLab(docker, LAB_ID);
    for (const k of ['LAB_KAFKA_SCRAM_PASSWORD', ...Object.keys(CREDS)]) delete process.env[k];
  });

  it('refuses a client without credentials', async () => {
    const r = await safeProbe(kafkaProbe(e.clusters.upstream.bootstrap, 1));
    expect(r.ok).toBe(false);
  });

  it('passes with the credentials from the environment, and keeps them out of history', async () => {
    const r = await runLab(['drill', '--target', file, '--json', '--workflow-id', `it-scram-${Date.now()}`], CREDS);
    const report = jsonOf(r);
    expect(report.verdict, r.stderr.slice(-1500)).toBe('passed');
    expect(report.accounting).toMatchObject({ produced: 200, mirrored: 200, indexed: 200, lost: 0 });
    const connection = await connectTemporal();
    const history = await new Client({ connection }).workflow.getHandle(report.drillId).fetchHistory();
    await connection.close();
    const text = decodedPayloads(history);
    expect(text).toContain('IT_SCRAM_PASSWORD'); // the reference travels...
    expect(text).not.toContain(PASSWORD); // ...the secret does not
    expect(JSON.stringify(history)).not.toContain(PASSWORD);
    expect(await leftovers(docker, 'target-secured')).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it("gives the drill's apps their credentials as a file only, listens on loopback, and grants no extra capability", async () => {
    const r = await runLab(['drill', '--target', file, '--json', '--keep', '--workflow-id', `it-scram-keep-${Date.now()}`], CREDS);
    expect(jsonOf(r).verdict, r.stderr.slice(-1500)).toBe('passed');
    try {
      for (const name of ['kafka-lab-target-secured-consumer-1', 'kafka-lab-target-secured-consumer-2']) {
        const info = await docker.getContainer(name).inspect();
        expect(JSON.stringify(info)).not.toContain(PASSWORD); // not in env, labels or anything inspect shows
        expect(info.HostConfig.CapAdd ?? []).toEqual([]);
        const port = Number(info.Config.Env.find((v) => v.startsWith('LAB_METRICS_PORT='))!.split('=')[1]);
        // /proc/net/tcp: the metrics socket listens on 127.0.0.1 (0100007F), state 0A (LISTEN)
        const tcp = await execIn(docker, name, ['cat', '/proc/net/tcp']);
        const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
        const listeners = tcp.output.split('\n').filter((l) => l.includes(`:${hexPort} `) && / 0A /.test(l));
        expect(listeners.length).toBeGreaterThan(0);
        expect(listeners.every((l) => l.trim().split(/\s+/)[1].startsWith('0100007F:'))).toBe(true);
        const secret = await execIn(docker, name, ['stat', '-c', '%a', '/run/kafka-lab/credentials.json']);
        expect(secret.output.trim()).toBe('400');
      }
    } finally {
      await teardownLab(docker, 'target-secured');
    }
  });

  it('exits 2 before starting when a credential is not set', async () => {
    const r = await runLab(['drill', '--target', file], { IT_SCRAM_USER: 'lab', IT_SCRAM_PASSWORD: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the upstream Kafka SASL password is not set: environment variable IT_SCRAM_PASSWORD is empty/);
  });
});

/** Every payload of a history, decoded to text (they are base64 in the history's JSON form). */
function decodedPayloads(history: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (o.data instanceof Uint8Array) out.push(Buffer.from(o.data).toString('utf8'));
      else if (typeof o.data === 'string' && o.metadata) out.push(Buffer.from(o.data, 'base64').toString('utf8'));
      Object.values(o).forEach(walk);
    }
  };
  walk(history);
  return out.join('\n');
}
