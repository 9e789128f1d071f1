import type { DataCenter } from '../domain/topology';

/** Label keys on every container, network and volume of a lab; teardown finds things by them. */
export const LABELS = {
  managed: 'io.kafka-lab.managed',
  labId: 'io.kafka-lab.lab-id',
  node: 'io.kafka-lab.node',
  role: 'io.kafka-lab.role',
  dataCenter: 'io.kafka-lab.dc',
  topology: 'io.kafka-lab.topology',
  specHash: 'io.kafka-lab.spec-hash',
  /**
   * On the Kafka and registry images: whether their class-data training ran ('trained'; images from
   * before the label trained too) or was left for a later build ('deferred').
   */
  cds: 'io.kafka-lab.cds',
} as const;

export const DC_SHORT: Record<DataCenter, string> = { upstream: 'up', downstream: 'down' };

export const containerName = (labId: string, node: string) => `kafka-lab-${labId}-${node}`;
export const networkName = (labId: string, net: DataCenter | 'wan') => `kafka-lab-${labId}-${net}`;
export const brokerNode = (dc: DataCenter, i: number) => `${DC_SHORT[dc]}-kafka-${i + 1}`;
export const connectNode = (i: number) => `connect-${i + 1}`;
