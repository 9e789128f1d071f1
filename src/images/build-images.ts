import { resolve } from 'node:path';
import type Docker from 'dockerode';
import { BUILT_IMAGES, VERSIONS } from '../../infra/images';
import { isNotFound } from '../docker/docker-client';
import { contextFiles } from './build-context';
import { buildDebianBase, followBuild } from './debian-base';
import { copyArtifact, copyDependencies } from './maven';

const BUILT_DIR = resolve(__dirname, '../../infra/built');
type BuiltImage = keyof typeof BUILT_IMAGES;

export interface ImageBuildResult {
  image: string;
  tag: string;
  action: 'built' | 'reused';
  seconds: number;
}

interface Step {
  image: BuiltImage;
  /** Fills the build context from Maven before `docker build`. */
  prepare?: (dir: string) => Promise<void>;
  buildArgs: Record<string, string>;
}

const STEPS: Step[] = [
  { image: 'jre', buildArgs: { BASE_IMAGE: BUILT_IMAGES.base, JRE_PACKAGE: VERSIONS.jrePackage } },
  {
    image: 'kafka',
    buildArgs: { JRE_IMAGE: BUILT_IMAGES.jre },
    prepare: (dir) =>
      copyDependencies(BUILT_IMAGES.kafka, dir, resolve(dir, 'libs'), {
        'kafka.version': VERSIONS.kafka,
        'reload4j.version': VERSIONS.reload4j,
        'slf4j.version': VERSIONS.slf4j,
        'jmx.exporter.version': VERSIONS.jmxExporter,
      }),
  },
  {
    image: 'schema-registry',
    buildArgs: { JRE_IMAGE: BUILT_IMAGES.jre },
    prepare: (dir) =>
      copyArtifact(
        BUILT_IMAGES['schema-registry'],
        `io.apicurio:apicurio-registry-app:${VERSIONS.apicurio}:tar.gz:all`,
        dir,
        'apicurio-registry-app-all.tar.gz',
      ),
  },
  {
    image: 'elasticsearch',
    buildArgs: { JRE_IMAGE: BUILT_IMAGES.jre },
    prepare: (dir) =>
      copyArtifact(
        BUILT_IMAGES.elasticsearch,
        `org.elasticsearch.distribution.integ-test-zip:elasticsearch:${VERSIONS.elasticsearch}:zip`,
        dir,
        'elasticsearch.zip',
      ),
  },
  { image: 'prometheus', buildArgs: { BASE_IMAGE: BUILT_IMAGES.base } },
  { image: 'node', buildArgs: { BASE_IMAGE: BUILT_IMAGES.base } },
];

async function exists(docker: Docker, tag: string): Promise<boolean> {
  try {
    await docker.getImage(tag).inspect();
    return true;
  } catch (e) {
    if (isNotFound(e)) return false;
    throw e;
  }
}

/**
 * Builds every `built` image in order, reusing the ones that exist unless `force`.
 * With `only`, `force` applies to that image alone; the others are still built when missing.
 */
export async function buildImages(
  docker: Docker,
  opts: { force?: boolean; only?: BuiltImage; log: (s: string) => void },
): Promise<ImageBuildResult[]> {
  const results: ImageBuildResult[] = [];
  const wanted = (image: BuiltImage) => !opts.only || opts.only === image;
  const timed = async (image: BuiltImage, fn: () => Promise<void>) => {
    const tag = BUILT_IMAGES[image];
    const start = Date.now();
    if (!(opts.force && wanted(image)) && (await exists(docker, tag))) {
      results.push({ image, tag, action: 'reused', seconds: 0 });
      return;
    }
    opts.log(`building ${tag}`);
    await fn();
    results.push({ image, tag, action: 'built', seconds: (Date.now() - start) / 1000 });
  };

  await timed('base', () => buildDebianBase(docker, BUILT_IMAGES.base, VERSIONS.debian, opts.log));
  for (const step of STEPS) {
    await timed(step.image, async () => {
      const dir = resolve(BUILT_DIR, step.image);
      if (step.prepare) {
        opts.log(`resolving ${step.image} artifacts through Maven`);
        await step.prepare(dir);
      }
      const stream = await docker.buildImage(
        { context: dir, src: contextFiles(dir).filter((f) => f !== 'pom.xml') },
        { t: BUILT_IMAGES[step.image], buildargs: step.buildArgs, labels: { 'io.kafka-lab.managed': 'true' }, rm: true, forcerm: true },
      );
      await followBuild(docker, stream, BUILT_IMAGES[step.image], (line) => opts.log(`  ${line}`));
    });
  }
  return results;
}
