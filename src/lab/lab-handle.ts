import type Docker from 'dockerode';
import { connectDocker } from '../docker/docker-client';
import type { ComponentStatus, LabEndpoints } from '../domain/endpoints';
import { isTopologyProblem, resolveTopology, type TopologyInput } from '../domain/resolve-topology';
import type { LabTopology } from '../domain/topology';
import { InvalidTopologyError } from '../errors';
import { provisionLab } from './provision';
import { labStatus, type LabStatus } from './status';
import type { TeardownResult } from '../contracts/lab';
import { teardownLab } from './teardown';

export interface StartLabOptions extends TopologyInput {
  /** Leave the lab up when the handle is disposed; the next startLab with the same lab id reuses it. */
  keep?: boolean;
  /** Keep what was created when provisioning fails, for `docker logs` (default: tear it down). */
  keepOnFailure?: boolean;
  /** Each provisioning step, as `lab up` prints it (default: silent). */
  log?: (line: string) => void;
  /** Stops provisioning between containers and while it waits. */
  signal?: AbortSignal;
  /** Default: the engine DOCKER_HOST (or the local socket) names, as the CLI uses. */
  docker?: Docker;
}

/** A running lab: its endpoints, and its teardown when the scope of `await using` ends. */
export interface Lab extends AsyncDisposable {
  readonly labId: string;
  readonly topology: LabTopology;
  /** The same document `lab up --json` prints, and a drill's target takes. */
  readonly endpoints: LabEndpoints;
  /** Each component as it answered when provisioning ended. */
  readonly components: ComponentStatus[];
  /** Containers created, and found running from an earlier start (a kept lab). */
  readonly created: number;
  readonly reused: number;
  /** One probe per component now, as `lab status` shows. */
  status(): Promise<LabStatus>;
  /** Removes the lab's containers, networks and volumes (`lab down`), whatever `keep` says. */
  stop(): Promise<TeardownResult>;
}

/**
 * Provisions a lab, or reuses the one running under the same lab id, and waits until every
 * component answers through its own API. Disposing the handle tears it down unless `keep`.
 */
export async function startLab(options: StartLabOptions = {}): Promise<Lab> {
  const { keep, keepOnFailure, log = () => undefined, signal, docker: given, ...input } = options;
  const topology = resolveTopology(input);
  if (isTopologyProblem(topology)) throw new InvalidTopologyError(topology.problem, topology.fix);
  const docker = given ?? (await connectDocker());
  const r = await provisionLab(docker, topology, { log, keepOnFailure, signal });
  let stopped: Promise<TeardownResult> | undefined;
  const stop = () => (stopped ??= teardownLab(docker, topology.labId, log));
  return {
    labId: topology.labId,
    topology,
    endpoints: r.endpoints,
    components: r.components,
    created: r.created,
    reused: r.reused,
    status: () => labStatus(docker, topology.labId),
    stop,
    [Symbol.asyncDispose]: async () => {
      if (!keep) await stop();
    },
  };
}
