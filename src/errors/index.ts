import { FailureType } from '../domain/failures';

/**
 * Exit codes of the CLI: 0 ok, 1 the drill's verdict failed, 2 usage or input, 3 a service is
 * unreachable, 4 an unexpected error (a bug: never mistaken for a failed verdict), 130 interrupted.
 */
export const ExitCode = { Ok: 0, VerdictFailed: 1, Usage: 2, Unreachable: 3, Internal: 4, Interrupted: 130 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * What each of our failure types means to the operator, as data: 1 only for a verdict (the evidence
 * says something went wrong), 2 for input, 3 for a service that did not answer or a wait for one
 * that ran out of time, 4 for what the code did not expect.
 */
export const EXIT_CODE_OF: Record<FailureType, ExitCode> = {
  [FailureType.VerificationFailed]: ExitCode.VerdictFailed,
  [FailureType.SchemaIncompatible]: ExitCode.VerdictFailed,
  [FailureType.TeardownIncomplete]: ExitCode.VerdictFailed,
  [FailureType.InvalidInput]: ExitCode.Usage,
  [FailureType.InvalidTopology]: ExitCode.Usage,
  [FailureType.ImageMissing]: ExitCode.Usage,
  [FailureType.PortInUse]: ExitCode.Usage,
  [FailureType.ConnectorRejected]: ExitCode.Usage,
  [FailureType.DockerUnreachable]: ExitCode.Unreachable,
  [FailureType.ServiceUnreachable]: ExitCode.Unreachable,
  [FailureType.TemporalUnreachable]: ExitCode.Unreachable,
  [FailureType.ComponentUnhealthy]: ExitCode.Unreachable,
  [FailureType.NotReady]: ExitCode.Unreachable,
  [FailureType.ImageBuildFailed]: ExitCode.Unreachable,
  [FailureType.TimedOut]: ExitCode.Unreachable,
  [FailureType.VerifierTimeout]: ExitCode.Unreachable,
  [FailureType.Internal]: ExitCode.Internal,
};

/**
 * Failure types raised by the libraries underneath, by name: Temporal's activity and workflow
 * timeouts, and the Elasticsearch client's transport errors, are a service (or a wait for one)
 * that ran out of time.
 */
const SERVICE_FAILURE_NAMES = new Set(['TimeoutFailure', 'ConnectionError', 'TimeoutError', 'NoLivingConnectionsError']);
/** A drill cancelled from the UI or `temporal workflow cancel` was interrupted, as Ctrl-C is. */
const CANCELLED = 'CancelledFailure';

/**
 * The exit code a drill that failed with this failure type ends with. KafkaJS errors are Kafka
 * not answering, or answering with an error (3); any type nobody raised on purpose (a TypeError in
 * an activity, a plain Error) is unexpected (4), never a verdict.
 */
export function exitCodeForFailure(type: string | undefined): ExitCode {
  if (type && Object.hasOwn(EXIT_CODE_OF, type)) return EXIT_CODE_OF[type as FailureType];
  if (type && (type.startsWith('KafkaJS') || SERVICE_FAILURE_NAMES.has(type))) return ExitCode.Unreachable;
  if (type === CANCELLED) return ExitCode.Interrupted;
  return ExitCode.Internal;
}

/**
 * Every error this project raises on purpose. `type` is stable (Temporal matches it), `fix` is the
 * one line a user needs, `retryable` tells activities whether another attempt can help.
 */
export abstract class LabError extends Error {
  abstract readonly type: FailureType;
  constructor(
    message: string,
    readonly fix: string,
    readonly retryable: boolean,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
  /** What this failure means to the operator: one table for the CLI and the drill's report. */
  get exitCode(): ExitCode {
    return EXIT_CODE_OF[this.type];
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
  constructor(problem: string, fix: string) {
    super(`invalid topology: ${problem}`, fix, false);
  }
}

export class InvalidInputError extends LabError {
  readonly type = FailureType.InvalidInput;
  constructor(problem: string, fix: string) {
    super(problem, fix, false);
  }
}

export class DockerUnreachableError extends LabError {
  readonly type = FailureType.DockerUnreachable;
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
  constructor(image: string, source: string) {
    super(`image ${image} is missing`, source === 'built' ? 'run `npx lab images build`' : `run \`docker pull ${image}\``, false);
  }
}

export class ImageBuildError extends LabError {
  readonly type = FailureType.ImageBuildFailed;
  constructor(image: string, detail: string) {
    super(`building ${image} failed: ${detail}`, 'check the registries are reachable, then rerun `npx lab images build`', true);
  }
}

export class PortInUseError extends LabError {
  readonly type = FailureType.PortInUse;
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
  constructor(service: string, endpoint: string, detail: string) {
    super(`${service} not reachable at ${endpoint}: ${detail}`, `check that ${service} is running and the endpoint is right`, true);
  }
}

export class TemporalUnreachableError extends LabError {
  readonly type = FailureType.TemporalUnreachable;
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
  constructor(problem: string, fix: string) {
    super(problem, fix, false);
  }
}

export class SchemaIncompatibleError extends LabError {
  readonly type = FailureType.SchemaIncompatible;
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
  constructor(connector: string, detail: string) {
    super(`Connect rejected connector ${connector}: ${detail}`, 'fix the connector config', false);
  }
}

export class TeardownIncompleteError extends LabError {
  readonly type = FailureType.TeardownIncomplete;
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

/** A wait for a service that ran out of time: the service did not get there (exit 3). */
export class TimedOutError extends LabError {
  readonly type = FailureType.TimedOut;
  constructor(what: string, detail: string, fix = 'check the service named, then retry the drill') {
    super(`${what} did not finish in time: ${detail}`, fix, true);
  }
}

/**
 * The verifier itself fell behind: at its deadline the mirrored topic held records it had not read
 * yet. They are not the mirror's loss; the attempt fails (retryable) and the next one goes on from
 * its heartbeat.
 */
export class VerifierBehindError extends LabError {
  readonly type = FailureType.VerifierTimeout;
  constructor(topic: string, unread: number, partitions: string) {
    super(
      `the verifier had ${unread} records of ${topic} still unread at its deadline (${partitions}); they are downstream, not lost`,
      'give the verifier more time (--verify-timeout) or a less busy worker',
      true,
    );
  }
}

/** Something this code did not expect: data it cannot read, a thread that died. A bug or a limit of the tool (exit 4). */
export class InternalError extends LabError {
  readonly type = FailureType.Internal;
  constructor(problem: string, fix = 'this is a bug or a limit of kafka-lab: report it with the drill id') {
    super(problem, fix, false);
  }
}

/**
 * A LabError rebuilt from its plain fields, after it crossed a thread or a process (structured
 * clone keeps no class): the same type, fix and retry flag, so the boundary classifies it the same.
 */
export function labErrorFrom(e: { type?: string; message?: string; fix?: string; retryable?: boolean }): LabError | undefined {
  if (!e.type || !Object.hasOwn(EXIT_CODE_OF, e.type)) return undefined;
  return new TransportedLabError(e.type as FailureType, e.message ?? e.type, e.fix ?? 'see the message', e.retryable ?? true);
}

class TransportedLabError extends LabError {
  constructor(
    readonly type: FailureType,
    message: string,
    fix: string,
    retryable: boolean,
  ) {
    super(message, fix, retryable);
  }
}

/** The MirrorMaker 2 connectors did not reach RUNNING in time. */
export class MirrorNotRunningError extends LabError {
  readonly type = FailureType.NotReady;
  constructor(state: string) {
    super(`MirrorMaker 2 connectors not RUNNING in time: ${state}`, 'check the Connect workers can reach both clusters', true);
  }
}

/** Delay, jitter and loss need the kernel's netem qdisc; a kernel built without it cannot degrade a link. */
export class NetemMissingError extends LabError {
  readonly type = FailureType.InvalidInput;
  constructor() {
    super(
      "link-degrade with --link-shaper netem needs the netem qdisc (CONFIG_NET_SCH_NETEM), which this Docker host's kernel lacks",
      'use --link-shaper proxy (or auto), which shapes the link with Toxiproxy on any host',
      false,
    );
  }
}

/**
 * A fault step that cannot show its fault happened (the container was not running when it was to be
 * killed, the process did not stop, nothing was on the link): the drill did not test that fault,
 * so its verdict fails.
 */
export class FaultNotProvenError extends LabError {
  readonly type = FailureType.VerificationFailed;
  constructor(fault: string, detail: string) {
    super(
      `${fault} hit nothing: ${detail}`,
      'run the drill on a lab whose containers are up (`npx lab status`), or name running containers in the target file',
      false,
    );
  }
}

/** The DR site's Schema Registry does not resolve the primary's schema ids as the primary does. */
export class RegistriesOutOfStepError extends LabError {
  readonly type = FailureType.VerificationFailed;
  constructor(detail: string) {
    super(
      `the DR site's Schema Registry is out of step with the primary's: ${detail}`,
      "check both registries answer (`npx lab status`); the DR registry must be empty or hold the primary's ids",
      false,
    );
  }
}

/** tc failed inside a container: the lab lacks what shaping needs. */
export class LinkShapingError extends LabError {
  readonly type = FailureType.NotReady;
  constructor(container: string, detail: string) {
    super(
      `tc could not shape the link in ${container}: ${detail}`,
      'the lab needs NET_ADMIN and iproute2 in its images: run `npx lab down` and provision again',
      true,
    );
  }
}

/** A read to a topic's end that did not get there in time: the cluster did not answer (retryable). */
export class ReadIncompleteError extends LabError {
  readonly type = FailureType.NotReady;
  constructor(topic: string, partitions: number[]) {
    super(
      `reading ${topic} to its end did not finish in time (partitions ${partitions.join(', ')})`,
      'check the cluster answers; the activity retries',
      true,
    );
  }
}
