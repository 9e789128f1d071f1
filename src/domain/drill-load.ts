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
