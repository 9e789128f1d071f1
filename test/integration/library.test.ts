import { MockActivityEnvironment } from '@temporalio/testing';
import type Docker from 'dockerode';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerMirror } from '../../activities/mirror';
import type { ConnectorState, MirrorInput } from '../../src/contracts/mirror';
import { createTopic } from '../../activities/topics';
import { isInputProblem } from '../../src/domain/input-problem';
import { resolveDrillInput } from '../../src/domain/resolve-drill-input';
import { stepInputs } from '../../src/drill/step-inputs';
import { teardownLab } from '../../src/lab/teardown';
import { startDrill, startLab, type LabEndpoints, type StartLabOptions } from '../../src';
import { connectDocker, leftovers, testLog } from '../helpers/lab';
import { PORT_OFFSETS } from '../helpers/ports';

// What a platform team's test does with the library (imported here by path: the package's own
// name resolves to the same src/index.ts, see test/unit/library-exports.test.ts).
const LAB: StartLabOptions = { topology: 'lite', labId: 'it-library', portOffset: PORT_OFFSETS.library, log: testLog };
const NONE = { containers: 0, networks: 0, volumes: 0 };

/** Registers the chapter's mirror of `topic` through the drill's own activity, as its step builds it. */
async function mirror(e: LabEndpoints, topic: string) {
  const config = resolveDrillInput({ labId: LAB.labId, portOffset: LAB.portOffset, topic, partitions: 1 });
  if (isInputProblem(config)) throw new Error(config.problem);
  const inputs = stepInputs(config, e, 'it-library');
  await createTopic(inputs.createTopic());
  return new MockActivityEnvironment().run<[MirrorInput], ConnectorState[], typeof registerMirror>(registerMirror, inputs.registerMirror());
}

async function firstRecord(kafka: Kafka, topic: string): Promise<string> {
  const consumer = kafka.consumer({ groupId: `it-library-${topic}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`nothing on ${topic} within 90s`)), 90_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          clearTimeout(timer);
          resolve(message.value!.toString());
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
}

describe('the library: a lab and a drill from a test', { timeout: 600_000 }, () => {
  let docker: Docker;
  beforeAll(async () => {
    docker = await connectDocker();
    await teardownLab(docker, LAB.labId!);
  });
  // Only a failed test leaves anything here: each scope below removes its lab itself.
  afterAll(() => teardownLab(docker, LAB.labId!));

  it('keep: true leaves the lab up after its scope, for the next startLab to reuse', async () => {
    {
      await using lab = await startLab({ ...LAB, keep: true });
      expect(lab.created).toBeGreaterThan(0);
      expect((await lab.status()).state).toBe('up');
    }
    expect((await leftovers(docker, LAB.labId!)).containers).toBe(8);
  });

  it('a record produced upstream arrives mirrored downstream; every endpoint answers; the scope ends with the lab gone', async () => {
    {
      await using lab = await startLab(LAB);
      expect(lab.reused).toBe(8); // the kept lab: brokers, Connect, registry, Elasticsearch, Prometheus, two apps
      const s = await lab.status(); // each component probed through its own API
      expect(s.components.filter((c) => c.health !== 'healthy')).toEqual([]);
      expect(s.components.map((c) => c.endpoint)).toEqual(
        expect.arrayContaining([lab.endpoints.schemaRegistry!.url, lab.endpoints.elasticsearch!.url, lab.endpoints.prometheus!.url]),
      );

      const topic = `it-library-${Date.now()}`;
      const states = await mirror(lab.endpoints, topic);
      expect(states.map((c) => c.state)).toEqual(states.map(() => 'RUNNING'));
      const upstream = new Kafka({
        clientId: 'it-library',
        brokers: lab.endpoints.clusters.upstream.bootstrap,
        logLevel: logLevel.NOTHING,
      });
      const producer = upstream.producer();
      await producer.connect();
      await producer.send({ topic, messages: [{ key: 'peter', value: 'hello from upstream' }] });
      await producer.disconnect();
      const downstream = new Kafka({
        clientId: 'it-library',
        brokers: lab.endpoints.clusters.downstream.bootstrap,
        logLevel: logLevel.NOTHING,
      });
      expect(await firstRecord(downstream, `src.${topic}`)).toBe('hello from upstream');
    }
    expect(await leftovers(docker, LAB.labId!)).toEqual(NONE);
  });

  it('startDrill runs the chapter drill with a worker in this process, on the lab of the scope', async () => {
    {
      await using lab = await startLab(LAB);
      const steps: string[] = [];
      await using drill = await startDrill(
        { labId: lab.labId, portOffset: LAB.portOffset, keepLab: true },
        { workflowId: `it-library-${Date.now()}`, onStep: (s) => steps.push(`${s.name}:${s.verdict}`), log: testLog },
      );
      const { report, error } = await drill.result();
      expect(error).toBeUndefined();
      expect(report?.verdict, JSON.stringify(report?.steps.filter((s) => s.verdict !== 'passed'))).toBe('passed');
      expect(report?.accounting).toMatchObject({ produced: 200, mirrored: 200, lost: 0 });
      expect(steps).toEqual(report!.steps.map((s) => `${s.name}:${s.verdict}`));
      expect((await drill.progress()).step).toBe('done');
      // keepLab: the drill left the lab to the scope
      expect((await leftovers(docker, LAB.labId!)).containers).toBe(8);
    }
    expect(await leftovers(docker, LAB.labId!)).toEqual(NONE);
  });
});
