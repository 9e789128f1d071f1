import { resolve } from 'node:path';
import type Docker from 'dockerode';
import { BUILT_IMAGES, DEFAULT_KAFKA_VERSION, KAFKA_VERSIONS, kafkaImage, VERSIONS, type KafkaVersion } from '../../infra/images';
import { isNotFound } from '../docker/docker-client';
import { LABELS } from '../lab/names';
import { contextFiles } from './build-context';
import { buildDebianBase, followBuild } from './debian-base';
import { buildGoBinary } from './go-binary';
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
  /** The built image it starts FROM. */
  from: 'base' | 'jre';
  /** The tag, when it is not BUILT_IMAGES[image] (one Kafka image per version). */
  tag?: string;
  /** Fills the build context from Maven before `docker build`. */
  prepare?: (dir: string) => Promise<void>;
  buildArgs: Record<string, string>;
  /** Its Dockerfile has a class-data-sharing training run (build arg CDS_TRAIN) that a build may defer. */
  trains?: true;
}

/** Maven -D properties for the Kafka POM: the version and its logging libraries (group:artifact:version). */
export function kafkaPomProperties(version: KafkaVersion): Record<string, string> {
  const props: Record<string, string> = { 'kafka.version': version, 'jmx.exporter.version': VERSIONS.jmxExporter };
  KAFKA_VERSIONS[version].loggingLibs.forEach((coordinates, i) => {
    const [group, artifact, v] = coordinates.split(':');
    Object.assign(props, {
      [`logging.lib${i + 1}.group`]: group,
      [`logging.lib${i + 1}.artifact`]: artifact,
      [`logging.lib${i + 1}.version`]: v,
    });
  });
  return props;
}

const kafkaStep = (version: KafkaVersion): Step => ({
  image: 'kafka',
  from: 'jre',
  tag: kafkaImage('built', version),
  buildArgs: { JRE_IMAGE: BUILT_IMAGES.jre },
  trains: true,
  prepare: (dir) => copyDependencies(kafkaImage('built', version), dir, resolve(dir, 'libs'), kafkaPomProperties(version)),
});

const jreStep: Step = { image: 'jre', from: 'base', buildArgs: { BASE_IMAGE: BUILT_IMAGES.base, JRE_PACKAGE: VERSIONS.jrePackage } };

/** Every image but the base, the JRE and Kafka's (one per version, built one after the other: they share a build context). */
const otherSteps: Step[] = [
  {
    image: 'schema-registry',
    from: 'jre',
    buildArgs: { JRE_IMAGE: BUILT_IMAGES.jre },
    trains: true,
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
    from: 'jre',
    buildArgs: { JRE_IMAGE: BUILT_IMAGES.jre },
    prepare: (dir) =>
      copyArtifact(
        BUILT_IMAGES.elasticsearch,
        `org.elasticsearch.distribution.integ-test-zip:elasticsearch:${VERSIONS.elasticsearch}:zip`,
        dir,
        'elasticsearch.zip',
      ),
  },
  { image: 'prometheus', from: 'base', buildArgs: { BASE_IMAGE: BUILT_IMAGES.base } },
  {
    image: 'toxiproxy',
    from: 'base',
    buildArgs: { BASE_IMAGE: BUILT_IMAGES.base },
    prepare: (dir) =>
      buildGoBinary(BUILT_IMAGES.toxiproxy, `github.com/Shopify/toxiproxy/v2/cmd/server@${VERSIONS.toxiproxy}`, dir, 'toxiproxy-server'),
  },
  { image: 'node', from: 'base', buildArgs: { BASE_IMAGE: BUILT_IMAGES.base } },
];

/** The order results are listed in. */
const ORDER: readonly string[] = ['base', 'jre', 'kafka', ...otherSteps.map((s) => s.image)];

