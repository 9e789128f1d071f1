import { FailureType } from '../domain/failures';

/**
 * Exit codes of the CLI: 0 ok, 1 the drill's verdict failed, 2 usage or input, 3 a service is
 * unreachable, 4 an unexpected error (a bug: never mistaken for a failed verdict), 130 interrupted.
 */
export const ExitCode = { Ok: 0, VerdictFailed: 1, Usage: 2, Unreachable: 3, Internal: 4, Interrupted: 130 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code a drill that failed with this failure type ends with. */
export function exitCodeForFailure(type: string | undefined): ExitCode {
  switch (type) {
    case FailureType.InvalidInput:
    case FailureType.InvalidTopology:
    case FailureType.ImageMissing:
    case FailureType.PortInUse:
    case FailureType.ConnectorRejected:
      return ExitCode.Usage;
    case FailureType.DockerUnreachable:
    case FailureType.ServiceUnreachable:
    case FailureType.TemporalUnreachable:
    case FailureType.ComponentUnhealthy:
    case FailureType.NotReady:
    case FailureType.ImageBuildFailed:
      return ExitCode.Unreachable;
    default:
      // KafkaJS connection errors: the cluster did not answer
      return type && /^KafkaJS(Connection|BrokerNotFound|NumberOfRetriesExceeded|RequestTimeout)/.test(type)
        ? ExitCode.Unreachable
        : ExitCode.VerdictFailed;
  }
}

/**
 * Every error this project raises on purpose. `type` is stable (Temporal matches it), `fix` is the
 * one line a user needs, `retryable` tells activities whether another attempt can help.
 */
export abstract class LabError extends Error {
  abstract readonly type: FailureType;
  abstract readonly exitCode: ExitCode;
  constructor(
    message: string,
    readonly fix: string,
    readonly retryable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
  /** Small, secret-free data for the workflow (ApplicationFailure details). */
  details?: unknown;
  /** The one-line form shown by the CLI. */
  oneLine(): string {
    return `${this.message} (fix: ${this.fix})`;
  }
}

export class InvalidTopologyError extends LabError {
  readonly type = FailureType.InvalidTopology;
  readonly exitCode = ExitCode.Usage;
  constructor(problem: string, fix: string) {
    super(`invalid topology: ${problem}`, fix, false);
  }
}

export class InvalidInputError extends LabError {
  readonly type = FailureType.InvalidInput;
  readonly exitCode = ExitCode.Usage;
  constructor(problem: string, fix: string) {
    super(problem, fix, false);
  }
}

export class DockerUnreachableError extends LabError {
  readonly type = FailureType.DockerUnreachable;
  readonly exitCode = ExitCode.Unreachable;
  constructor(where: string, cause?: unknown) {
    super(
      `Docker engine not reachable at ${where}`,
      'start it (`npm run setup` installs and starts dockerd as root) or set DOCKER_HOST',
      true,
      { cause },
    );
  }
}

export class ImageMissingError extends LabError {
  readonly type = FailureType.ImageMissing;
  readonly exitCode = ExitCode.Usage;
  constructor(image: string, source: string) {
    super(`image ${image} is missing`, source === 'built' ? 'run `npx lab images build`' : `run \`docker pull ${image}\``, false);
  }
}

export class ImageBuildError extends LabError {
  readonly type = FailureType.ImageBuildFailed;
  readonly exitCode = ExitCode.Unreachable;
  constructor(image: string, detail: string) {
    super(`building ${image} failed: ${detail}`, 'check the registries are reachable, then rerun `npx lab images build`', true);
  }
}

export class PortInUseError extends LabError {
  readonly type = FailureType.PortInUse;
  readonly exitCode = ExitCode.Usage;
  /** `ephemeral`: the kernel's range for outgoing connections' ports, named when the port lies in it. */
  constructor(address: string, port: number, component: string, ephemeral?: { from: number; to: number; maxOffset: number }) {
    const inRange = ephemeral && port >= ephemeral.from && port <= ephemeral.to;
    super(
      `host port ${address}:${port} for ${component} is already in use`,
      inRange
        ? `pick other ports with --port-offset N, at most ${ephemeral.maxOffset}: this one is in the kernel's ephemeral range ${ephemeral.from}-${ephemeral.to}, where any outgoing connection may hold it`
        : 'free the port, or pick other ports with --port-offset N',
      false,
    );
  }
}

export class ComponentUnhealthyError extends LabError {
  readonly type = FailureType.ComponentUnhealthy;
  readonly exitCode = ExitCode.Unreachable;
  constructor(component: string, waitedMs: number, lastProblem: string) {
    super(
      `${component} did not become healthy within ${Math.round(waitedMs / 1000)}s: ${lastProblem}`,
      'see its last log lines above; `--keep-on-failure` keeps the containers for `docker logs`',
      true,
    );
  }
}

export class ServiceUnreachableError extends LabError {
  readonly type = FailureType.ServiceUnreachable;
  readonly exitCode = ExitCode.Unreachable;
  constructor(service: string, endpoint: string, detail: string) {
    super(`${service} not reachable at ${endpoint}: ${detail}`, `check that ${service} is running and the endpoint is right`, true);
  }
}

export class TemporalUnreachableError extends LabError {
  readonly type = FailureType.TemporalUnreachable;
  readonly exitCode = ExitCode.Unreachable;
  /** `origin`: where the address came from (TEMPORAL_ADDRESS, a profile), so the fix names it. */
  constructor(address: string, detail: string, origin?: string) {
    super(
      `Temporal server not reachable at ${address}: ${detail}`,
      origin && origin !== 'the embedded default'
        ? `start the server or correct ${origin}; without any Temporal settings the CLI starts its embedded dev server`
        : 'unset TEMPORAL_ADDRESS to use the embedded dev server, or start yours',
      true,
    );
  }
}

/** The server answered, but the settings the user gave do not fit it: TLS, API key, namespace. */
export class TemporalSettingsError extends LabError {
  readonly type = FailureType.InvalidInput;
  readonly exitCode = ExitCode.Usage;
  constructor(problem: string, fix: string) {
    super(problem, fix, false);
  }
}

export class SchemaIncompatibleError extends LabError {
  readonly type = FailureType.SchemaIncompatible;
  readonly exitCode = ExitCode.VerdictFailed;
  constructor(subject: string, level: string, reasons: string[]) {
    super(
      `schema for ${subject} is not ${level} compatible: ${reasons.join('; ')}`,
      'give every added field a default and keep removed fields defaulted',
      false,
    );
  }
}

export class ConnectorRejectedError extends LabError {
  readonly type = FailureType.ConnectorRejected;
  readonly exitCode = ExitCode.Usage;
  constructor(connector: string, detail: string) {
    super(`Connect rejected connector ${connector}: ${detail}`, 'fix the connector config', false);
  }
}

export class TeardownIncompleteError extends LabError {
  readonly type = FailureType.TeardownIncomplete;
  readonly exitCode = ExitCode.VerdictFailed;
  constructor(labId: string, left: { containers: string[]; networks: string[]; volumes: string[] }) {
    const what = [
      ...left.containers.map((c) => `container ${c}`),
      ...left.networks.map((n) => `network ${n}`),
      ...left.volumes.map((v) => `volume ${v}`),
    ];
    super(`teardown of lab ${labId} left ${what.join(', ')}`, `run \`npx lab down --lab-id ${labId}\``, true);
    this.details = left;
  }
}

export function isLabError(e: unknown): e is LabError {
  return e instanceof LabError;
}
