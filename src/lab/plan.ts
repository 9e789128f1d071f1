import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { imageFor, KAFKA_VERSIONS, VERSIONS } from '../../infra/images';
import type { LabEndpoints } from '../domain/endpoints';
import { CONTAINER_PORTS, HOST_PORT_BASE, kafkaHostPort } from '../domain/ports';
import { publishedHost } from '../domain/published-host';
import { remoteDataCenter, type DataCenter, type LabTopology } from '../domain/topology';
import { DR_REGISTRY, mirroredTopicOf, PRIMARY_REGISTRY } from '../domain/names';
import { InvalidTopologyError } from '../errors';
import { localRepository } from '../images/maven';
import { planApps } from './apps-plan';
import { BROKER_DATA_DIR, brokerProperties } from './config/broker';
import { connectProperties } from './config/connect';
import { ALERTS_PATH, prometheusConfig } from './config/prometheus';
import { brokerNode, connectNode, containerName, networkName } from './names';
import { officialExtras } from './official-extras';
import type { NodeFile, NodeSpec } from './node-spec';

const CONFIG_DIR = resolve(__dirname, '../../infra/config');
const readConfig = (rel: string) => readFileSync(join(CONFIG_DIR, rel), 'utf8');
const DCS: DataCenter[] = ['upstream', 'downstream'];

export interface LabPlan {
  topology: LabTopology;
  /** Upstream, downstream, and the explicit link between the two data centers. */
  networks: string[];
  nodes: NodeSpec[];
  endpoints: LabEndpoints;
}

/**
 * How brokers and Connect workers log, per logging backend of the Kafka version: Kafka 3.9 reads
 * log4j 1 syntax (reload4j), Kafka 4.x log4j2 (its release ships config/log4j2.yaml).
 */
const KAFKA_LOGGING = {
  log4j: { config: 'kafka/log4j.properties', opts: (path: string) => `-Dlog4j.configuration=file:${path}` },
  log4j2: { config: 'kafka/log4j2.yaml', opts: (path: string) => `-Dlog4j2.configurationFile=${path}` },
} as const;

/** A deterministic 22-character base64url cluster id (what StorageTool expects), derived from the names. */
export function clusterId(labId: string, dc: DataCenter): string {
  const seed = Buffer.from(`kafka-lab:${labId}:${dc}`.padEnd(16, '.')).subarray(0, 16);
  return seed.toString('base64url');
}

const officialJmxAgent = (): NodeFile => ({
  path: '/opt/jmx/jmx_prometheus_javaagent.jar',
  hostPath: join(
    localRepository(),
    'io/prometheus/jmx/jmx_prometheus_javaagent',
    VERSIONS.jmxExporter,
    `jmx_prometheus_javaagent-${VERSIONS.jmxExporter}.jar`,
  ),
});

/** The SCRAM user for the published listener; its password is read from the environment, never from the topology. */
export function scramEnv(t: LabTopology): Record<string, string> {
  if (t.kafkaSecurity !== 'scram') return {};
  return { LAB_SCRAM_USER: t.scramUser, LAB_SCRAM_PASSWORD: scramPassword() };
}

export function scramPassword(): string {
  const p = process.env.LAB_KAFKA_SCRAM_PASSWORD;
  if (!p) throw new InvalidTopologyError('kafkaSecurity scram needs a password', 'export LAB_KAFKA_SCRAM_PASSWORD=... before `lab up`');
  return p;
}