/** An image's id and labels, or undefined when there is no such image. */
async function inspectImage(docker: Docker, tag: string): Promise<{ id: string; labels: Record<string, string> } | undefined> {
  try {
    const info = await docker.getImage(tag).inspect();
    return { id: info.Id, labels: info.Config?.Labels ?? {} };
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

const exists = async (docker: Docker, tag: string) => (await inspectImage(docker, tag)) !== undefined;

/**
 * What a build does with one image, given its labels (undefined: no such image): builds it when
 * missing or forced, trains it (builds it again from its cached layers) when its training was
 * deferred and this build does not defer, else reuses it.
 */
export function buildAction(
  labels: Record<string, string> | undefined,
  o: { force: boolean; trains: boolean; deferTraining: boolean },
): 'build' | 'train' | 'reuse' {
  if (labels === undefined || o.force) return 'build';
  return o.trains && !o.deferTraining && labels[LABELS.cds] === 'deferred' ? 'train' : 'reuse';
}

/**
 * Builds every `built` image, reusing the ones that exist unless `force`.
 * With `only`, `force` applies to that image alone; the others are still built when missing.
 * The Kafka image is built for `kafkaVersions` (default: the default version only): a lab that
 * asks for another version gets its image built when it is provisioned (ensureLabImages).
 * Images build side by side as soon as the one they start FROM exists; their artifacts (Maven,
 * Go) are fetched one image at a time, from the start, while debootstrap makes the base (Maven's
 * local repository is not safe for two builds at once).
 */
export async function buildImages(
  docker: Docker,
  opts: {
    force?: boolean;
    only?: BuiltImage;
    /** left out unless `only` names it; a lab that needs one builds it when provisioned (ensureLabImages) */
    skip?: readonly BuiltImage[];
    kafkaVersions?: readonly KafkaVersion[];
    /**
     * Builds the images that train class-data archives without the training run, for a build that
     * shares the machine with a longer task (setup's, beside the Temporal CLI's compile); the next
     * build without it trains them.
     */
    deferTraining?: boolean;
    log: (s: string) => void;
  },
): Promise<ImageBuildResult[]> {
  const results: ImageBuildResult[] = [];
  const wanted = (image: BuiltImage) => !opts.only || opts.only === image;
  /**
   * Whether `image` is to be built now: undefined when skipped or reused (a reused one is listed),
   * else with the untrained image a training build replaces.
   */
  const due = async (image: BuiltImage, tag: string, trains = false): Promise<{ replaces?: string } | undefined> => {
    if (opts.skip?.includes(image) && opts.only !== image) return undefined;
    const existing = await inspectImage(docker, tag);
    const action = buildAction(existing?.labels, {
      force: !!opts.force && wanted(image),
      trains,
      deferTraining: !!opts.deferTraining,
    });
    if (action === 'reuse') {
      results.push({ image, tag, action: 'reused', seconds: 0 });
      return undefined;
    }
    if (action === 'train') opts.log(`${tag} was built without its class-data archives: training them now`);
    return { replaces: action === 'train' ? existing?.id : undefined };
  };
  let fetching: Promise<unknown> = Promise.resolve();
  const build = async (step: Step, parent: Promise<void>): Promise<void> => {
    const tag = step.tag ?? BUILT_IMAGES[step.image];
    const plan = await due(step.image, tag, step.trains);
    if (!plan) return;
    const start = Date.now();
    const dir = resolve(BUILT_DIR, step.image);
    if (step.prepare) {
      const prepare = step.prepare;
      const fetched = fetching.then(() => {
        opts.log(`resolving ${step.image} artifacts`);
        return prepare(dir);
      });
      fetching = fetched.catch(() => undefined);
      await fetched;
    }
    await parent;
    opts.log(`building ${tag}`);
    const cds = step.trains ? (opts.deferTraining ? 'deferred' : 'trained') : undefined;
    const stream = await docker.buildImage(
      { context: dir, src: contextFiles(dir).filter((f) => f !== 'pom.xml') },
      {
        t: tag,
        buildargs: { ...step.buildArgs, ...(cds && { CDS_TRAIN: cds === 'trained' ? '1' : '0' }) },
        labels: { [LABELS.managed]: 'true', ...(cds && { [LABELS.cds]: cds }) },
        rm: true,
        forcerm: true,
      },
    );
    await followBuild(docker, stream, tag, (line) => opts.log(`  ${step.image}: ${line}`));
    // the untrained image is left untagged; a lab still running on it keeps it (the engine refuses)
    if (plan.replaces)
      await docker
        .getImage(plan.replaces)
        .remove()
        .catch(() => undefined);
    results.push({ image: step.image, tag, action: 'built', seconds: (Date.now() - start) / 1000 });
  };
  /** A parent every child awaits: handled here too, so its failure is reported once, by a child or by allSettled. */
  const parentOf = (work: Promise<void>) => (work.catch(() => undefined), work);

  const base = parentOf(
    (async () => {
      if (!(await due('base', BUILT_IMAGES.base))) return;
      const start = Date.now();
      opts.log(`building ${BUILT_IMAGES.base}`);
      await buildDebianBase(docker, BUILT_IMAGES.base, VERSIONS.debian, opts.log);
      results.push({ image: 'base', tag: BUILT_IMAGES.base, action: 'built', seconds: (Date.now() - start) / 1000 });
    })(),
  );
  const jre = parentOf(build(jreStep, base));
  const parents = { base, jre };
  const kafka = (opts.kafkaVersions ?? [DEFAULT_KAFKA_VERSION]).reduce<Promise<void>>(
    (previous, version) => previous.then(() => build(kafkaStep(version), jre)),
    Promise.resolve(),
  );
  const settled = await Promise.allSettled([base, jre, kafka, ...otherSteps.map((step) => build(step, parents[step.from]))]);
  const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.sort((a, b) => ORDER.indexOf(a.image) - ORDER.indexOf(b.image));
}

/**
 * The built images a lab's plan names, built now when one is missing (with what it starts from):
 * only the Kafka versions labs ask for are ever built, and the link proxy only for a lab that has
 * one (setup may leave it out). Serialised, since two labs provisioned at once would otherwise
 * share one build context.
 */
let labBuild: Promise<unknown> = Promise.resolve();
export function ensureLabImages(
  docker: Docker,
  tags: readonly string[],
  kafkaVersion: KafkaVersion,
  log: (s: string) => void,
): Promise<ImageBuildResult[]> {
  const run = labBuild.then(async () => {
    const missing: string[] = [];
    for (const tag of new Set(tags)) if (!(await exists(docker, tag))) missing.push(tag);
    if (missing.length === 0) return [];
    log(`image${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing: building`);
    return buildImages(docker, { kafkaVersions: [kafkaVersion], log });
  });
  labBuild = run.catch(() => undefined);
  return run;
}
