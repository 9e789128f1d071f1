/**
 * The Kafka versions a lab can run (`--kafka-version`) and the default one: what the lab's
 * settings and the version matrix check against. Workflow-safe; infra/images.ts says how each
 * version is built and pinned, and must cover every one listed here.
 */
export const SUPPORTED_KAFKA_VERSIONS = ['3.9.1', '4.3.0'] as const;
export type KafkaVersion = (typeof SUPPORTED_KAFKA_VERSIONS)[number];
export const DEFAULT_KAFKA_VERSION: KafkaVersion = '3.9.1';

export function isKafkaVersion(v: string): v is KafkaVersion {
  return (SUPPORTED_KAFKA_VERSIONS as readonly string[]).includes(v);
}
