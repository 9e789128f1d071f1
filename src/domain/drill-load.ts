import { faultsEnd, scheduleFaults, type Fault } from './faults';

/** The default steady load of a fault drill, in messages per second. */
export const FAULT_LOAD_RATE = 500;
/** The load goes on this long after the last fault is undone, so recovery is measured too. */
export const FAULT_TAIL_SECONDS = 10;
/** A failover drill's run: enough that the group is mid-way through it, with checkpoints behind it, when upstream goes down. */
export const FAILOVER_MESSAGES = 6000;

/** Messages that keep a load at `rate` flowing through every fault and its recovery. */
export const faultLoadMessages = (rate: number, faults: Fault[]) =>
  Math.ceil(rate * (faultsEnd(scheduleFaults(faults)) + FAULT_TAIL_SECONDS));

/** A disaster drill's upstream load outlasts its disaster by this much, so the primary dies mid-load even when the kill comes late. */
export const DISASTER_LOAD_TAIL_SECONDS = 60;
/** The upstream load a disaster drill plans: it ends when the primary dies, not before. */
export const disasterLoadMessages = (rate: number, afterSeconds: number) => Math.ceil(rate * (afterSeconds + DISASTER_LOAD_TAIL_SECONDS));
