import { parseArgs } from 'node:util';
import {
  BUILT_IMAGES,
  DEFAULT_KAFKA_VERSION,
  isKafkaVersion,
  SUPPORTED_KAFKA_VERSIONS,
  WORKER_IMAGE,
  type KafkaVersion,
} from '../../../infra/images';
import { connectDocker } from '../../docker/docker-client';
import { InvalidInputError } from '../../errors';
import { buildImages } from '../../images/build-images';
import { buildWorkerImage } from '../../images/worker-image';
import { createOutput } from '../output';
import { renderTable } from '../table';

export const IMAGES_HELP = `lab images build [--force] [--only NAME] [--skip NAME[,NAME...]] [--kafka-version V[,V...]|all] [--defer-training] [--json]
  Builds the lab's images locally from a debootstrap'd Debian, Debian packages and Maven Central.
  Existing images are reused unless --force. NAME is one of: ${Object.keys(BUILT_IMAGES).join(', ')}, or worker:
  the drill worker as a service (${WORKER_IMAGE}, always built anew from this checkout; see the README).
  The Kafka image is built for ${DEFAULT_KAFKA_VERSION} unless --kafka-version names others (${SUPPORTED_KAFKA_VERSIONS.join(', ')});
  --skip leaves images out (the drill's setup skips toxiproxy, the link proxy); a lab on another version,
  or one that needs a skipped image, builds what it lacks when it is provisioned.
  --defer-training builds the Kafka and registry images without their class-data archives (a training run of
  about a minute that makes their JVMs start faster; setup defers it while the Temporal CLI compiles): the
  next build without the flag trains them.`;

export async function imagesCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      force: { type: 'boolean' },
      only: { type: 'string' },
      skip: { type: 'string' },
      'kafka-version': { type: 'string' },
      'defer-training': { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  const out = createOutput(!!values.json);
  if (positionals[0] !== 'build') throw new InvalidInputError(`unknown images subcommand "${positionals[0] ?? ''}"`, IMAGES_HELP);
  const worker = values.only === 'worker';
  if (values.only && !worker && !(values.only in BUILT_IMAGES)) {
    throw new InvalidInputError(`unknown image "${values.only}"`, `use one of ${Object.keys(BUILT_IMAGES).join(', ')}, worker`);
  }
  const skip = (values.skip ?? '').split(',').filter((x) => x.trim() !== '');
  const unknownSkip = skip.find((x) => !(x in BUILT_IMAGES));
  if (unknownSkip !== undefined)
    throw new InvalidInputError(`unknown image "${unknownSkip}" in --skip`, `use names from ${Object.keys(BUILT_IMAGES).join(', ')}`);
  const kafkaVersions = kafkaVersionsOf(values['kafka-version']);
  const docker = await connectDocker();
  // The worker image starts FROM node: that one (and what it needs) is built first when missing.
  const results = await buildImages(docker, {
    force: values.force && !worker,
    only: (worker ? 'node' : values.only) as keyof typeof BUILT_IMAGES,
    skip: skip as (keyof typeof BUILT_IMAGES)[],
    kafkaVersions,
    deferTraining: values['defer-training'],
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

/** `--kafka-version 3.9.1,4.3.0` or `all`; each checked against infra/images.ts. */
function kafkaVersionsOf(flag: string | undefined): KafkaVersion[] {
  if (!flag) return [DEFAULT_KAFKA_VERSION];
  if (flag === 'all') return [...SUPPORTED_KAFKA_VERSIONS];
  const given = flag.split(',').map((x) => x.trim());
  const unknown = given.find((x) => !isKafkaVersion(x));
  if (unknown !== undefined)
    throw new InvalidInputError(`unknown Kafka version "${unknown}"`, `use ${SUPPORTED_KAFKA_VERSIONS.join(', ')} or all`);
  return given as KafkaVersion[];
}
