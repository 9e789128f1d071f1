import { addToxic, listProxies, removeToxic, type Toxic } from '../clients/toxiproxy';
import type { LabEndpoints } from '../domain/endpoints';
import type { WanProfile } from '../domain/topology';
import { FaultNotProvenError } from '../errors';
import { kafkaRoundTripMs } from '../kafka/link-probe';

/** What the link proxy was set to, read back: each proxy's toxics, and a Kafka round trip across it. */
export interface LinkShape {
  targets: string[];
  evidence: string[];
  roundTripMs: number;
}

const OURS = 'lab-';

/** The toxics that make a link behave like `shape` in both directions: a delay (with jitter) and a bandwidth cap. */
export function toxicsFor(shape: WanProfile | undefined): Toxic[] {
  if (!shape) return [];
  const both = (kind: string, type: Toxic['type'], attributes: Record<string, number>): Toxic[] =>
    (['upstream', 'downstream'] as const).map((stream) => ({ name: `${OURS}${kind}-${stream}`, type, stream, toxicity: 1, attributes }));
  return [
    ...(shape.delayMs > 0 || shape.jitterMs > 0 ? both('latency', 'latency', { latency: shape.delayMs, jitter: shape.jitterMs }) : []),
    // Toxiproxy's bandwidth is in KB/s
    ...(shape.rateMbit ? both('bandwidth', 'bandwidth', { rate: Math.max(1, Math.round(shape.rateMbit * 125)) }) : []),
  ];
}

const describe = (t: Pick<Toxic, 'type' | 'stream' | 'attributes'>) =>
  t.type === 'latency'
    ? `${t.stream} delay ${t.attributes.latency}±${t.attributes.jitter} ms`
    : `${t.stream} ${t.type} ${Object.entries(t.attributes)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}`;

/**
 * Sets every proxy on the link to `shape` (undefined: a plain link), replacing the toxics this
 * project set before and leaving others alone; then reads them back and sends Kafka requests
 * across the probe proxy. A delay the probe does not see is a shaping that did not happen.
 */
export async function shapeLinkProxy(proxy: NonNullable<LabEndpoints['linkProxy']>, shape: WanProfile | undefined): Promise<LinkShape> {
  const want = toxicsFor(shape);
  for (const p of await listProxies(proxy.apiUrl)) {
    for (const t of p.toxics.filter((x) => x.name.startsWith(OURS))) await removeToxic(proxy.apiUrl, p.name, t.name);
    for (const t of want) await addToxic(proxy.apiUrl, p.name, t);
  }
  const out: LinkShape = { targets: [], evidence: [], roundTripMs: 0 };
  for (const p of await listProxies(proxy.apiUrl)) {
    const ours = p.toxics.filter((x) => x.name.startsWith(OURS));
    const missing = want.filter((w) => !ours.some((o) => o.name === w.name && o.type === w.type && o.stream === w.stream));
    if (missing.length > 0 || ours.length !== want.length)
      throw new FaultNotProvenError(`shaping the link proxy's ${p.name}`, `it holds ${ours.map((o) => o.name).join(', ') || 'no toxic'}`);
    out.targets.push(`link-proxy:${p.name}`);
    out.evidence.push(`link-proxy ${p.name} (${p.upstream}): ${ours.map(describe).join('; ') || 'no toxics'}`);
  }
  out.roundTripMs = Math.round(await kafkaRoundTripMs(proxy.probe));
  // a round trip crosses the link twice; the jitter may take up to its size off each crossing
  const least = shape ? 2 * Math.max(0, shape.delayMs - shape.jitterMs) : 0;
  if (out.roundTripMs < least)
    throw new FaultNotProvenError(
      'delaying the link',
      `a Kafka round trip across it took ${out.roundTripMs} ms, under the ${least} ms the delay means`,
    );
  out.evidence.push(`a Kafka round trip across the link: ${out.roundTripMs} ms (median of 5)`);
  return out;
}
