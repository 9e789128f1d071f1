/**
 * The Kafka version matrix: the same drill once per Kafka version, each on a lab of its own.
 * Names and ports are derived here, once. Workflow-safe.
 */
import { SUPPORTED_KAFKA_VERSIONS } from './versions';
import type { DrillInput } from './drill-input';

/** Each version's lab is shifted this far from the one before, so kept labs can sit side by side. */
export const MATRIX_PORT_STEP = 100;

export interface MatrixRun {
  kafkaVersion: string;
  labId: string;
  portOffset: number;
}

/** `<labId>-k391` for Kafka 3.9.1: short, lowercase, and distinct per version. */
export const matrixLabId = (labId: string, kafkaVersion: string) => `${labId}-k${kafkaVersion.replace(/[^0-9a-z]/gi, '').toLowerCase()}`;

/** The runs of a matrix, in the order given (default: every supported version, oldest first). */
export function matrixRuns(base: { labId?: string; portOffset?: number; kafkaVersions?: readonly string[] }): MatrixRun[] {
  const versions = base.kafkaVersions?.length ? base.kafkaVersions : SUPPORTED_KAFKA_VERSIONS;
  return versions.map((kafkaVersion, i) => ({
    kafkaVersion,
    labId: matrixLabId(base.labId ?? 'matrix', kafkaVersion),
    portOffset: (base.portOffset ?? 0) + i * MATRIX_PORT_STEP,
  }));
}

/**
 * The matrix workflow's one input (a schedule's, the UI's): every field optional. `drill` is the
 * drill input each version runs with; its labId and portOffset are the bases the runs derive from.
 */
export interface KafkaMatrixInput {
  /** Default: every supported version, oldest first. */
  kafkaVersions?: string[];
  drill?: DrillInput;
}

/** One version's outcome, small enough for a history event: the full report is the child drill's. */
export interface KafkaMatrixVersion extends MatrixRun {
  drillId: string;
  verdict: string;
  failedStep?: string;
  error?: string;
  produced?: number;
  lost?: number;
  duplicated?: number;
  stepSeconds: Record<string, number>;
}

export interface KafkaMatrixResult {
  verdict: 'passed' | 'failed';
  versions: KafkaMatrixVersion[];
}
