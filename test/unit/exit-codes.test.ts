import { describe, expect, it } from 'vitest';
import { FailureType } from '../../src/domain/failures';
import * as errors from '../../src/errors';
import { ExitCode, exitCodeForFailure, LabError, labErrorFrom } from '../../src/errors';

// What each failure type must mean to the operator, written out here rather than read from the
// module's table: 1 only for a verdict, 2 input, 3 a service (or a wait for one), 4 the unexpected.
const EXPECTED: Record<FailureType, ExitCode> = {
  VerificationFailed: 1,
  SchemaIncompatible: 1,
  TeardownIncomplete: 1,
  InvalidInput: 2,
  InvalidTopology: 2,
  ImageMissing: 2,
  PortInUse: 2,
  ConnectorRejected: 2,
  DockerUnreachable: 3,
  ServiceUnreachable: 3,
  TemporalUnreachable: 3,
  ComponentUnhealthy: 3,
  NotReady: 3,
  ImageBuildFailed: 3,
  TimedOut: 3,
  VerifierTimeout: 3,
  Internal: 4,
};

/** One instance of every error the project raises on purpose, by class name. */
const RAISED: Record<string, LabError> = {
  InvalidTopologyError: new errors.InvalidTopologyError('p', 'f'),
  InvalidInputError: new errors.InvalidInputError('p', 'f'),
  DockerUnreachableError: new errors.DockerUnreachableError('/var/run/docker.sock'),
  ImageMissingError: new errors.ImageMissingError('kafka-lab/kafka:4.3.0', 'built'),
  ImageBuildError: new errors.ImageBuildError('kafka-lab/kafka:4.3.0', 'maven failed'),
  PortInUseError: new errors.PortInUseError('127.0.0.1', 19092, 'kafka-1'),
  ComponentUnhealthyError: new errors.ComponentUnhealthyError('kafka-1', 60_000, 'refused'),
  ServiceUnreachableError: new errors.ServiceUnreachableError('Kafka', '127.0.0.1:19092', 'refused'),
  TemporalUnreachableError: new errors.TemporalUnreachableError('127.0.0.1:7233', 'refused'),
  TemporalSettingsError: new errors.TemporalSettingsError('p', 'f'),
  SchemaIncompatibleError: new errors.SchemaIncompatibleError('t-value', 'BACKWARD', ['age has no default']),
  ConnectorRejectedError: new errors.ConnectorRejectedError('mm2-source-src', 'bad config'),
  TeardownIncompleteError: new errors.TeardownIncompleteError('lab', { containers: ['c'], networks: [], volumes: [] }),
  TimedOutError: new errors.TimedOutError('the metric checks', 'lag 3'),
  VerifierBehindError: new errors.VerifierBehindError('src.t', 12, 'p0 at 3 of 15'),
  InternalError: new errors.InternalError('a thread died'),
  MirrorNotRunningError: new errors.MirrorNotRunningError('PAUSED'),
  NetemMissingError: new errors.NetemMissingError(),
  LinkShapingError: new errors.LinkShapingError('kafka-1', 'tc failed'),
  FaultNotProvenError: new errors.FaultNotProvenError('SIGKILL to kafka-1', 'the container was not running'),
  RegistriesOutOfStepError: new errors.RegistriesOutOfStepError('after the import it does not resolve schema id(s) 1 as the primary does'),
  ReadIncompleteError: new errors.ReadIncompleteError('src.t', [0, 2]),
};

describe('exit codes', () => {
  it.each(Object.entries(EXPECTED))('failure type %s exits %i', (type, code) => {
    expect(exitCodeForFailure(type)).toBe(code);
  });

  it('covers every failure type', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.values(FailureType).sort());
  });

  it('every error class raised on purpose is listed above, and exits as its type says', () => {
    const classes = Object.entries(errors)
      .filter(([, v]) => typeof v === 'function' && v.prototype instanceof LabError)
      .map(([name]) => name)
      .sort();
    expect(Object.keys(RAISED).sort()).toEqual(classes);
    for (const [name, e] of Object.entries(RAISED)) {
      expect(e.constructor.name, name).toBe(name);
      expect(e.exitCode, name).toBe(EXPECTED[e.type]);
      expect(e.oneLine(), name).toMatch(/\(fix: .+\)$/);
    }
  });

  it('a verdict is the only failure that exits 1', () => {
    const verdicts = Object.entries(EXPECTED).filter(([, c]) => c === ExitCode.VerdictFailed);
    expect(verdicts.map(([t]) => t).sort()).toEqual(['SchemaIncompatible', 'TeardownIncomplete', 'VerificationFailed']);
  });

  it('a programming error or a plain Error in an activity is unexpected (4), not a verdict', () => {
    for (const t of ['TypeError', 'RangeError', 'ReferenceError', 'Error', 'ActivityFailure', undefined]) {
      expect(exitCodeForFailure(t), String(t)).toBe(ExitCode.Internal);
    }
  });

  it('a step that timed out waiting, Kafka or Elasticsearch not answering, are a service (3)', () => {
    for (const t of [
      'TimeoutFailure',
      'KafkaJSConnectionError',
      'KafkaJSNumberOfRetriesExceeded',
      'KafkaJSRequestTimeoutError',
      'KafkaJSProtocolError',
      'ConnectionError',
      'TimeoutError',
      'NoLivingConnectionsError',
    ]) {
      expect(exitCodeForFailure(t), t).toBe(ExitCode.Unreachable);
    }
  });

  it('a drill cancelled from outside the CLI exits as interrupted', () => {
    expect(exitCodeForFailure('CancelledFailure')).toBe(ExitCode.Interrupted);
  });

  it('a LabError that crossed a thread keeps its type, fix and retry flag', () => {
    const sent = {
      ...structuredClone({ name: 'x', message: 'send unanswered', type: 'ServiceUnreachable', fix: 'check Kafka', retryable: true }),
    };
    const e = labErrorFrom(sent)!;
    expect(e).toBeInstanceOf(LabError);
    expect([e.type, e.exitCode, e.retryable, e.oneLine()]).toEqual(['ServiceUnreachable', 3, true, 'send unanswered (fix: check Kafka)']);
    expect(labErrorFrom({ message: 'KafkaJSConnectionError: m' })).toBeUndefined();
    expect(labErrorFrom({ type: 'NoSuchType', message: 'm' })).toBeUndefined();
  });
});