/** Turns a topology into containers, networks and endpoints. Pure apart from reading infra/config. */
export function planLab(t: LabTopology): LabPlan {
  const net = (n: DataCenter | 'wan') => networkName(t.labId, n);
  const host = publishedHost(t.bindAddress);
  const kafkaImage = imageFor(t.images, 'kafka', t.kafkaVersion);
  const logging = KAFKA_LOGGING[KAFKA_VERSIONS[t.kafkaVersion].logging];
  const logConfigPath = `/etc/kafka-lab/${logging.config.split('/').pop()}`;
  const logEnv = { LAB_LOG_OPTS: logging.opts(logConfigPath) };
  const kafkaFiles = (jmx: string, extra: NodeFile[]): NodeFile[] => [
    { path: '/etc/kafka-lab/start.sh', content: readConfig('kafka/start.sh'), mode: 0o755 },
    { path: logConfigPath, content: readConfig(logging.config) },
    { path: '/etc/kafka-lab/jmx-exporter.yml', content: readConfig(jmx) },
    ...(t.images === 'official' ? [officialJmxAgent()] : []),
    ...extra,
  ];
  const nodes: NodeSpec[] = [];

  for (const dc of DCS) {
    for (let i = 0; i < t.brokersPerCluster[dc]; i++) {
      const node = brokerNode(dc, i);
      const hostPort = kafkaHostPort(dc, i, t.portOffset);
      // The remote cluster's brokers also sit on the link network, where the Connect workers reach
      // them; with the link proxy, only the proxy does, and they advertise its address for them.
      const remote = dc !== t.connect.placement;
      const viaProxy = remote && t.wan.proxy;
      const disk = t.cappedDisks?.some((d) => d.dc === dc && d.index === i) ? cappedDisk(t.labId, node) : undefined;
      nodes.push({
        node,
        role: 'broker',
        dc,
        containerName: containerName(t.labId, node),
        image: kafkaImage,
        entrypoint: ['/bin/sh'],
        cmd: ['/etc/kafka-lab/start.sh', 'broker'],
        env: {
          LAB_CLUSTER_ID: clusterId(t.labId, dc),
          LAB_HEAP_OPTS: t.heap.kafka,
          LAB_JVM_OPTS: t.jvmOpts.kafka,
          LAB_TOOL_JVM_OPTS: t.jvmOpts.services,
          ...logEnv,
          ...scramEnv(t),
        },
        networks: remote && !viaProxy ? [net(dc), net('wan')] : [net(dc)],
        // each end of the link between the data centers can be cut or shaped (tc netem) in a fault drill
        ...(remote && !viaProxy ? { capAdd: ['NET_ADMIN'] } : {}),
        ports: [{ container: CONTAINER_PORTS.kafkaExternal, host: hostPort }],
        files: kafkaFiles('jmx/kafka-broker.yml', [
          {
            path: '/etc/kafka-lab/server.properties',
            // the cluster metadata stays in the container: a full data disk must not take the quorum's log with it
            content: brokerProperties(
              t,
              dc,
              i,
              hostPort,
              viaProxy ? `${LINK_PROXY}:${CONTAINER_PORTS.linkProxyKafka + i}` : undefined,
              disk ? BROKER_METADATA_DIR : undefined,
            ),
          },
        ]),
        user: 'root',
        ...(disk ? { mounts: [{ volume: disk.volume, target: BROKER_DATA_DIR, sizeMb: disk.sizeMb }] } : {}),
      });
      if (disk) nodes.push(diskHolderNode(t, dc, node, kafkaImage, disk, net(dc)));
    }
  }

  for (let i = 0; i < t.connect.workers; i++) {
    const node = connectNode(i);
    nodes.push({
      node,
      role: 'connect',
      dc: t.connect.placement,
      containerName: containerName(t.labId, node),
      image: kafkaImage,
      entrypoint: ['/bin/sh'],
      cmd: ['/etc/kafka-lab/start.sh', 'connect'],
      env: { LAB_HEAP_OPTS: t.heap.connect, LAB_JVM_OPTS: t.jvmOpts.connect, ...logEnv },
      networks: [net(t.connect.placement), net('wan')],
      capAdd: ['NET_ADMIN'],
      ports: [{ container: CONTAINER_PORTS.connect, host: HOST_PORT_BASE.connect + i + t.portOffset }],
      files: kafkaFiles('jmx/kafka-connect.yml', [
        { path: '/etc/kafka-lab/connect-distributed.properties', content: connectProperties(t, i) },
      ]),
      user: 'root',
    });
  }

  if (t.wan.proxy) nodes.push(linkProxyNode(t, nodes, net));

  const both = [net('upstream'), net('downstream')];
  if (t.components.includes('schema-registry')) {
    // a disaster drill's lab: a registry in each data center, the primary's dying with it
    if (t.disasterRecovery)
      nodes.push(
        schemaRegistryNode(t, [net('upstream')], { dc: 'upstream' }),
        schemaRegistryNode(t, [net('downstream')], { dc: 'downstream', node: DR_REGISTRY, hostPort: HOST_PORT_BASE.schemaRegistryDr }),
      );
    else nodes.push(schemaRegistryNode(t, both));
  }
  if (t.components.includes('elasticsearch')) {
    nodes.push({
      node: 'elasticsearch',
      role: 'elasticsearch',
      dc: 'downstream',
      containerName: containerName(t.labId, 'elasticsearch'),
      image: imageFor(t.images, 'elasticsearch'),
      // Elasticsearch drops JAVA_TOOL_OPTIONS: its server and its launcher each take their own
      env: { ES_JAVA_OPTS: `${t.heap.elasticsearch} ${t.jvmOpts.elasticsearch}`.trim(), CLI_JAVA_OPTS: t.jvmOpts.services },
      networks: [net('downstream')],
      ports: [{ container: CONTAINER_PORTS.elasticsearch, host: HOST_PORT_BASE.elasticsearch + t.portOffset }],
      files: [{ path: '/usr/share/elasticsearch/config/elasticsearch.yml', content: readConfig('elasticsearch/elasticsearch.yml') }],
    });
  }
  if (t.components.includes('prometheus')) {
    nodes.push({
      node: 'prometheus',
      role: 'prometheus',
      containerName: containerName(t.labId, 'prometheus'),
      image: imageFor(t.images, 'prometheus'),
      entrypoint: ['prometheus'],
      cmd: ['--config.file=/etc/kafka-lab/prometheus.yml', '--storage.tsdb.path=/prometheus', '--web.enable-lifecycle'],
      env: {},
      networks: both,
      ports: [{ container: CONTAINER_PORTS.prometheus, host: HOST_PORT_BASE.prometheus + t.portOffset }],
      files: [
        { path: '/etc/kafka-lab/prometheus.yml', content: prometheusConfig(t) },
        { path: ALERTS_PATH, content: readFileSync(resolve(CONFIG_DIR, '../monitoring/prometheus/alerts.yml'), 'utf8') },
      ],
      user: 'root',
    });
  }

  if (t.components.includes('apps')) {
    nodes.push(
      ...planApps({
        labId: t.labId,
        images: t.images,
        topic: t.appTopic,
        mirroredTopic: mirroredTopicOf(t.appTopic, t.replicationPolicy),
        ...(t.disasterRecovery
          ? {
              drTopic: t.appTopic,
              drSchemaRegistryUrl: `http://${DR_REGISTRY}:${CONTAINER_PORTS.schemaRegistry}${SCHEMA_REGISTRY_API_PATH[t.images]}`,
            }
          : {}),
        upstreamBootstrap: clusterBootstrap(nodes, 'upstream'),
        downstreamBootstrap: clusterBootstrap(nodes, 'downstream'),
        schemaRegistryUrl: `http://schema-registry:${CONTAINER_PORTS.schemaRegistry}${SCHEMA_REGISTRY_API_PATH[t.images]}`,
        elasticsearchUrl: `http://elasticsearch:${CONTAINER_PORTS.elasticsearch}`,
        networks: { upstream: net('upstream'), downstream: net('downstream') },
        portOffset: t.portOffset,
      }),
    );
  }

  if (t.images === 'official')
    nodes.push(...officialExtras(t, { upstream: net('upstream'), downstream: net('downstream') }, SCHEMA_REGISTRY_API_PATH.official));

  return { topology: t, networks: [net('upstream'), net('downstream'), net('wan')], nodes, endpoints: endpointsOf(t, nodes, host) };
}

