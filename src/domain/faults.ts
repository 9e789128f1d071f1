import { z } from 'zod';

/**
 * Faults a drill injects while a steady load flows, each a step of its own, always undone. Pure and
 * workflow-safe: the schema is the one declaration (the UI's JSON input, the CLI's --fault and
 * the checks before anything runs all follow it).
 */
export const FAULT_KINDS = [
  'broker-kill',
  'connect-kill',
  'broker-pause',
  'connect-pause',
  'link-cut',
  'link-degrade',
  'disk-full',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Faults on the link between the data centers (the others hit one container). */
export const isLinkFault = (kind: FaultKind) => kind === 'link-cut' || kind === 'link-degrade';
/** Process faults that stop the process for a while (SIGSTOP, then SIGCONT) rather than kill it. */
export const isPauseFault = (kind: FaultKind) => kind === 'broker-pause' || kind === 'connect-pause';
/** Faults on a broker (the others hit a Connect worker or the link). */
export const isBrokerFault = (kind: FaultKind) => kind === 'broker-kill' || kind === 'broker-pause' || kind === 'disk-full';

/** What a fault acts on: two faults on one target take turns (a pause must not find the broker a kill has not yet brought back). */
export function faultTarget(f: Pick<Fault, 'kind' | 'dataCenter' | 'index'>): string {
  if (isLinkFault(f.kind)) return 'link';
  return isBrokerFault(f.kind) ? `broker ${f.dataCenter} ${f.index}` : `connect ${f.index}`;
}

/** Faults only the link proxy can apply: a degraded link shaped in user space, a cut one way. */
export const needsLinkProxy = (f: Pick<Fault, 'kind' | 'direction'>) => f.kind === 'link-degrade' || isOneWayCut(f);

/** Which way a link-cut stops traffic: both ways, or one way only (an asymmetric partition). */
export const LINK_DIRECTIONS = ['both', 'upstream-to-downstream', 'downstream-to-upstream'] as const;
export type LinkDirection = (typeof LINK_DIRECTIONS)[number];

/** A link-cut in one direction only: the link proxy holds one of its streams (tc cannot do that here). */
export const isOneWayCut = (f: Pick<Fault, 'kind' | 'direction'>) => f.kind === 'link-cut' && f.direction !== 'both';

export const FaultSchema = z.strictObject({
  kind: z
    .enum(FAULT_KINDS)
    .describe(
      "broker-kill, connect-kill (SIGKILL, started again after the duration), broker-pause, connect-pause (SIGSTOP, SIGCONT after the duration: a long GC pause or a hung host), link-cut, link-degrade (Toxiproxy or tc netem), disk-full (a broker's log directory filled to the last byte, then freed and the broker started again)",
    ),
  durationSeconds: z.number().positive().max(3600).default(15).describe('how long the fault lasts before it is undone'),
  afterSeconds: z
    .number()
    .min(0)
    .optional()
    .describe('when it starts, counted from the start of the steady load (default: 5 s, or 5 s after the fault before it)'),
  dataCenter: z
    .enum(['upstream', 'downstream'])
    .default('upstream')
    .describe('broker-kill, broker-pause, disk-full: the cluster whose broker is hit'),
  direction: z
    .enum(LINK_DIRECTIONS)
    .default('both')
    .describe('link-cut: both ways, or one way only (an asymmetric partition, through the link proxy)'),
  index: z.number().int().min(1).default(1).describe('broker and Connect faults: which broker or Connect worker (1-based)'),
  link: z
    .strictObject({
      delayMs: z.number().min(0).max(10_000).default(50),
      jitterMs: z.number().min(0).max(10_000).default(10),
      lossPercent: z.number().min(0).max(100).default(1),
      rateMbit: z.number().positive().max(100_000).default(10),
    })
    .default({ delayMs: 50, jitterMs: 10, lossPercent: 1, rateMbit: 10 })
    .describe('link-degrade: one-way delay, jitter, packet loss and bandwidth on each side of the link'),
});

export type FaultInput = z.input<typeof FaultSchema>;
export type Fault = z.output<typeof FaultSchema>;

/** A fault placed on the drill's clock: seconds after the steady load starts. */
export interface ScheduledFault extends Fault {
  atSeconds: number;
}

const GAP_SECONDS = 5;

/** Each fault's start: as given, else 5 s after the previous one ends (the first at 5 s). */
export function scheduleFaults(faults: Fault[]): ScheduledFault[] {
  let free = GAP_SECONDS;
  return faults.map((f) => {
    const atSeconds = f.afterSeconds ?? free;
    free = atSeconds + f.durationSeconds + GAP_SECONDS;
    return { ...f, atSeconds };
  });
}

/** When the last fault is undone, in seconds after the load starts (0 without faults). */
export const faultsEnd = (faults: ScheduledFault[]) => Math.max(0, ...faults.map((f) => f.atSeconds + f.durationSeconds));

/** The CLI's form of a fault, in words (the flag's help, its errors and the docs say the same). */
export const FAULT_FLAG_FORM = 'KIND[@upstream|@downstream|@upstream-to-downstream|@downstream-to-upstream][:SECONDS]';

/**
 * Reads the CLI's `KIND[@WHERE][:DURATION]`: WHERE is the data center of a broker fault (whose
 * cluster is hit; Connect's is the topology's placement) or the direction of a one-way link-cut;
 * the duration in seconds, or with an s or m suffix.
 */
export function parseFaultFlag(text: string): FaultInput | { problem: string; fix: string } {
  const m = /^([a-z-]+)(?:@([a-z-]+))?(?::(\d+(?:\.\d+)?)(s|m)?)?$/.exec(text.trim());
  const kinds = FAULT_KINDS.join(', ');
  if (!m)
    return {
      problem: `--fault "${text}" is not ${FAULT_FLAG_FORM}`,
      fix: `give one of ${kinds}, optionally with :SECONDS (e.g. link-cut:30, broker-kill@downstream:10)`,
    };
  if (!(FAULT_KINDS as readonly string[]).includes(m[1]))
    return { problem: `--fault ${m[1]} is not a fault this drill knows`, fix: `use one of ${kinds}` };
  const out: FaultInput = { kind: m[1] as FaultKind };
  if (m[2] !== undefined && out.kind === 'link-cut') {
    if (!(LINK_DIRECTIONS as readonly string[]).includes(m[2]) || m[2] === 'both')
      return {
        problem: `--fault ${text}: ${m[2]} is not a direction of the link`,
        fix: 'use @upstream-to-downstream or @downstream-to-upstream',
      };
    out.direction = m[2] as LinkDirection;
  } else if (m[2] !== undefined) {
    if (!isBrokerFault(out.kind))
      return {
        problem: `--fault ${text}: only broker-kill, broker-pause and disk-full take a data center (and link-cut a direction)`,
        fix: `drop @${m[2]}`,
      };
    if (m[2] !== 'upstream' && m[2] !== 'downstream')
      return { problem: `--fault ${text}: ${m[2]} is not a data center`, fix: 'use @upstream or @downstream' };
    out.dataCenter = m[2];
  }
  if (m[3]) out.durationSeconds = Number(m[3]) * (m[4] === 'm' ? 60 : 1);
  return out;
}

/** The clusters whose brokers a drill restarts or stops for a while: a broker fault's, and upstream in a failover. */
export function restartedClusters(c: { failover: boolean; faults: { inject: Fault[] } }): ('upstream' | 'downstream')[] {
  const dcs = new Set(c.faults.inject.filter((f) => isBrokerFault(f.kind)).map((f) => f.dataCenter));
  if (c.failover) dcs.add('upstream');
  return [...dcs];
}
