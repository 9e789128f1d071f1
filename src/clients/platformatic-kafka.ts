import { ProduceAcks, Producer, SASLMechanisms, UserError } from '@platformatic/kafka';
import { kafkaAccessOptions } from '../config/credentials';
import type { KafkaAccess } from '../domain/access';
import { InternalError, ServiceUnreachableError, type LabError } from '../errors';

/** @platformatic/kafka's names for the SASL mechanisms the access description allows. */
const MECHANISM = {
  plain: SASLMechanisms.PLAIN,
  'scram-sha-256': SASLMechanisms.SCRAM_SHA_256,
  'scram-sha-512': SASLMechanisms.SCRAM_SHA_512,
} as const;

/** @platformatic/kafka's settings for SASL and TLS, from the same access references kafkajs reads. */
function platformaticAccess(a: KafkaAccess | undefined, side: string) {
  const o = kafkaAccessOptions(a, side);
  return {
    ...(o.ssl ? { tls: o.ssl === true ? {} : { ca: o.ssl.ca } } : {}),
    // kafkaAccessOptions resolved the secrets; the mechanism is renamed
    ...(a?.sasl && o.sasl && 'username' in o.sasl
      ? { sasl: { mechanism: MECHANISM[a.sasl.mechanism], username: o.sasl.username, password: o.sasl.password } }
      : {}),
  };
}

/**
 * An idempotent producer (acks=all, one request in flight per connection, so a partition's
 * batches land in order) on @platformatic/kafka, the pure-TypeScript client. Its own retries are
 * bounded like kafkajs's (~10 s through a leader move; it would retry forever when idempotent):
 * Temporal's retry policy owns the long waits.
 */
export function platformaticProducer(bootstrap: string[], access: KafkaAccess | undefined, clientId: string) {
  return new Producer({
    clientId,
    bootstrapBrokers: bootstrap,
    idempotent: true,
    acks: ProduceAcks.ALL,
    autocreateTopics: false,
    retries: 6,
    retryDelay: 1_500,
    connectTimeout: 3_000,
    timeout: 10_000,
    ...platformaticAccess(access, 'upstream'),
  });
}

/** A failed send as our error: a misuse of the client is ours (a bug), anything else is Kafka not answering or refusing. */
export function platformaticSendError(e: unknown, endpoint: string, topic: string): LabError {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof UserError) return new InternalError(`@platformatic/kafka refused a send to ${topic}: ${message}`);
  const cause = e instanceof AggregateError && e.errors.length ? `: ${e.errors.map((x: Error) => x.message).join('; ')}` : '';
  return new ServiceUnreachableError('Kafka', endpoint, `a send to ${topic} failed: ${message}${cause}`);
}
