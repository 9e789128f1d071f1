/** The outcome of one look at a component: healthy, or why not yet. */
export interface ProbeResult {
  ok: boolean;
  detail: string;
}

export type Probe = () => Promise<ProbeResult>;

export const healthy = (detail: string): ProbeResult => ({ ok: true, detail });
export const notYet = (detail: string): ProbeResult => ({ ok: false, detail });

/** Runs a probe, turning any thrown error into a "not yet" with its message. */
export async function safeProbe(probe: Probe): Promise<ProbeResult> {
  try {
    return await probe();
  } catch (e) {
    return notYet((e as Error).message);
  }
}
