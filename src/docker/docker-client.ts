import Docker from 'dockerode';
import { DockerUnreachableError } from '../errors';

let client: Docker | undefined;

/** Where dockerode will connect: DOCKER_HOST if set, else the local socket. */
export function dockerAddress(): string {
  return process.env.DOCKER_HOST ?? '/var/run/docker.sock';
}

/** One memoised client per process. */
export function getDocker(): Docker {
  client ??= new Docker();
  return client;
}

/** Pings the engine once, so every command fails early with one clear line when Docker is down. */
export async function connectDocker(): Promise<Docker> {
  const docker = getDocker();
  try {
    await docker.ping();
  } catch (e) {
    throw new DockerUnreachableError(dockerAddress(), e);
  }
  return docker;
}

export function isNotFound(e: unknown): boolean {
  return typeof e === 'object' && e !== null && (e as { statusCode?: number }).statusCode === 404;
}