const BROKER_METADATA_DIR = '/var/lib/kafka/meta';
/** Where the holder of a broker's small disk mounts it (the disk-full fault frees it from there while the broker is down). */
export const DISK_HOLDER_MOUNT = '/disk';
const CAPPED_DISK_MB = 256;

/** A broker's small disk: a tmpfs volume of the lab, capped so that a fault can fill it in a moment. */
const cappedDisk = (labId: string, node: string) => ({ volume: `${containerName(labId, node)}-data`, sizeMb: CAPPED_DISK_MB });

/** The holder container of a broker's small disk, named after the broker: it keeps the tmpfs mounted while the broker is down. */
export const diskHolderName = (broker: string) => `${broker}-disk`;

/**
 * A tmpfs volume lives as long as some container mounts it: this one does nothing but mount it,
 * so the broker's log survives its restarts (a disk-full broker halts; its data must not vanish).
 */
function diskHolderNode(
  t: LabTopology,
  dc: DataCenter,
  broker: string,
  image: string,
  disk: { volume: string; sizeMb: number },
  network: string,
): NodeSpec {
  const node = diskHolderName(broker);
  return {
    node,
    role: 'disk',
    dc,
    containerName: containerName(t.labId, node),
    image,
    entrypoint: ['/bin/sh', '-c'],
    cmd: ['trap "exit 0" TERM; while :; do sleep 3600 & wait $!; done'],
    env: {},
    networks: [network],
    ports: [],
    files: [],
    user: 'root',
    mounts: [{ volume: disk.volume, target: DISK_HOLDER_MOUNT, sizeMb: disk.sizeMb }],
  };
}

