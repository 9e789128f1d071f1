/**
 * Lab topologies as plain, serialisable data. Workflow-safe: only types come from elsewhere.
 */
import { DEFAULT_KAFKA_VERSION, type ImageSource, type KafkaVersion } from '../../infra/images';

export type { ImageSource, KafkaVersion };
export type DataCenter = 'upstream' | 'downstream';
export type ConnectPlacement = DataCenter;
/** `apps` are the chapter's consumer-1 (upstream) and consumer-2 (downstream, into Elasticsearch). */
export type OptionalComponent = 'schema-registry' | 'elasticsearch' | 'prometheus' | 'apps';
export const OPTIONAL_COMPONENTS: readonly OptionalComponent[] = ['schema-registry', 'elasticsearch', 'prometheus', 'apps'];
export const TOPOLOGY_NAMES = ['lite', 'chapter'] as const;
export type TopologyName = (typeof TOPOLOGY_NAMES)[number];

export interface LabTopology {
  /** Which preset this started from (informational). */
  name: string;
  /** Distinguishes labs on one Docker engine: container, network and label names carry it. */
  labId: string;
  brokersPerCluster: { upstream: number; downstream: number };
  /** Replication factor of the lab's own internal topics (offsets, Connect, MirrorMaker 2). */
  replicationFactor: number;
  connect: { workers: number; placement: ConnectPlacement };
  components: OptionalComponent[];
  /** The upstream topic the apps consume (consumer-2 reads its mirror `src.<topic>`). */
  appTopic: string;
  images: ImageSource;
  /** The Kafka of the brokers and Connect workers (one of KAFKA_VERSIONS in infra/images.ts). */
  kafkaVersion: KafkaVersion;
  /** Host address ports are published on. 127.0.0.1 unless the user asks otherwise. */
  bindAddress: string;
  /** Added to every published host port, so two labs can run side by side. */
  portOffset: number;
  /**
   * `scram`: the published (EXTERNAL) listeners require SASL/SCRAM-SHA-512 as user `scramUser`, whose
   * password comes from LAB_KAFKA_SCRAM_PASSWORD when the lab is provisioned (never stored in the
   * topology). The lab's own listeners stay plaintext inside its networks.
   */
  kafkaSecurity: 'plaintext' | 'scram';
  scramUser: string;
  /** JVM heap per broker / Connect worker, e.g. "-Xms256m -Xmx512m". */
  heap: { kafka: string; connect: string; elasticsearch: string };
}

const COMMON: Omit<LabTopology, 'name' | 'brokersPerCluster' | 'replicationFactor' | 'connect'> = {
  labId: 'default',
  components: ['schema-registry', 'elasticsearch', 'prometheus', 'apps'],
  appTopic: 'peter-avro01-kafka1',
  images: 'built',
  kafkaVersion: DEFAULT_KAFKA_VERSION,
  bindAddress: '127.0.0.1',
  portOffset: 0,
  kafkaSecurity: 'plaintext',
  scramUser: 'lab',
  heap: { kafka: '-Xms256m -Xmx512m', connect: '-Xms256m -Xmx512m', elasticsearch: '-Xms512m -Xmx512m' },
};

export const TOPOLOGIES: Record<TopologyName, LabTopology> = {
  lite: {
    ...COMMON,
    name: 'lite',
    brokersPerCluster: { upstream: 1, downstream: 1 },
    replicationFactor: 1,
    connect: { workers: 1, placement: 'downstream' },
  },
  // The book's layout (12.2): three brokers per data center, three Connect workers next to downstream.
  chapter: {
    ...COMMON,
    name: 'chapter',
    brokersPerCluster: { upstream: 3, downstream: 3 },
    replicationFactor: 3,
    connect: { workers: 3, placement: 'downstream' },
  },
};
