import { parseArgs } from 'node:util';
import { connectDocker } from '../../docker/docker-client';
import { teardownLab } from '../../lab/teardown';
import { LAB_ID_FLAGS_HELP, LAB_ID_OPTIONS, labIdFromFlags } from '../lab-flags';
import { createOutput } from '../output';

export const DOWN_HELP = `lab down [--lab-id ID] [--json]
  Removes every container, network and volume of the lab.
${LAB_ID_FLAGS_HELP}`;

export async function downCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: LAB_ID_OPTIONS });
  const out = createOutput(!!values.json);
  const labId = labIdFromFlags(values);
  const docker = await connectDocker();
  const r = await teardownLab(docker, labId, out.progress);
  out.text(`lab "${labId}" removed: ${r.containers.length} containers, ${r.networks.length} networks, ${r.volumes.length} volumes`);
  out.result({ status: 'ok', labId, removed: r });
  return 0;
}
