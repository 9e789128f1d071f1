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
