import { CancellationScope, patched, sleep } from '@temporalio/workflow';
import type { FaultApplied, FaultStepInput } from '../src/contracts/faults';
import { faultTarget, type Fault, type ScheduledFault } from '../src/domain/faults';
import { summaries } from '../src/drill/step-summaries';
import { clusterActivities } from './proxies';
import type { StepRecorder } from './step-recorder';

/**
 * The faults of a drill, run while produce-v1's steady load flows: each a step of its own at its
 * time, applied, held and always undone (in a non-cancellable scope). When the load fails or the
 * drill is cancelled, the faults still to come are called off and the ones in effect undone before
 * anything else happens. Each step notes its window as soon as the fault is applied, with its place
 * in the schedule, so the report lists faults in scheduled order whichever was applied first.
 *
 * Create it just before the load's step: the commands it issues (a patch marker, the timers) keep
 * their place in history only then.
 */
export function faultsDuringLoad(rec: StepRecorder, faults: ScheduledFault[], input: (f: Fault) => FaultStepInput) {
  // A fault on a target another fault still holds waits until that one is undone: an injection that
  // took seconds (a loaded machine) made a kill's undo come after the pause scheduled next.
  const taking = patched('faults-take-turns-per-target');
  const lastOn = new Map<string, Promise<unknown>>();
  const injected = (f: ScheduledFault, scheduled: number) => {
    // (histories from before this keep their exact chain: one hop more would reorder commands)
    if (!taking) return sleep(f.atSeconds * 1000).then(() => runFault(f, scheduled));
    const before = lastOn.get(faultTarget(f));
    const run = sleep(f.atSeconds * 1000)
      .then(() => before?.catch(() => undefined))
      .then(() => runFault(f, scheduled));
    lastOn.set(faultTarget(f), run);
    return run;
  };
  const runFault = (f: ScheduledFault, scheduled: number) =>
    rec.run(
      f.kind,
      async (on, note) => {
        const applied = await on(clusterActivities).injectFault(input(f));
        note({ scheduled, applied });
        let undone: FaultApplied | undefined;
        try {
          await sleep(f.durationSeconds * 1000);
        } finally {
          undone = await CancellationScope.nonCancellable(() => on(clusterActivities).undoFault(input(f)));
          note({ scheduled, applied, undone });
        }
        return { scheduled, applied, undone };
      },
      // (wrapped, so the step's result type comes from its function, which must hold the finding)
      (r) => summaries.fault(f)(r),
    );
  // Fault times count from the load's start: once produce-v1 has recorded where the topic ends and
  // its load is scheduled (histories from before this timed them from the step's start).
  const fromLoadStart = patched('faults-from-load-start');
  let loadStarted = !fromLoadStart;
  let startFaults = () => {};
  const loadStart = new Promise<void>((r) => (startFaults = r));
  const scope = new CancellationScope();
  const settled = scope.run(async () => {
    if (fromLoadStart) await loadStart;
    return Promise.allSettled(faults.map(injected));
  });
  return {
    /** The load is under way: the faults' clock starts. */
    loadStarts: () => {
      loadStarted = true;
      startFaults();
    },
    /** The load failed: no further fault, and the ones in effect are undone (before the load, none was injected). */
    callOff: async () => {
      scope.cancel();
      if (loadStarted) await settled;
    },
    /** Every fault has run its course; the first that failed fails the drill. */
    done: async () => {
      const failed = (await settled).find((o) => o.status === 'rejected');
      if (failed) throw failed.reason;
    },
  };
}
