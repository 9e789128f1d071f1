import { describe, expect, it } from 'vitest';
import { mirrorConnectorConfigs } from '../../src/mirror/connectors';
import { mirrorLag } from '../../src/clients/connect';

const spec = {
  sourceBootstrap: ['up-kafka-1:9092'],
  targetBootstrap: ['down-kafka-1:9092', 'down-kafka-2:9092'],
  topic: 'peter-avro01-kafka1',
  partitions: 3,
  replicationFactor: 3,
};

describe('the MirrorMaker 2 connector configs', () => {
  const cfg = mirrorConnectorConfigs(spec);
  it('registers source, checkpoint and heartbeat connectors under the chapter alias src', () => {
    expect(Object.keys(cfg)).toEqual(['mm2-source-src', 'mm2-checkpoint-src', 'mm2-heartbeat-src']);
    for (const c of Object.values(cfg))
      expect(c).toMatchObject({ 'source.cluster.alias': 'src', 'source.cluster.bootstrap.servers': 'up-kafka-1:9092' });
  });
  it('copies bytes as they are, headers included (the default header converter rewrites them as base64)', () => {
    for (const c of Object.values(cfg)) {
      for (const k of ['key.converter', 'value.converter', 'header.converter'])
        expect(c[k]).toBe('org.apache.kafka.connect.converters.ByteArrayConverter');
    }
  });
  it('sends records to the target cluster wherever the workers sit, and mirrors exactly the topic', () => {
    const source = cfg['mm2-source-src'];
    expect(source['producer.override.bootstrap.servers']).toBe('down-kafka-1:9092,down-kafka-2:9092');
    expect(source.topics).toBe('peter-avro01-kafka1');
    expect(mirrorConnectorConfigs({ ...spec, topic: 'a.b' })['mm2-source-src'].topics).toBe('a\\.b');
    expect(source['tasks.max']).toBe('3');
    expect(source['replication.factor']).toBe('3');
  });
  it("checkpoints the chapter apps' groups", () => {
    expect(cfg['mm2-checkpoint-src']).toMatchObject({ groups: 'consumer-.*', 'emit.checkpoints.interval.seconds': '10' });
  });
});

describe("a mirror's lag from its committed positions", () => {
  it('counts from the position after the last record copied, never before where the copy starts, and is empty at lag zero', () => {
    const at = [
      { topic: 't', partition: 0, offset: 9 },
      { topic: 'other', partition: 1, offset: 99 },
    ];
    expect(mirrorLag(at, 't', { 0: '15', 1: '20', 2: '5' }, { 1: '12', 2: '5' })).toBe('p0:5 p1:8');
    expect(mirrorLag(at, 't', { 0: '10', 2: '5' }, { 2: '5' })).toBe('');
  });
});
