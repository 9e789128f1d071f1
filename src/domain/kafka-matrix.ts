/**
 * The Kafka version matrix: the same drill once per Kafka version, each on a lab of its own.
 * Names and ports are derived here, once. Workflow-safe.
 */
import { SUPPORTED_KAFKA_VERSIONS } from './versions';
import type { DrillInput } from './drill-input';
import type { SeriesRunPlan } from './drill-series';

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

/**
 * The matrix's runs as a drill series: label `k<version>`, so each child's id is
 * `<parent id>-k3.9.1` (as it was before the series: histories in flight keep their children).
 */
export function matrixPlan(input: KafkaMatrixInput = {}): SeriesRunPlan[] {
  const drill: DrillInput = input.drill ?? {};
  return matrixRuns({ labId: drill.labId, portOffset: drill.portOffset, kafkaVersions: input.kafkaVersions }).map((r) => ({
    label: `k${r.kafkaVersion}`,
    // a version is any string the user gave until the series checks every input with resolveDrillInput
    input: { ...drill, kafkaVersion: r.kafkaVersion as DrillInput['kafkaVersion'], labId: r.labId, portOffset: r.portOffset },
  }));
}
