import { parseArgs } from 'node:util';
import { connectDocker } from '../../docker/docker-client';
import { provisionLab } from '../../lab/provision';
import { createOutput } from '../output';
import { renderTable } from '../table';
import { LAB_FLAGS_HELP, LAB_OPTIONS, topologyFromFlags } from '../lab-flags';

export const UP_HELP = `lab up [flags] [--keep-on-failure] [--json]
  Creates the lab's networks and containers (reusing what exists) and waits until every component answers.
${LAB_FLAGS_HELP}
    --keep-on-failure  keep what was created when provisioning fails (for docker logs)
    --json             one JSON document on stdout`;

export async function upCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { ...LAB_OPTIONS, 'keep-on-failure': { type: 'boolean' }, json: { type: 'boolean' } },
  });
  const out = createOutput(!!values.json);
  const topology = topologyFromFlags(values);
  const docker = await connectDocker();
  out.progress(
    `bringing up lab "${topology.labId}" (topology ${topology.name}, Kafka ${topology.kafkaVersion}, ${topology.images} images)`,
  );
  const r = await provisionLab(docker, topology, { log: out.progress, keepOnFailure: values['keep-on-failure'] });
  out.text(
    renderTable(
      ['component', 'endpoint', 'health', 'detail'],
      r.components.map((c) => [c.component, c.endpoint, c.health, c.detail ?? '']),
    ),
  );
  out.text(`lab "${topology.labId}" is up in ${r.seconds.toFixed(1)}s (${r.created} created, ${r.reused} reused)`);
  out.result({ status: 'ok', labId: topology.labId, topology, endpoints: r.endpoints, components: r.components, seconds: r.seconds });
  return 0;
}