export const LINK_PROXY = 'link-proxy';

/**
 * Toxiproxy between the data centers: on the remote cluster's network and the link network, one
 * proxy per remote broker (its link listener), and a probe proxy published on the host so a drill
 * can measure what crossing the link costs. The proxies are declared in its config file; toxics
 * (the WAN profile, link faults) are set through its API.
 */
function linkProxyNode(t: LabTopology, nodes: NodeSpec[], net: (n: DataCenter | 'wan') => string): NodeSpec {
  const remote = remoteDataCenter(t);
  const brokers = nodes.filter((n) => n.role === 'broker' && n.dc === remote);
  const proxies = brokers.map((b, i) => ({
    name: b.node,
    listen: `0.0.0.0:${CONTAINER_PORTS.linkProxyKafka + i}`,
    upstream: `${b.node}:${CONTAINER_PORTS.kafkaLink}`,
    enabled: true,
  }));
  proxies.push({ ...proxies[0], name: 'probe', listen: `0.0.0.0:${CONTAINER_PORTS.linkProxyKafka - 1}` });
  return {
    node: LINK_PROXY,
    role: 'link-proxy',
    dc: remote,
    containerName: containerName(t.labId, LINK_PROXY),
    image: imageFor(t.images, 'toxiproxy'),
    // the public image (ghcr.io/shopify/toxiproxy) has its binary at /toxiproxy
    entrypoint: [t.images === 'official' ? '/toxiproxy' : 'toxiproxy-server'],
    cmd: ['-host', '0.0.0.0', '-config', '/etc/kafka-lab/toxiproxy.json'],
    env: {},
    networks: [net(remote), net('wan')],
    // its end of the link can be cut like the others'
    capAdd: ['NET_ADMIN'],
    ports: [
      { container: CONTAINER_PORTS.linkProxyApi, host: HOST_PORT_BASE.linkProxyApi + t.portOffset },
      { container: CONTAINER_PORTS.linkProxyKafka - 1, host: HOST_PORT_BASE.linkProbe + t.portOffset },
    ],
    files: [{ path: '/etc/kafka-lab/toxiproxy.json', content: JSON.stringify(proxies, null, 2) }],
    user: 'root',
  };
}

