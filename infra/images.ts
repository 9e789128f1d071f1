/**
 * The one place where lab versions and image tags are pinned.
 *
 * `built` images are made here from a debootstrap'd Debian base plus Debian packages and Maven
 * Central artifacts (what a closed network with internal mirrors can do); `official` images are the
 * public ones a machine with a container registry pulls. Both run the same config files on the
 * same ports, so provisioning never forks on the source. Which Kafka versions a lab may run is
 * src/domain/versions.ts (workflow code checks it); how each is built is here.
 */
import { DEFAULT_KAFKA_VERSION, type KafkaVersion } from '../src/domain/versions';
import type { ImageSource } from '../src/domain/lab-settings';

export { DEFAULT_KAFKA_VERSION, isKafkaVersion, SUPPORTED_KAFKA_VERSIONS, type KafkaVersion } from '../src/domain/versions';
export type { ImageSource };

export const VERSIONS = {
  debian: 'bookworm',
  jrePackage: 'openjdk-17-jre-headless',
  jmxExporter: '1.0.1',
  apicurio: '3.0.9',
  elasticsearch: '8.19.7',
  temporalCli: 'v1.5.1',
  // the link proxy: built from the Go module proxy (github.com/Shopify/toxiproxy/v2)
  toxiproxy: 'v2.5.0',
  // official-only components (they cannot be built from these registries)
  confluentPlatform: '7.9.1',
  kibana: '8.19.7',
  grafana: '11.6.0',
  prometheus: 'v2.53.4',
  kafkaUi: 'v1.2.0',
  node: '24-bookworm-slim',
} as const;

/**
 * Each Kafka version a lab can run (src/domain/versions.ts), with the logging its release ships:
 * Maven's POMs leave the logging backend out, so the built image adds it. 3.9 logs through
 * reload4j (log4j 1 syntax, log4j.properties); 4.x through log4j2 (log4j2.yaml; log4j-api and
 * log4j-core come with Kafka's own POMs, the SLF4J 1.7 binding is added at their version).
 * 4.3.0 is the newest 4.x whose MirrorMaker 2 (connect-mirror) Maven Central serves; its
 * broker and Connect are Java 17 bytecode, which Debian bookworm's JRE runs.
 */
export const KAFKA_VERSIONS = {
  '3.9.1': {
    logging: 'log4j',
    loggingLibs: ['ch.qos.reload4j:reload4j:1.2.25', 'org.slf4j:slf4j-reload4j:1.7.36'],
  },
  '4.3.0': {
    logging: 'log4j2',
    loggingLibs: ['org.apache.logging.log4j:log4j-core:2.25.4', 'org.apache.logging.log4j:log4j-slf4j-impl:2.25.4'],
  },
} as const satisfies Record<KafkaVersion, { logging: 'log4j' | 'log4j2'; loggingLibs: readonly [string, string] }>;

export type ImageRole = 'kafka' | 'schema-registry' | 'elasticsearch' | 'prometheus' | 'node' | 'toxiproxy';

const BUILT_PREFIX = 'kafka-lab';

/** Images made locally, in build order: each may start FROM the ones before it. */
export const BUILT_IMAGES = {
  base: `${BUILT_PREFIX}/debian:${VERSIONS.debian}`,
  jre: `${BUILT_PREFIX}/jre:17-${VERSIONS.debian}`,
  // one tag per Kafka version: kafkaImage() below
  kafka: `${BUILT_PREFIX}/kafka:${DEFAULT_KAFKA_VERSION}`,
  'schema-registry': `${BUILT_PREFIX}/apicurio-registry:${VERSIONS.apicurio}`,
  elasticsearch: `${BUILT_PREFIX}/elasticsearch:${VERSIONS.elasticsearch}`,
  prometheus: `${BUILT_PREFIX}/prometheus:debian-${VERSIONS.debian}`,
  toxiproxy: `${BUILT_PREFIX}/toxiproxy:${VERSIONS.toxiproxy.slice(1)}`,
  // runs the chapter's consumer apps (this project's code, bundled and copied in at start)
  node: `${BUILT_PREFIX}/node:debian-${VERSIONS.debian}`,
} as const;

/**
 * The drill worker as a container (`lab images build --only worker`), FROM the node image above.
 * Not built by a plain `lab images build`: labs do not need it, and it carries this checkout's code.
 */
export const WORKER_IMAGE = `${BUILT_PREFIX}/worker:latest`;

export const OFFICIAL_IMAGES: Record<ImageRole | 'kibana' | 'grafana' | 'kafka-ui', string> = {
  kafka: `apache/kafka:${DEFAULT_KAFKA_VERSION}`,
  'schema-registry': `confluentinc/cp-schema-registry:${VERSIONS.confluentPlatform}`,
  elasticsearch: `docker.elastic.co/elasticsearch/elasticsearch:${VERSIONS.elasticsearch}`,
  prometheus: `prom/prometheus:${VERSIONS.prometheus}`,
  node: `node:${VERSIONS.node}`,
  toxiproxy: `ghcr.io/shopify/toxiproxy:${VERSIONS.toxiproxy.slice(1)}`,
  kibana: `docker.elastic.co/kibana/kibana:${VERSIONS.kibana}`,
  grafana: `grafana/grafana:${VERSIONS.grafana}`,
  'kafka-ui': `ghcr.io/kafbat/kafka-ui:${VERSIONS.kafkaUi}`,
};

/** The image of a role; the Kafka image (broker and Connect) also depends on the Kafka version. */
export function imageFor(source: ImageSource, role: ImageRole, kafkaVersion: KafkaVersion = DEFAULT_KAFKA_VERSION): string {
  if (role === 'kafka') return kafkaImage(source, kafkaVersion);
  return source === 'built' ? BUILT_IMAGES[role] : OFFICIAL_IMAGES[role];
}

export function kafkaImage(source: ImageSource, version: KafkaVersion): string {
  return source === 'built' ? `${BUILT_PREFIX}/kafka:${version}` : `apache/kafka:${version}`;
}
