import { Socket } from 'node:net';
import { kafkaClient } from '../../src/clients/kafka';

export interface BrokerRange {
  min: number;
  max: number;
}

/** One kafkajs request kind as it went out: the API and every version kafkajs sent for it. */
export interface SentApi {
  apiKey: number;
  apiName: string;
  versions: number[];
  broker?: BrokerRange;
}

/**
 * The broker's own word on the versions it serves, from a raw ApiVersions v0 request (the one
 * version every broker keeps, so a client can always ask): apiKey -> [min, max].
 */
export function brokerApiVersions(host: string, port: number): Promise<Map<number, BrokerRange>> {
  const clientId = Buffer.from('kafka-lab-api-versions');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length);
  body.writeInt16BE(18, 0); // ApiVersions
  body.writeInt16BE(0, 2); // v0: request header v1, response without tagged fields
  body.writeInt32BE(1, 4); // correlation id
  body.writeInt16BE(clientId.length, 8);
  clientId.copy(body, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return new Promise((resolve, reject) => {
    const socket = new Socket();
    let data = Buffer.alloc(0);
    const timer = setTimeout(() => socket.destroy(new Error(`no ApiVersions answer from ${host}:${port}`)), 10_000);
    socket.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    socket.on('data', (chunk) => {
      data = Buffer.concat([data, chunk]);
      if (data.length < 4 || data.length < 4 + data.readInt32BE(0)) return;
      clearTimeout(timer);
      socket.end();
      const errorCode = data.readInt16BE(8);
      if (errorCode !== 0) return reject(new Error(`ApiVersions v0 answered error ${errorCode}`));
      const n = data.readInt32BE(10);
      const out = new Map<number, BrokerRange>();
      for (let i = 0, at = 14; i < n; i++, at += 6) {
        out.set(data.readInt16BE(at), { min: data.readInt16BE(at + 2), max: data.readInt16BE(at + 4) });
      }
      resolve(out);
    });
    socket.connect(port, host, () => socket.write(Buffer.concat([size, body])));
  });
}

/**
 * What the drill does with kafkajs, on a topic of its own: admin (create, metadata, offsets,
 * offsets by timestamp, group offsets, delete records, delete group, describe cluster), an
 * idempotent acks=all producer, and a consumer group that reads from the beginning and commits.
 * Every request kafkajs sends is recorded (its REQUEST instrumentation event names the API and
 * the version negotiated); any request the broker refused would fail the operation that sent it.
 */
export async function kafkajsWorkload(bootstrap: string, topic: string): Promise<SentApi[]> {
  const sent = new Map<string, SentApi>();
  const record = (e: { payload: { apiKey: number; apiName: string; apiVersion: number } }) => {
    const { apiKey, apiName, apiVersion } = e.payload;
    const s = sent.get(apiName) ?? { apiKey, apiName, versions: [] };
    if (!s.versions.includes(apiVersion)) s.versions.push(apiVersion);
    sent.set(apiName, s);
  };
  const kafka = kafkaClient([bootstrap], 'kafka-lab-api-versions');
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
  const group = `${topic}-group`;
  const consumer = kafka.consumer({ groupId: group, sessionTimeout: 10_000, heartbeatInterval: 500 });
  admin.on(admin.events.REQUEST, record);
  producer.on(producer.events.REQUEST, record);
  consumer.on(consumer.events.REQUEST, record);
  await admin.connect();
  try {
    await admin.describeCluster();
    await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
    await admin.listTopics();
    await admin.fetchTopicMetadata({ topics: [topic] });
    await producer.connect();
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) });
    await producer.disconnect();
    await admin.fetchTopicOffsets(topic);
    await admin.fetchTopicOffsetsByTimestamp(topic, Date.now() - 60_000);
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    let seen = 0;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the consumer group read ${seen} of 10 records in 60 s`)), 60_000);
      void consumer.run({
        autoCommit: true,
        eachMessage: async () => {
          if (++seen === 10) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
    await consumer.disconnect(); // commits, then LeaveGroup
    await admin.fetchOffsets({ groupId: group, topics: [topic] });
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '1' }] });
    await admin.deleteGroups([group]);
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await admin.disconnect();
  }
  return [...sent.values()].sort((a, b) => a.apiKey - b.apiKey);
}

/** The workload's requests, each with the broker's range next to it. */
export async function kafkajsAgainstBroker(host: string, port: number, topic: string): Promise<SentApi[]> {
  const ranges = await brokerApiVersions(host, port);
  const sent = await kafkajsWorkload(`${host}:${port}`, topic);
  return sent.map((s) => ({ ...s, broker: ranges.get(s.apiKey) }));
}