/** Apicurio (built) and Confluent (official) serve the same Confluent API, under different base paths. */
function schemaRegistryNode(
  t: LabTopology,
  networks: string[],
  site: { dc?: DataCenter; node?: string; hostPort?: number } = {},
): NodeSpec {
  const official = t.images === 'official';
  const down = t.brokersPerCluster.downstream;
  const node = site.node ?? PRIMARY_REGISTRY;
  return {
    node,
    role: 'schema-registry',
    ...(site.dc ? { dc: site.dc } : {}),
    containerName: containerName(t.labId, node),
    image: imageFor(t.images, 'schema-registry'),
    env: official
      ? {
          SCHEMA_REGISTRY_HOST_NAME: 'schema-registry',
          SCHEMA_REGISTRY_LISTENERS: `http://0.0.0.0:${CONTAINER_PORTS.schemaRegistry}`,
          SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS: Array.from({ length: down }, (_, i) => `${brokerNode('downstream', i)}:9092`).join(
            ',',
          ),
          SCHEMA_REGISTRY_SCHEMA_COMPATIBILITY_LEVEL: 'backward',
          JAVA_TOOL_OPTIONS: t.jvmOpts.services,
        }
      : { QUARKUS_HTTP_PORT: String(CONTAINER_PORTS.schemaRegistry), JAVA_TOOL_OPTIONS: t.jvmOpts.services },
    networks,
    ports: [{ container: CONTAINER_PORTS.schemaRegistry, host: (site.hostPort ?? HOST_PORT_BASE.schemaRegistry) + t.portOffset }],
    files: [],
  };
}

/** The DR data center's own Schema Registry, in a disaster drill's lab. */
export { DR_REGISTRY, PRIMARY_REGISTRY };

export const SCHEMA_REGISTRY_API_PATH = { built: '/apis/ccompat/v7', official: '' } as const;

const clusterBootstrap = (nodes: NodeSpec[], dc: DataCenter) =>
  nodes.filter((n) => n.role === 'broker' && n.dc === dc).map((b) => `${b.node}:${CONTAINER_PORTS.kafkaInternal}`);

function endpointsOf(t: LabTopology, nodes: NodeSpec[], host: string): LabEndpoints {
  const published = (n: NodeSpec) => `${host}:${n.ports[0].host}`;
  const proxy = nodes.find((n) => n.role === 'link-proxy');
  const cluster = (dc: DataCenter) => {
    const brokers = nodes.filter((n) => n.role === 'broker' && n.dc === dc);
    const internalBootstrap =
      proxy && proxy.dc === dc ? brokers.map((_, i) => `${LINK_PROXY}:${CONTAINER_PORTS.linkProxyKafka + i}`) : clusterBootstrap(nodes, dc);
    return { bootstrap: brokers.map(published), internalBootstrap };
  };
  const http = (role: NodeSpec['role'], port: number, path = '', node?: string) => {
    const n = nodes.find((x) => x.role === role && (node ? x.node === node : x.node !== DR_REGISTRY));
    return n ? { url: `http://${published(n)}${path}`, internalUrl: `http://${n.node}:${port}${path}` } : undefined;
  };
  const workers = nodes.filter((n) => n.role === 'connect');
  return {
    labId: t.labId,
    clusters: { upstream: cluster('upstream'), downstream: cluster('downstream') },
    connect: {
      urls: workers.map((w) => `http://${published(w)}`),
      internalUrls: workers.map((w) => `http://${w.node}:${CONTAINER_PORTS.connect}`),
    },
    schemaRegistry: http('schema-registry', CONTAINER_PORTS.schemaRegistry, SCHEMA_REGISTRY_API_PATH[t.images]),
    ...(nodes.some((n) => n.node === DR_REGISTRY)
      ? { schemaRegistryDr: http('schema-registry', CONTAINER_PORTS.schemaRegistry, SCHEMA_REGISTRY_API_PATH[t.images], DR_REGISTRY) }
      : {}),
    elasticsearch: http('elasticsearch', CONTAINER_PORTS.elasticsearch),
    prometheus: http('prometheus', CONTAINER_PORTS.prometheus),
    apps: nodes.filter((n) => n.role === 'app').map((n) => ({ name: n.node, metricsUrl: `http://${published(n)}` })),
    ...(proxy ? { linkProxy: { apiUrl: `http://${published(proxy)}`, probe: `${host}:${proxy.ports[1].host}` } } : {}),
  };
}
