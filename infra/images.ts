/**
 * The one place where lab versions and image tags are pinned.
 *
 * `built` images are made here from a debootstrap'd Debian base plus Debian packages and Maven
 * Central artifacts (what a closed network with internal mirrors can do); `official` images are the
 * public ones a machine with a container registry pulls. Both run the same config files on the
 * same ports, so provisioning never forks on the source.
 */
export const VERSIONS = {
  debian: 'bookworm',
  jrePackage: 'openjdk-17-jre-headless',
  kafka: '3.9.1',
  reload4j: '1.2.25',
  slf4j: '1.7.36',
  jmxExporter: '1.0.1',
  apicurio: '3.0.9',
  elasticsearch: '8.19.7',
  temporalCli: 'v1.5.1',
  // official-only components (they cannot be built from these registries)
  confluentPlatform: '7.9.1',
  kibana: '8.19.7',
  grafana: '11.6.0',
  prometheus: 'v2.53.4',
  kafkaUi: 'v1.2.0',
  node: '20-bookworm-slim',
} as const;

export type ImageSource = 'built' | 'official';
export type ImageRole = 'kafka' | 'schema-registry' | 'elasticsearch' | 'prometheus' | 'node';

const BUILT_PREFIX = 'kafka-lab';

/** Images made locally, in build order: each may start FROM the ones before it. */
export const BUILT_IMAGES = {
  base: `${BUILT_PREFIX}/debian:${VERSIONS.debian}`,
  jre: `${BUILT_PREFIX}/jre:17-${VERSIONS.debian}`,
  kafka: `${BUILT_PREFIX}/kafka:${VERSIONS.kafka}`,
  'schema-registry': `${BUILT_PREFIX}/apicurio-registry:${VERSIONS.apicurio}`,
  elasticsearch: `${BUILT_PREFIX}/elasticsearch:${VERSIONS.elasticsearch}`,
  prometheus: `${BUILT_PREFIX}/prometheus:debian-${VERSIONS.debian}`,
  // runs the chapter's consumer apps (this project's code, bundled and copied in at start)
  node: `${BUILT_PREFIX}/node:debian-${VERSIONS.debian}`,
} as const;

/**
 * The drill worker as a container (`lab images build --only worker`), FROM the node image above.
 * Not built by a plain `lab images build`: labs do not need it, and it carries this checkout's code.
 */
export const WORKER_IMAGE = `${BUILT_PREFIX}/worker:latest`;

export const OFFICIAL_IMAGES: Record<ImageRole | 'kibana' | 'grafana' | 'kafka-ui', string> = {
  kafka: `apache/kafka:${VERSIONS.kafka}`,
  'schema-registry': `confluentinc/cp-schema-registry:${VERSIONS.confluentPlatform}`,
  elasticsearch: `docker.elastic.co/elasticsearch/elasticsearch:${VERSIONS.elasticsearch}`,
  prometheus: `prom/prometheus:${VERSIONS.prometheus}`,
  node: `node:${VERSIONS.node}`,
  kibana: `docker.elastic.co/kibana/kibana:${VERSIONS.kibana}`,
  grafana: `grafana/grafana:${VERSIONS.grafana}`,
  'kafka-ui': `ghcr.io/kafbat/kafka-ui:${VERSIONS.kafkaUi}`,
};

export function imageFor(source: ImageSource, role: ImageRole): string {
  return source === 'built' ? BUILT_IMAGES[role] : OFFICIAL_IMAGES[role];
}
