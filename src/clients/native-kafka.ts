import { kafkaAccessOptions } from '../config/credentials';
import type { KafkaAccess } from '../domain/access';
import { InvalidInputError, ServiceUnreachableError } from '../errors';

/**
 * librdkafka through @confluentinc/kafka-javascript, an optional dependency: infra/setup.sh builds
 * it from its npm package against Debian's libraries (its own install step downloads from project
 * sites, which a machine without them cannot reach). Typed here by the little the drill uses, so
 * the project type-checks where it was not built.
 */
export interface NativeDeliveryReport {
  partition: number;
  offset: number;
  /** The record's key, as sent. */
  key?: Buffer | null;
}
export interface NativeKafkaError extends Error {
  code: number;
  isFatal?: boolean;
  isRetriable?: boolean;
}
export interface NativeProducer {
  connect(opts: { timeout: number }, cb: (err: NativeKafkaError | null) => void): void;
  produce(
    topic: string,
    partition: number,
    value: Buffer,
    key: string,
    timestamp: number,
    opaque: unknown,
    headers: Record<string, string>[],
  ): unknown;
  setPollInterval(ms: number): void;
  disconnect(timeoutMs: number, cb: () => void): void;
  on(event: 'delivery-report', f: (err: NativeKafkaError | null, r: NativeDeliveryReport) => void): void;
  on(event: 'event.error', f: (err: NativeKafkaError) => void): void;
}
interface NativeModule {
  Producer: new (config: Record<string, string | number | boolean>) => NativeProducer;
  librdkafkaVersion: string;
}

const PACKAGE = '@confluentinc/kafka-javascript';

let loaded: NativeModule | Error | undefined;

/** The native client, or why it cannot be used: loaded once per process (its addon binds to one thread). */
export function nativeKafka(): NativeModule {
  if (loaded === undefined) {
    try {
      loaded = require(PACKAGE) as NativeModule;
    } catch (e) {
      loaded = e instanceof Error ? e : new Error(String(e));
    }
  }
  if (loaded instanceof Error)
    throw new InvalidInputError(
      `--producer librdkafka needs the native Kafka client (${PACKAGE}), which is not built here: ${loaded.message.split('\n')[0]}`,
      'run bash infra/setup.sh (it installs what the build needs and builds it), or use --producer kafkajs',
    );
  return loaded;
}

/** librdkafka's settings for SASL and TLS, from the same access references kafkajs reads. */
export function nativeAccessConfig(a: KafkaAccess | undefined, side: string): Record<string, string> {
  const o = kafkaAccessOptions(a, side);
  const tls = a?.tls !== undefined && a.tls !== false;
  const config: Record<string, string> = {};
  if (o.sasl || tls) config['security.protocol'] = `${o.sasl ? 'SASL_' : ''}${tls ? 'SSL' : 'PLAINTEXT'}`;
  if (o.sasl && 'username' in o.sasl) {
    config['sasl.mechanisms'] = o.sasl.mechanism.toUpperCase();
    config['sasl.username'] = o.sasl.username;
    config['sasl.password'] = o.sasl.password;
  }
  if (a?.tls && typeof a.tls === 'object' && a.tls.caFile) config['ssl.ca.location'] = a.tls.caFile;
  return config;
}

/** Connects and fetches metadata, or fails naming the cluster. */
export function connectNative(producer: NativeProducer, endpoint: string): Promise<void> {
  return new Promise((resolve, reject) =>
    producer.connect({ timeout: 30_000 }, (err) =>
      err ? reject(new ServiceUnreachableError('Kafka', endpoint, `the native producer could not connect: ${err.message}`)) : resolve(),
    ),
  );
}
