import { CONTAINER_PORTS } from '../../domain/ports';
import type { LabTopology } from '../../domain/topology';
import { brokerNode, connectNode } from '../names';
import { renderProperties } from './properties';

/** connect-distributed.properties: the workers keep their state in the cluster they sit next to. */
export function connectProperties(t: LabTopology, index: number): string {
  const dc = t.connect.placement;
  const n = t.brokersPerCluster[dc];
  const rf = Math.min(t.replicationFactor, n);
  const bootstrap = Array.from({ length: n }, (_, i) => `${brokerNode(dc, i)}:${CONTAINER_PORTS.kafkaInternal}`);
  return renderProperties({
    'bootstrap.servers': bootstrap.join(','),
    'group.id': `kafka-lab-connect`,
    // MirrorMaker 2 copies bytes as they are; Avro stays in the Confluent wire format end to end.
    'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    'header.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    'config.storage.topic': 'connect-configs',
    'offset.storage.topic': 'connect-offsets',
    'status.storage.topic': 'connect-status',
    'config.storage.replication.factor': rf,
    'offset.storage.replication.factor': rf,
    'status.storage.replication.factor': rf,
    // 5, not 25: source offsets of a few connectors (created with the cluster's coordinator topics at start)
    'offset.storage.partitions': 5,
    'offset.flush.interval.ms': 5000,
    listeners: `http://0.0.0.0:${CONTAINER_PORTS.connect}`,
    'rest.advertised.host.name': connectNode(index),
    'rest.advertised.port': CONTAINER_PORTS.connect,
    'plugin.discovery': 'service_load',
    // lets a MirrorMaker 2 connector point its producer at the target cluster (placement: upstream)
    'connector.client.config.override.policy': 'All',
  });
}
