import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Client } from '@elastic/elasticsearch';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpJson } from '../../src/clients/http';
import { kafkaClient } from '../../src/clients/kafka';
import type { LabEndpoints } from '../../src/domain/endpoints';
import { MIRROR_MAKER_CLASSES } from '../../src/lab/health/probes';
import { provisionLab } from '../../src/lab/provision';
import { labStatus } from '../../src/lab/status';
import { teardownLab } from '../../src/lab/teardown';
import { closingPort, plainKafka } from '../helpers/closing-port';
import { connectDocker, leftovers, testLog, testTopology } from '../helpers/lab';
import { PORT_OFFSETS } from '../helpers/ports';

const topology = testTopology({ topology: 'lite', labId: 'it-lite', portOffset: PORT_OFFSETS.lite });

describe('the lite lab, for real', () => {
  let docker: Docker;
  let e: LabEndpoints;

  beforeAll(async () => {
    docker = await connectDocker();
    await teardownLab(docker, topology.labId);
    e = (await provisionLab(docker, topology, { log: testLog })).endpoints;
  });

  afterAll(async () => {
    await teardownLab(docker, topology.labId);
    expect(await leftovers(docker, topology.labId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
  });

  it.each(['upstream', 'downstream'] as const)('%s cluster: a topic is created and a message round-trips', async (dc) => {
    const kafka = kafkaClient(e.clusters[dc].bootstrap, 'it-roundtrip');
    const topic = `it-roundtrip-${dc}-${Date.now()}`;
    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true })).toBe(true);
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k', value: `hello ${dc}` }] });
    await producer.disconnect();
    const consumer = kafka.consumer({ groupId: `it-${topic}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const got = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message within 30s')), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          clearTimeout(timer);
          resolve(message.value!.toString());
        },
      });
    });
    await consumer.disconnect();
    expect(got).toBe(`hello ${dc}`);
  });

  it("connects through a broker that answers when the first one listed accepts and closes (a restarting broker's port)", async () => {
    const restarting = await closingPort();
    try {
      const brokers = [restarting.address, ...e.clusters.upstream.bootstrap];
      // kafkajs on its own connects through the first broker listed, and keeps trying it
      const plain = plainKafka(brokers).admin();
      await expect(plain.connect()).rejects.toThrow(/Closed connection/);
      const admin = kafkaClient(brokers, 'it-restarting').admin();
      await admin.connect();
      try {
        expect((await admin.describeCluster()).brokers.length).toBeGreaterThan(0);
      } finally {
        await admin.disconnect();
      }
    } finally {
      await restarting.close();
    }
  });

  it('Connect lists the MirrorMaker 2 connector classes', async () => {
    const res = await httpJson<{ class: string }[]>('Connect', `${e.connect.urls[0]}/connector-plugins`);
    expect(res.body.map((p) => p.class)).toEqual(expect.arrayContaining(MIRROR_MAKER_CLASSES));
  });

  it('the Schema Registry is BACKWARD by default, accepts a schema and returns it', async () => {
    const config = await httpJson<{ compatibilityLevel: string }>('Schema Registry', `${e.schemaRegistry!.url}/config`);
    expect(config.body.compatibilityLevel).toBe('BACKWARD');
    const registry = new SchemaRegistry({ host: e.schemaRegistry!.url });
    const schema = { type: 'record', name: 'Probe', namespace: 'it', fields: [{ name: 'n', type: 'int' }] };
    const { id } = await registry.register(
      { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
      { subject: `it-probe-${Date.now()}-value` },
    );
    const back = await httpJson<{ schema: string }>('Schema Registry', `${e.schemaRegistry!.url}/schemas/ids/${id}`);
    expect(JSON.parse(back.body.schema)).toMatchObject({ name: 'Probe', namespace: 'it', fields: [{ name: 'n', type: 'int' }] });
    const encoded = await registry.encode(id, { n: 42 });
    expect(await registry.decode(encoded)).toEqual({ n: 42 });
  });

  it('Elasticsearch indexes and finds a document', async () => {
    const es = new Client({ node: e.elasticsearch!.url });
    await es.index({ index: 'it-probe', id: '1', document: { name: 'Peter', class: 3 }, refresh: 'wait_for' });
    const found = await es.search({ index: 'it-probe', query: { term: { class: 3 } } });
    expect(found.hits.hits.map((h) => h._source)).toEqual([{ name: 'Peter', class: 3 }]);
  });

  it('Prometheus reports every scrape target up and returns a broker metric', async () => {
    const targets = await httpJson<{ data: { activeTargets: { health: string; labels: { job: string } }[] } }>(
      'Prometheus',
      `${e.prometheus!.url}/api/v1/targets`,
    );
    const active = targets.body.data.activeTargets;
    expect(active.map((t) => t.labels.job).sort()).toEqual(['apps', 'apps', 'connect', 'kafka-downstream', 'kafka-upstream']);
    expect(active.every((t) => t.health === 'up')).toBe(true);
    const q = await httpJson<{ data: { result: { metric: Record<string, string> }[] } }>(
      'Prometheus',
      `${e.prometheus!.url}/api/v1/query?query=${encodeURIComponent('kafka_server_replicamanager_partitioncount')}`,
    );
    expect(q.body.data.result.map((r) => r.metric.cluster).sort()).toEqual(['downstream', 'upstream']);
  });

  it('reports every component healthy in status, and up again reuses every container', async () => {
    const s = await labStatus(docker, topology.labId);
    expect(s.state).toBe('up');
    expect(s.components.map((c) => c.health)).toEqual(s.components.map(() => 'healthy'));
    const again = await provisionLab(docker, topology, { log: testLog });
    expect(again.created).toBe(0);
    expect(again.reused).toBe(8); // brokers, Connect, registry, Elasticsearch, Prometheus, consumer-1, consumer-2
  });
});
