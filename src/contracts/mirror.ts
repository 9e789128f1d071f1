import type { HttpAccess, KafkaAccess } from '../domain/access';
import type { ReplicationPolicy } from '../domain/names';

export interface MirrorInput {
  connectUrl: string;
  /** Bootstrap servers as the Connect workers see them. */
  sourceBootstrap: string[];
  targetBootstrap: string[];
  /** Downstream bootstrap as this worker sees it, to prepare the mirrored topic. */
  targetHostBootstrap: string[];
  topic: string;
  mirroredTopic: string;
  partitions: number;
  replicationFactor: number;
  tuning?: 'chapter' | 'throughput';
  replicationPolicy?: ReplicationPolicy;
  timeoutSeconds?: number;
  /** false: clusters we did not create; only check that these connectors run, change nothing. */
  register?: boolean;
  /**
   * Observing a flow (`--no-produce`): a connector someone PAUSED is what the observe step must
   * find and name per partition, so it is reported here rather than waited on until it runs.
   */
  acceptPaused?: boolean;
  connectors?: string[];
  /** A lab of ours: a failback's reverse mirror left behind is removed. */
  removeReverse?: boolean;
  access?: { connect?: HttpAccess; downstream?: KafkaAccess };
}

export interface ConnectorState {
  name: string;
  state: string;
  tasks: string[];
  changed: boolean;
}
