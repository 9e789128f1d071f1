import type { FaultWindow } from '../contracts/verify';
import { schemaFields, studentMaker } from '../scenario/students';

/**
 * Pure judgements the verifier makes about one piece of evidence. Each one answers "unknown" or
 * "altered" when the evidence is missing, never the answer that would pass the drill.
 */

/**
 * Whether a decoded record differs from what the producer sent as message `seq` of its generation.
 * Each schema is parsed once: the verifier asks this for every record of millions.
 */
export function contentJudge(runId: string, schemas: Record<string, string>) {
  const makers = new Map(Object.entries(schemas).map(([g, s]) => [g, studentMaker(runId, schemaFields(s))]));
  return (seq: number, generation: number, decoded: Record<string, unknown> | undefined): boolean => {
    const make = Number.isInteger(generation) ? makers.get(String(generation)) : undefined;
    // No known generation: nothing says what the record should hold, so it cannot count as matching.
    if (make === undefined || !Number.isInteger(seq) || !decoded) return true;
    const expected = make(seq);
    for (const k in expected) if (!sameValue(decoded[k] ?? null, expected[k] ?? null)) return true;
    return false;
  };
}

/** Equal as the verifier means it: primitives by value, anything else (a record or array default) by its JSON. */
const sameValue = (a: unknown, b: unknown): boolean =>
  a === b || (typeof a === 'object' && typeof b === 'object' && JSON.stringify(a) === JSON.stringify(b));

export const contentAltered = (
  runId: string,
  seq: number,
  generation: number,
  schemas: Record<string, string>,
  decoded: Record<string, unknown> | undefined,
): boolean => contentJudge(runId, schemas)(seq, generation, decoded);

export type RegistryVerdict = 'compatible' | 'incompatible' | 'unknown';

/** The registry's own answer to POST /compatibility/...: only a 200 with a boolean says anything. */
export function registryVerdict(check: { status: number; body?: { is_compatible?: unknown } }): RegistryVerdict {
  if (check.status !== 200 || typeof check.body?.is_compatible !== 'boolean') return 'unknown';
  return check.body.is_compatible ? 'compatible' : 'incompatible';
}

type ConfigAnswer = { status: number; body?: { compatibilityLevel?: string; compatibility?: string } };

/** The subject's compatibility level, else the global one; "unknown" when neither could be read. */
export function compatibilityLevel(subject: ConfigAnswer, global: ConfigAnswer | undefined): string {
  for (const r of [subject, global]) {
    const level = r?.status === 200 ? (r.body?.compatibilityLevel ?? r.body?.compatibility) : undefined;
    if (level) return level;
  }
  return 'unknown';
}

/** Produce-to-append latency of one mirrored record; negative means the clocks disagree (kept, not clamped). */
export function latencyMs(r: { timestamp: number; producedAt: number }): number {
  return r.timestamp - r.producedAt;
}

/**
 * Latency is only meaningful when the mirrored topic stamps records on arrival (LogAppendTime).
 * With CreateTime, MirrorMaker 2 copies the producer's timestamp, and every sample would read 0.
 */
export function latencyAvailability(timestampType: string | undefined): { available: true } | { available: false; reason: string } {
  if (timestampType === 'LogAppendTime') return { available: true };
  return {
    available: false,
    reason: `the mirrored topic uses message.timestamp.type=${timestampType ?? 'unknown'}, not LogAppendTime, so its timestamps are not arrival times`,
  };
}

/**
 * A fault during which the load produced nothing was not tested: the mirror had nothing to lose or
 * delay. One problem per such fault (every fault a drill allows leaves the load running: a broker
 * fault that would stop it is refused before the drill starts).
 */
export function untestedFaults(windows: FaultWindow[], perFault: number[]): string[] {
  return windows.flatMap((w, i) =>
    perFault[i] > 0
      ? []
      : [
          `no record of this run was produced during ${w.kind ?? 'the fault'} (${new Date(w.from).toISOString()} to ${new Date(w.to).toISOString()}): the fault was not tested under load`,
        ],
  );
}
