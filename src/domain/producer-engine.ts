/**
 * The clients the drill's load can run on: kafkajs (the project's client, in JavaScript),
 * librdkafka (Confluent's C client through @confluentinc/kafka-javascript, built from its npm
 * package by infra/setup.sh) or platformatic (@platformatic/kafka, in TypeScript). Pure, so
 * workflows and the CLI's validation can name them.
 */
export const PRODUCER_ENGINES = ['kafkajs', 'librdkafka', 'platformatic'] as const;
export type ProducerEngine = (typeof PRODUCER_ENGINES)[number];
