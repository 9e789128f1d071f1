import { CONTAINER_PORTS } from '../../domain/ports';
import { publishedHost } from '../../domain/published-host';
import type { DataCenter, LabTopology } from '../../domain/topology';
import { brokerNode } from '../names';
import { renderProperties } from './properties';

export const BROKER_DATA_DIR = '/var/lib/kafka/data';

/**
 * server.properties of one KRaft broker that is also a controller (the lab has no ZooKeeper). A
 * remote broker behind the link proxy also listens on LINK, advertised as `linkAddress` (the
 * proxy's port for it), so clients across the link follow the proxy and never go around it.
 * `metadataDir`: the cluster metadata log apart from the data (a broker whose data disk can fill
 * up keeps the quorum's log in its container).
 */
export function brokerProperties(
  t: LabTopology,
  dc: DataCenter,
  index: number,
  hostPort: number,
  linkAddress?: string,
  metadataDir?: string,
): string {
  const n = t.brokersPerCluster[dc];
  const rf = Math.min(t.replicationFactor, n);
  const voters = Array.from({ length: n }, (_, i) => `${i + 1}@${brokerNode(dc, i)}:${CONTAINER_PORTS.kafkaController}`);
  const advertisedHost = publishedHost(t.bindAddress);
  return renderProperties({
    'process.roles': 'broker,controller',
    'node.id': index + 1,
    'controller.quorum.voters': voters.join(','),
    listeners:
      `INTERNAL://0.0.0.0:${CONTAINER_PORTS.kafkaInternal},CONTROLLER://0.0.0.0:${CONTAINER_PORTS.kafkaController},EXTERNAL://0.0.0.0:${CONTAINER_PORTS.kafkaExternal}` +
      (linkAddress ? `,LINK://0.0.0.0:${CONTAINER_PORTS.kafkaLink}` : ''),
    // INTERNAL is what other containers use (broker alias); EXTERNAL is the published host port.
    'advertised.listeners':
      `INTERNAL://${brokerNode(dc, index)}:${CONTAINER_PORTS.kafkaInternal},EXTERNAL://${advertisedHost}:${hostPort}` +
      (linkAddress ? `,LINK://${linkAddress}` : ''),
    'listener.security.protocol.map':
      `INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT,EXTERNAL:${t.kafkaSecurity === 'scram' ? 'SASL_PLAINTEXT' : 'PLAINTEXT'}` +
      (linkAddress ? ',LINK:PLAINTEXT' : ''),
    ...(t.kafkaSecurity === 'scram'
      ? {
          'sasl.enabled.mechanisms': 'SCRAM-SHA-512',
          'listener.name.external.scram-sha-512.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
        }
      : {}),
    'inter.broker.listener.name': 'INTERNAL',
    'controller.listener.names': 'CONTROLLER',
    'log.dirs': BROKER_DATA_DIR,
    ...(metadataDir ? { 'metadata.log.dir': metadataDir } : {}),
    'num.partitions': 3,
    'default.replication.factor': rf,
    'min.insync.replicas': rf > 1 ? 2 : 1,
    'offsets.topic.replication.factor': rf,
    // 10 group-coordinator partitions, not 50: the lab's clusters have 1 to 3 brokers and a handful of
    // groups; creating 50 cost a lite lab's downstream broker a fifth of its start-up CPU.
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': rf,
    'transaction.state.log.min.isr': rf > 1 ? 2 : 1,
    // Topics are created on purpose (the drill's topic, MirrorMaker 2's and Connect's own), never by a typo.
    'auto.create.topics.enable': false,
    'group.initial.rebalance.delay.ms': 0,
    'log.retention.hours': 24,
  });
}
