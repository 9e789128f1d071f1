import { parseArgs } from 'node:util';
import { connectDocker } from '../../docker/docker-client';
import { labStatus } from '../../lab/status';
import { createOutput } from '../output';
import { renderTable } from '../table';

export const STATUS_HELP = `lab status [--lab-id ID] [--json]
  Probes every component of the lab once through its own API. Exit code 0 when all are healthy, 1 otherwise.`;

export async function statusCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { 'lab-id': { type: 'string' }, json: { type: 'boolean' } } });
  const out = createOutput(!!values.json);
  const labId = values['lab-id'] ?? process.env.LAB_ID ?? 'default';
  const docker = await connectDocker();
  const s = await labStatus(docker, labId);
  if (s.state === 'down') out.text(`lab "${labId}" is down (no containers)`);
  else {
    out.text(`lab "${labId}" (${s.topology?.name}): ${s.state}`);
    out.text(renderTable(['component', 'endpoint', 'health', 'detail'], s.components.map((c) => [c.component, c.endpoint, c.health, c.detail ?? ''])));
  }
  out.result(s);
  return s.state === 'up' ? 0 : 1;
}
