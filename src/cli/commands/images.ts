import { parseArgs } from 'node:util';
import { BUILT_IMAGES, WORKER_IMAGE } from '../../../infra/images';
import { connectDocker } from '../../docker/docker-client';
import { InvalidInputError } from '../../errors';
import { buildImages } from '../../images/build-images';
import { buildWorkerImage } from '../../images/worker-image';
import { createOutput } from '../output';
import { renderTable } from '../table';

export const IMAGES_HELP = `lab images build [--force] [--only NAME] [--json]
  Builds the lab's images locally from a debootstrap'd Debian, Debian packages and Maven Central.
  Existing images are reused unless --force. NAME is one of: ${Object.keys(BUILT_IMAGES).join(', ')}, or worker:
  the drill worker as a service (${WORKER_IMAGE}, always built anew from this checkout; see the README).`;

export async function imagesCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { force: { type: 'boolean' }, only: { type: 'string' }, json: { type: 'boolean' } },
  });
  const out = createOutput(!!values.json);
  if (positionals[0] !== 'build') throw new InvalidInputError(`unknown images subcommand "${positionals[0] ?? ''}"`, IMAGES_HELP);
  const worker = values.only === 'worker';
  if (values.only && !worker && !(values.only in BUILT_IMAGES)) {
    throw new InvalidInputError(`unknown image "${values.only}"`, `use one of ${Object.keys(BUILT_IMAGES).join(', ')}, worker`);
  }
  const docker = await connectDocker();
  // The worker image starts FROM node: that one (and what it needs) is built first when missing.
  const results = await buildImages(docker, {
    force: values.force && !worker,
    only: (worker ? 'node' : values.only) as keyof typeof BUILT_IMAGES,
    log: out.progress,
  });
  if (worker) {
    const w = await buildWorkerImage(docker, out.progress);
    results.push({ image: 'worker', tag: w.tag, action: 'built', seconds: w.seconds });
  }
  out.text(
    renderTable(
      ['image', 'tag', 'action', 'seconds'],
      results.map((r) => [r.image, r.tag, r.action, r.seconds.toFixed(1)]),
    ),
  );
  out.result({ status: 'ok', images: results });
  return 0;
}
