/**
 * Stable failure types. They are recorded in Temporal history and matched by
 * `nonRetryableErrorTypes`, so they are strings that never change, not class names.
 * Workflow-safe: no imports.
 */
export const FailureType = {
  InvalidTopology: 'InvalidTopology',
  InvalidInput: 'InvalidInput',
  DockerUnreachable: 'DockerUnreachable',
  ImageMissing: 'ImageMissing',
  ImageBuildFailed: 'ImageBuildFailed',
  PortInUse: 'PortInUse',
  ComponentUnhealthy: 'ComponentUnhealthy',
  ServiceUnreachable: 'ServiceUnreachable',
  TemporalUnreachable: 'TemporalUnreachable',
  SchemaIncompatible: 'SchemaIncompatible',
  ConnectorRejected: 'ConnectorRejected',
  VerificationFailed: 'VerificationFailed',
  NotReady: 'NotReady',
  TeardownIncomplete: 'TeardownIncomplete',
  /** A wait for a service ran out of time (a group that did not get through, metrics that did not settle). */
  TimedOut: 'TimedOut',
  /** The verifier could not read what was already downstream by its deadline: its culprit is the verifier, not the mirror. */
  VerifierTimeout: 'VerifierTimeout',
  /** Something the code did not expect (data it cannot read, a thread that died): a bug or a limit of this tool. */
  Internal: 'Internal',
} as const;

export type FailureType = (typeof FailureType)[keyof typeof FailureType];

/** Failures that another attempt of the same activity cannot fix. */
export const NON_RETRYABLE_FAILURES: FailureType[] = [
  FailureType.InvalidTopology,
  FailureType.InvalidInput,
  FailureType.ImageMissing,
  FailureType.PortInUse,
  FailureType.SchemaIncompatible,
  FailureType.ConnectorRejected,
  FailureType.VerificationFailed,
];
