import { SOURCE_ALIAS, TARGET_ALIAS, type ReplicationPolicy } from '../domain/names';

export { TARGET_ALIAS };
/** The checkpoint connector's name: its task translates group offsets. */
export const CHECKPOINT_CONNECTOR = `mm2-checkpoint-${SOURCE_ALIAS}`;
/** The source connector's name: its tasks copy the records. */
export const SOURCE_CONNECTOR = `mm2-source-${SOURCE_ALIAS}`;
const BYTES = 'org.apache.kafka.connect.converters.ByteArrayConverter';

/** What the connector configs depend on: the clusters as the Connect workers see them, and the topic. */
export interface MirrorSpec {
  sourceBootstrap: string[];
  targetBootstrap: string[];
  topic: string;
  partitions: number;
  replicationFactor: number;
  /** chapter: MirrorMaker 2's defaults; throughput: see THROUGHPUT. */
  tuning?: 'chapter' | 'throughput';
  /** How the copy is named (default: the chapter's DefaultReplicationPolicy). */
  replicationPolicy?: ReplicationPolicy;
}

const POLICY_CLASS: Record<ReplicationPolicy, string> = {
  default: 'org.apache.kafka.connect.mirror.DefaultReplicationPolicy',
  identity: 'org.apache.kafka.connect.mirror.IdentityReplicationPolicy',
};

/**
 * For millions of messages: the source consumer fetches more per poll, the Connect producer that
 * writes downstream batches more and waits a little to fill batches, and every partition gets a
 * task. acks and idempotence stay as Connect sets them (acks=all), so nothing is traded for speed.
 */
const THROUGHPUT = {
  'source.consumer.fetch.min.bytes': '65536',
  'source.consumer.fetch.max.wait.ms': '200',
  'source.consumer.max.partition.fetch.bytes': '4194304',
  'source.consumer.fetch.max.bytes': '33554432',
  'source.consumer.max.poll.records': '5000',
  'producer.override.batch.size': '262144',
  'producer.override.linger.ms': '10',
  'producer.override.max.request.size': '4194304',
};

/**
 * The settings a failover's offset translation depends on, declared once: the connectors get them,
 * and the failover drill's bounds are computed from them. A checkpoint is emitted every
 * `checkpointIntervalSeconds` for groups found every `refreshGroupsSeconds`; the source connector
 * records an offset sync when the mirror has moved `offsetLagMax` records past the last one
 * (Kafka's default, set explicitly so the bound and the connector cannot drift apart).
 */
export const OFFSET_TRANSLATION = { checkpointIntervalSeconds: 10, refreshGroupsSeconds: 10, offsetLagMax: 100 } as const;

/** The three MirrorMaker 2 connectors the chapter registers, source alias `src`, target downstream. */
export function mirrorConnectorConfigs(i: MirrorSpec): Record<string, Record<string, string>> {
  return connectorConfigs(i, SOURCE_ALIAS, TARGET_ALIAS);
}

/**
 * A failback's reverse mirror: the DR cluster (alias `dst`) to the primary (`src`), its records
 * arriving there as `dst.<topic>` and the DR side's group offsets checkpointed into
 * `dst.checkpoints.internal` on the primary. DefaultReplicationPolicy names each copy by its origin,
 * so the forward mirror never copies `dst.<topic>` back (nor this one `src.<topic>`).
 */
export const REVERSE_SOURCE_CONNECTOR = `mm2-source-${TARGET_ALIAS}`;
export const REVERSE_CHECKPOINT_CONNECTOR = `mm2-checkpoint-${TARGET_ALIAS}`;
export function reverseMirrorConnectorConfigs(i: MirrorSpec): Record<string, Record<string, string>> {
  const all = connectorConfigs(i, TARGET_ALIAS, SOURCE_ALIAS);
  return { [REVERSE_SOURCE_CONNECTOR]: all[REVERSE_SOURCE_CONNECTOR], [REVERSE_CHECKPOINT_CONNECTOR]: all[REVERSE_CHECKPOINT_CONNECTOR] };
}

function connectorConfigs(i: MirrorSpec, sourceAlias: string, targetAlias: string): Record<string, Record<string, string>> {
  const common = {
    'source.cluster.alias': sourceAlias,
    'target.cluster.alias': targetAlias,
    'source.cluster.bootstrap.servers': i.sourceBootstrap.join(','),
    'target.cluster.bootstrap.servers': i.targetBootstrap.join(','),
    // Records go to the target even when the workers sit next to the source (placement: upstream).
    'producer.override.bootstrap.servers': i.targetBootstrap.join(','),
    'key.converter': BYTES,
    'value.converter': BYTES,
    // The default SimpleHeaderConverter rewrites header bytes as base64 text downstream.
    'header.converter': BYTES,
    'replication.factor': String(i.replicationFactor),
    'replication.policy.class': POLICY_CLASS[i.replicationPolicy ?? 'default'],
  };
  const internalRf = {
    'offset-syncs.topic.replication.factor': String(i.replicationFactor),
    'checkpoints.topic.replication.factor': String(i.replicationFactor),
    'heartbeats.topic.replication.factor': String(i.replicationFactor),
  };
  return {
    [`mm2-source-${sourceAlias}`]: {
      ...common,
      ...internalRf,
      'connector.class': 'org.apache.kafka.connect.mirror.MirrorSourceConnector',
      topics: i.topic.replace(/\./g, '\\.'),
      'tasks.max': String(i.tuning === 'throughput' ? i.partitions : Math.max(1, Math.min(i.partitions, 3))),
      'refresh.topics.interval.seconds': '10',
      'sync.topic.acls.enabled': 'false',
      'emit.offset-syncs.enabled': 'true',
      'offset.lag.max': String(OFFSET_TRANSLATION.offsetLagMax),
      ...(i.tuning === 'throughput' ? THROUGHPUT : {}),
    },
    [`mm2-checkpoint-${sourceAlias}`]: {
      ...common,
      ...internalRf,
      'connector.class': 'org.apache.kafka.connect.mirror.MirrorCheckpointConnector',
      groups: 'consumer-.*',
      'emit.checkpoints.interval.seconds': String(OFFSET_TRANSLATION.checkpointIntervalSeconds),
      'refresh.groups.interval.seconds': String(OFFSET_TRANSLATION.refreshGroupsSeconds),
      'sync.group.offsets.enabled': 'false',
      'tasks.max': '1',
    },
    [`mm2-heartbeat-${sourceAlias}`]: {
      ...common,
      ...internalRf,
      'connector.class': 'org.apache.kafka.connect.mirror.MirrorHeartbeatConnector',
      'emit.heartbeats.interval.seconds': '5',
      'tasks.max': '1',
    },
  };
}
