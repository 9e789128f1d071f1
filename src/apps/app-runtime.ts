import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { Kafka, logLevel, type Admin, type Consumer, type EachBatchPayload, type SASLOptions } from 'kafkajs';
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
  // lag is published for the first topic: the one the chapter's dashboards follow
  const metrics = new AppMetrics({ app: env.app, group: env.group, topic: env.topic.split(',')[0] });
  metrics.serve(env.metricsPort, env.metricsHost);
  // Nothing starts the app again if it exits, and starting can meet a cluster still spreading the
  // drill's new topic (one broker answers UNKNOWN_TOPIC_OR_PARTITION): it tries again instead.
  let started: { admin: Admin; consumer: Consumer } | undefined;
  // Set before starting: as PID 1 in its container the app would otherwise ignore SIGTERM.
  const stop = async () => {
    await started?.consumer.disconnect().catch(() => undefined);
    await started?.admin.disconnect().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  for (let attempt = 1; !started; attempt++) {
    const admin = kafka.admin();
    const consumer: Consumer = kafka.consumer({ groupId: env.group, allowAutoTopicCreation: false });
    try {
      await consume(admin, consumer);
      started = { admin, consumer };
    } catch (e) {
      log(env.app, `start failed (attempt ${attempt}), trying again in 2 s: ${(e as Error).message}`);
      await consumer.disconnect().catch(() => undefined);
      await admin.disconnect().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
  const { admin } = started;
  // A second after the last refresh ended, so a scrape shows the lag of about that moment, and one at
  // a time: a dead broker holds a refresh for the admin client's whole timeout. Not in the scrape
  // itself, which would then hang and turn the app into a target that is down.
  const refreshLag = (): void => {
    metrics
      .refreshLag(admin)
      .catch((e) => log(env.app, `lag refresh failed: ${e.message}`))
      .finally(() => setTimeout(refreshLag, 1000).unref());
  };
  refreshLag();

  async function consume(admin: Admin, consumer: Consumer) {
    await admin.connect();
    // The topics are created by the drill; until then the app waits instead of failing.
    const wanted = env.topic.split(',');
    for (;;) {
      const topics = await admin.listTopics().catch(() => [] as string[]);
      if (wanted.every((t) => topics.includes(t))) break;
      await new Promise((r) => setTimeout(r, 2000));
    }
    log(env.app, `consuming ${wanted.join(', ')} as group ${env.group}`);
    await consumer.connect();
    await consumer.subscribe({ topics: wanted, fromBeginning: true });
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
  }
}
