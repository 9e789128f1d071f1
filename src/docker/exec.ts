import type Docker from 'dockerode';
import { demuxDockerStream } from './demux';

/** Runs a command in a running container; returns its exit code and combined output. */
export async function execIn(docker: Docker, container: string, cmd: string[]): Promise<{ code: number; output: string }> {
  const exec = await docker.getContainer(container).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  await new Promise((r) => stream.on('end', r));
  const info = await exec.inspect();
  const output = demuxDockerStream(Buffer.concat(chunks));
  return { code: info.ExitCode ?? -1, output };
}
