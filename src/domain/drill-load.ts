import { faultsEnd, scheduleFaults, type Fault, type FaultKind } from './faults';

/** The default steady load of a fault drill, in messages per second. */
export const FAULT_LOAD_RATE = 500;
/** The load goes on this long after the last fault is undone, so recovery is measured too. */
export const FAULT_TAIL_SECONDS = 10;
/** A failover drill's run: enough that the group is mid-way through it, with checkpoints behind it, when upstream goes down. */
export const FAILOVER_MESSAGES = 6000;

/**
 * What a fault's undo takes beyond its duration when it restarts a broker, before the next fault
 * can start: the faults take turns, so each such fault pushes the rest later. On 2 cores with
 * chapter, a disk-full of 15 s took 28 s (the fill, the halt, the restart) and the kill after it
 * started 29 s late; a steady producer (librdkafka, which does not stall on a dead leader) had
 * finished before the last fault began.
 */
const RECOVERY_SECONDS: Partial<Record<FaultKind, number>> = { 'disk-full': 20, 'broker-kill': 12 };

/**
 * Messages that keep a load at `rate` flowing through every fault and its recovery. `recovery`
 * false: the load as planned before RECOVERY_SECONDS (drills in flight then, replayed).
 */
export const faultLoadMessages = (rate: number, faults: Fault[], recovery = true) =>
  Math.ceil(
    rate *
      (faultsEnd(scheduleFaults(faults)) +
        FAULT_TAIL_SECONDS +
        (recovery ? faults.reduce((s, f) => s + (RECOVERY_SECONDS[f.kind] ?? 0), 0) : 0)),
  );

/** A disaster drill's upstream load outlasts its disaster by this much, so the primary dies mid-load even when the kill comes late. */
export const DISASTER_LOAD_TAIL_SECONDS = 60;
/** The upstream load a disaster drill plans: it ends when the primary dies, not before. */
export const disasterLoadMessages = (rate: number, afterSeconds: number) => Math.ceil(rate * (afterSeconds + DISASTER_LOAD_TAIL_SECONDS));
