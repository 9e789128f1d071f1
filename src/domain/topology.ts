/**
 * Lab topologies as plain, serialisable data: the lab's settings (lab-settings.ts) resolved over
 * a preset. Workflow-safe.
 */
import {
  DEFAULT_LAB_ID,
  LabSettingsSchema,
  OPTIONAL_COMPONENTS,
  type ConnectPlacement,
  type LabSettings,
  type OptionalComponent,
  type TopologyName,
} from './lab-settings';
import type { ReplicationPolicy } from './names';

export type { ConnectPlacement, ImageSource, OptionalComponent, TopologyName } from './lab-settings';
export type { KafkaVersion } from './versions';
export type DataCenter = 'upstream' | 'downstream';

/** The lab as provisioned: its settings, their per-data-center form, and what no user sets. */
export interface LabTopology extends Pick<
  LabSettings,
  'images' | 'kafkaVersion' | 'appTopic' | 'bindAddress' | 'portOffset' | 'kafkaSecurity'
> {
  /** How MirrorMaker 2 names the mirrored topic (absent in labs from before it was a setting: default). */
  replicationPolicy?: ReplicationPolicy;
  /** Which preset this started from (informational). */
  name: string;
  /** Distinguishes labs on one Docker engine: container, network and label names carry it. */
  labId: string;
  brokersPerCluster: { upstream: number; downstream: number };
  /** Replication factor of the lab's own internal topics (offsets, Connect, MirrorMaker 2). */
  replicationFactor: number;
  connect: { workers: number; placement: ConnectPlacement };
  /** Everything but the brokers and Connect is optional (lab-settings.ts, OPTIONAL_COMPONENTS). */
  components: OptionalComponent[];
  /**
   * `kafkaSecurity: scram`: the published (EXTERNAL) listeners require SASL/SCRAM-SHA-512 as user
   * `scramUser`, whose password comes from LAB_KAFKA_SCRAM_PASSWORD when the lab is provisioned
   * (never stored in the topology). The lab's own listeners stay plaintext inside its networks.
   */
  scramUser: string;
  /** JVM heap per broker / Connect worker, e.g. "-Xms256m -Xmx512m". */
  heap: { kafka: string; connect: string; elasticsearch: string };
  /**
   * JVM options beside the heap. The lab's JVMs start CPU-bound on 2 cores and C2's compiles are
   * about half of that CPU, so `services` (the Schema Registry, Kafka's storage format tool and
   * Elasticsearch's launcher: JVMs whose start is most of their work) run C1 only. Brokers and
   * Connect carry the drill's throughput and keep C2: C1 there halved ConsumerPerformance. The
   * Elasticsearch server is the slowest to start and the only JVM without a class-data archive: it
   * starts on C1 unless a drill's load is large enough to repay C2 (`elasticsearchJvmOpts`).
   */
  jvmOpts: { kafka: string; connect: string; elasticsearch: string; services: string };
  /**
   * The link between the data centers. `proxy`: Toxiproxy sits in it (the remote brokers reach the
   * Connect workers only through it), so it can be shaped on any Docker host; otherwise the link
   * is a plain bridge, shaped with tc netem where the kernel has it. `profile`: a standing WAN
   * applied from the start (one-way delay each direction, jitter, bandwidth).
   */
  wan: { proxy: boolean; profile?: WanProfile };
  /**
   * Brokers whose log directory is a small disk of its own (a size-capped tmpfs volume, kept
   * mounted by a holder container so that it outlives the broker's restarts), for disk-full
   * drills; 0-based index per data center. The others write into their container.
   */
  /**
   * A disaster drill's lab: each data center has a Schema Registry of its own (the primary's dies
   * with it), and producers write the apps' topic on the DR side after a failover, so consumer-2
   * indexes it there too (DefaultReplicationPolicy: the topic keeps its own name there).
   */
  disasterRecovery?: boolean;
  cappedDisks?: { dc: DataCenter; index: number }[];
}

export interface WanProfile {
  delayMs: number;
  jitterMs: number;
  rateMbit?: number;
}

/** The data center across the link from the Connect workers: the remote cluster MirrorMaker 2 reaches over the WAN. */
export const remoteDataCenter = (t: Pick<LabTopology, 'connect'>): DataCenter =>
  t.connect.placement === 'downstream' ? 'upstream' : 'downstream';

/** Messages per generation from which a drill's Elasticsearch keeps C2 (docs/measurements.md). */
export const ELASTICSEARCH_C2_FROM_MESSAGES = 200_000;

/**
 * The Elasticsearch server's JVM options for a load of `messages` per generation. C1 alone starts
 * it on about 9 CPU-seconds instead of 15 (a lite lab up in 16-17 s instead of 20-22), but indexes
 * a third slower once warm: a million-message verify took 111 s against 67. Bytecode verification
 * is off either way (about a CPU-second at start): the classes are the distribution's own jars,
 * and its entitlement patch of java.base rules out the class-data archive that would skip it.
 */
export function elasticsearchJvmOpts(messages: number): string {
  const noVerify = '-XX:+UnlockDiagnosticVMOptions -XX:-BytecodeVerificationRemote';
  return messages >= ELASTICSEARCH_C2_FROM_MESSAGES ? noVerify : `-XX:TieredStopAtLevel=1 ${noVerify}`;
}

// The settings' own defaults (images, Kafka version, ports, ...), declared in the schema.
const { appTopic, images, kafkaVersion, bindAddress, portOffset, kafkaSecurity, connectPlacement } = LabSettingsSchema.parse({});

const COMMON: Omit<LabTopology, 'name' | 'brokersPerCluster' | 'replicationFactor' | 'connect'> = {
  labId: DEFAULT_LAB_ID,
  components: [...OPTIONAL_COMPONENTS],
  appTopic,
  images,
  kafkaVersion,
  bindAddress,
  portOffset,
  kafkaSecurity,
  scramUser: 'lab',
  heap: { kafka: '-Xms256m -Xmx512m', connect: '-Xms256m -Xmx512m', elasticsearch: '-Xms512m -Xmx512m' },
  jvmOpts: { kafka: '', connect: '', elasticsearch: elasticsearchJvmOpts(0), services: '-XX:TieredStopAtLevel=1' },
  wan: { proxy: false },
};

export const TOPOLOGIES: Record<TopologyName, LabTopology> = {
  lite: {
    ...COMMON,
    name: 'lite',
    brokersPerCluster: { upstream: 1, downstream: 1 },
    replicationFactor: 1,
    connect: { workers: 1, placement: connectPlacement },
  },
  // The book's layout (12.2): three brokers per data center, three Connect workers next to downstream.
  chapter: {
    ...COMMON,
    name: 'chapter',
    brokersPerCluster: { upstream: 3, downstream: 3 },
    replicationFactor: 3,
    // Nine Kafka JVMs whose live heap is tens of MiB: G1 grew each broker to ~300 MiB committed
    // after start-up; the serial collector from a small start keeps the lab under 4 GB (measurements.md).
    heap: { ...COMMON.heap, kafka: '-Xms128m -Xmx512m', connect: '-Xms128m -Xmx512m' },
    jvmOpts: { ...COMMON.jvmOpts, kafka: '-XX:+UseSerialGC', connect: '-XX:+UseSerialGC' },
    connect: { workers: 3, placement: connectPlacement },
  },
};
