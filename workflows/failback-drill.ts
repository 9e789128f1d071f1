import type { DrillConfig } from '../src/domain/drill-input';
import type { UpstreamLoad } from '../src/domain/disaster';
import type { stepInputs } from '../src/drill/step-inputs';
import { problems, summaries } from '../src/drill/step-summaries';
import { clusterActivities, labActivities, observeActivities, produceActivities, verifyActivities } from './proxies';
import type { StepRecorder } from './step-recorder';

/** What the disaster drill leaves a failback: where the run began on each side, and the group's work on the DR topic. */
export interface AfterDisaster {
  upstream: UpstreamLoad;
  startOffsets: { primary: Record<number, string>; mirrored: Record<number, string>; dr: Record<number, string> };
  drGroup: { start: Record<number, number>; end: Record<number, number> };
  /** Where the DR side's own records begin on its topic: the reverse mirror copies from there. */
  drBegins: Record<number, string>;
}

/**
 * Coming back after the outage, as a runbook: the forward mirror stops, the primary returns whole
 * with its disks and its registry in step again, its stranded records are reported (or republished
 * on the DR side), a reverse mirror brings back what the DR side took until its lag is zero, the
 * group returns at offsets translated in the reverse direction while the producers switch back,
 * and the forward mirror resumes where the primary stood at its return. Then every record of the
 * run is accounted for on both sides.
 */
export async function failbackDrill(c: DrillConfig, inputs: ReturnType<typeof stepInputs>, rec: StepRecorder, run: AfterDisaster) {
  const f = inputs.failback;
  const back = await rec.run(
    'primary-returns',
    async (on) => {
      const stopped = await on(clusterActivities).stopMirror(f.stopMirror());
      await on(labActivities).provisionDrillLab({ config: c });
      const registries = await on(clusterActivities).syncRegistries(f.syncRegistries());
      // where the primary stands at its return: the producers write after it, the group and the forward mirror resume there
      const end = await on(produceActivities(f.loadSeconds)).recordProduceStart(inputs.produceStart());
      return { stopped, registries, backAt: end.startedAt, primaryEnd: end.startOffsets };
    },
    summaries.primaryReturns,
  );
  await rec.run(
    'reconcile-stranded',
    (on) =>
      on(clusterActivities).reconcileStranded(
        f.reconcile({
          upstream: run.upstream,
          startOffsets: { primary: run.startOffsets.primary, mirrored: run.startOffsets.mirrored },
          mirroredEnd: back.stopped.mirroredEnd,
          primaryEnd: back.primaryEnd,
        }),
      ),
    summaries.reconcileStranded,
  );
  const reverse = await rec.run(
    'reverse-mirror',
    async (on) => {
      const input = f.reverseMirror(run.drBegins);
      const caughtUp = await on(observeActivities(input.timeoutSeconds)).reverseMirror(input);
      // where the producers begin: after what came back, when it came back into the primary's own topic
      const start = await on(produceActivities(f.loadSeconds)).recordProduceStart(inputs.produceStart());
      return { ...caughtUp, producersStart: start.startOffsets };
    },
    summaries.reverseMirror,
  );

  // The group moves back while the producers switch: it resumes on the primary's topic where the producers begin.
  let translatedBack!: () => void;
  const translation = new Promise<void>((resolve) => (translatedBack = resolve));
  const consumers = rec.run(
    'failback-consumers',
    async (on) => {
      const translated = await on(clusterActivities).translateBack(f.translateBack());
      translatedBack();
      const resumeAt = Object.fromEntries(Object.entries(translated.translated).map(([p, t]) => [p, t.downstreamOffset]));
      const consumed = await on(observeActivities(f.loadSeconds + 120)).consumeSite(
        f.consume(reverse.producersStart, resumeAt, Date.now()),
      );
      return { translated, consumed };
    },
    summaries.failbackConsumers(back.backAt),
  );
  consumers.catch(() => undefined); // awaited below; its failure fails the drill there
  const load = await rec.run(
    'failback-producers',
    (on) => on(produceActivities(f.loadSeconds)).produceStudents(f.produce(reverse.producersStart)),
    summaries.failbackProducers(back.backAt),
    problems.produce({ ...c, messages: f.range.count }),
  );
  // the reverse mirror goes when the forward one resumes: not before its checkpoints translated the group (or the group failed)
  await Promise.race([translation, consumers]);
  await rec.run(
    'resume-mirror',
    (on) =>
      on(observeActivities(f.resumeMirror(reverse.producersStart).timeoutSeconds)).resumeMirror(f.resumeMirror(reverse.producersStart)),
    summaries.resumeMirror,
  );
  const moved = await consumers;

  const reverseTopic = f.reverseTopic;
  const partitions = Array.from({ length: c.partitions }, (_, p) => p);
  await rec.run(
    'verify-failback',
    (on) =>
      on(verifyActivities(60, c.messages + f.range.count)).accountFailback(
        f.account({
          upstream: run.upstream,
          startOffsets: { ...run.startOffsets, dr: run.drBegins, reverse: reverse.startOffsets },
          mirroredEnd: back.stopped.mirroredEnd,
          primaryEnd: back.primaryEnd,
          producersStart: reverse.producersStart,
          drGroup: run.drGroup,
          reverseStates: partitions.map((partition) => ({
            partition,
            ...(moved.translated.translated[partition]
              ? {
                  checkpoint: {
                    upstreamOffset: moved.translated.translated[partition].upstreamOffset,
                    downstreamOffset: moved.translated.translated[partition].downstreamOffset,
                  },
                }
              : {}),
            resumedAt: moved.consumed.resumedAt[reverseTopic]?.[partition] ?? 0,
            end: moved.consumed.ends[reverseTopic]?.[partition] ?? 0,
          })),
          primaryStates: partitions.map((partition) => ({
            partition,
            resumedAt: moved.consumed.resumedAt[c.topic]?.[partition] ?? 0,
            end: moved.consumed.ends[c.topic]?.[partition] ?? 0,
          })),
          marks: {
            startedAt: back.stopped.at,
            backAt: back.backAt,
            ...(load.firstAckAt !== undefined ? { firstAckPrimary: load.firstAckAt } : {}),
            ...(moved.consumed.firstProcessedAt !== undefined ? { firstProcessedPrimary: moved.consumed.firstProcessedAt } : {}),
          },
          reverse: { registeredAt: reverse.registeredAt, caughtUpAt: reverse.caughtUpAt },
        }),
      ),
    summaries.verifyFailback,
    (r) => r.problems,
  );
}
