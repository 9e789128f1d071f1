import type { KafkaAccess } from '../domain/access';
import type { Fault } from '../domain/faults';

export interface DeleteRecordsInput {
  bootstrap: string[];
  topic: string;
  /** How many records to delete from the head of partition 0, counted from `sinceMs`. */
  count: number;
  sinceMs: number;
  timeoutSeconds?: number;
  access?: KafkaAccess;
}

export interface FaultStepInput {
  labId: string;
  fault: Fault;
  /** The container a kill hits when a target file names it; a lab's is found from the lab id. */
  container?: string;
}

export interface FaultApplied {
  kind: Fault['kind'];
  /** What was hit: a container, or each end of the link (container:interface). */
  targets: string[];
  /** Epoch ms when the fault took effect (or was undone). */
  at: number;
  /** What shows it happened: the process killed and how it exited, stopped or running again, each end of the link as read back. */
  evidence?: string[];
}

/** The records deleteMirroredRecords removed: offsets [from, to) of one partition. */
export interface DeletedRecords {
  partition: number;
  from: number;
  to: number;
}
