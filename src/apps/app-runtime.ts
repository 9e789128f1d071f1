import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel, type Consumer, type EachBatchPayload, type SASLOptions } from 'kafkajs';
import { AppMetrics } from './app-metrics';
import type { AppEnv } from './app-env';

const log = (app: string, msg: string) => process.stdout.write(`${new Date().toISOString()} ${app} ${msg}\n`);

/**
 * The loop both chapter apps share: wait for the topic, consume it as a group from the beginning,
 * hand each batch to `handle`, and publish records and lag on /metrics. Offsets are committed only
 * after `handle` succeeds, so a crash redelivers rather than loses.
 */
export async function runConsumerApp(env: AppEnv, handle: (batch: EachBatchPayload['batch'], registry: SchemaRegistry) => Promise<void>) {
  const kafka = new Kafka({
    clientId: env.app,
    brokers: env.bootstrap,
    logLevel: logLevel.WARN,
    retry: { retries: 10 },
    ...(env.kafkaSasl ? { sasl: env.kafkaSasl as SASLOptions } : {}),
    ...(env.kafkaTls ? { ssl: env.kafkaTls } : {}),
  });
  const registry = new SchemaRegistry({ host: env.schemaRegistryUrl, auth: env.schemaRegistryAuth });
  const metrics = new AppMetrics({ app: env.app, group: env.group, topic: env.topic });
  metrics.serve(env.metricsPort, env.metricsHost);
  const admin = kafka.admin();
  await admin.connect();
  // The topic is created by the drill; until then the app waits instead of failing.
  for (;;) {
    const topics = await admin.listTopics().catch(() => [] as string[]);
    if (topics.includes(env.topic)) break;
    await new Promise((r) => setTimeout(r, 2000));
  }
  log(env.app, `consuming ${env.topic} as group ${env.group}`);
  setInterval(() => metrics.refreshLag(admin).catch((e) => log(env.app, `lag refresh failed: ${e.message}`)), 5000).unref();

  const consumer: Consumer = kafka.consumer({ groupId: env.group, allowAutoTopicCreation: false });
  await consumer.connect();
  await consumer.subscribe({ topic: env.topic, fromBeginning: true });
  await consumer.run({
    eachBatchAutoResolve: false,
    // Partitions are independent: while one batch is being indexed, the next partition's is fetched.
    partitionsConsumedConcurrently: 3,
    eachBatch: async (payload) => {
      try {
        await handle(payload.batch, registry);
      } catch (e) {
        metrics.failed();
        log(env.app, `batch failed, will be redelivered: ${(e as Error).message}`);
        throw e;
      }
      const last = payload.batch.messages[payload.batch.messages.length - 1];
      if (last) payload.resolveOffset(last.offset);
      await payload.commitOffsetsIfNecessary();
      metrics.recorded(payload.batch.messages.length);
      await payload.heartbeat();
    },
  });
  const stop = async () => {
    await consumer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
