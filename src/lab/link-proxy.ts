import { addToxic, listProxies, removeToxic, type Toxic } from '../clients/toxiproxy';
import type { LabEndpoints } from '../domain/endpoints';
import type { DataCenter, WanProfile } from '../domain/topology';
import { FaultNotProvenError } from '../errors';
import { kafkaRoundTripMs } from '../kafka/link-probe';
import type { Acted } from './faults';

/** What the link proxy was set to, read back: each proxy's toxics, and a Kafka round trip across it (none when a stream is held). */
export interface LinkShape {
  targets: string[];
  evidence: string[];
  roundTripMs?: number;
}

const OURS = 'lab-';
const HELD_PROBE_MS = 3000;

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

const describe = (t: Pick<Toxic, 'name' | 'type' | 'stream' | 'attributes'>) =>
  t.name.startsWith(`${OURS}hold-`)
    ? `${t.stream} held (nothing passes)`
    : t.type === 'latency'
      ? `${t.stream} delay ${t.attributes.latency}±${t.attributes.jitter} ms`
      : `${t.stream} ${t.type} ${Object.entries(t.attributes)
          .map(([k, v]) => `${k} ${v}`)
          .join(', ')}`;

/** One of Toxiproxy's two streams: upstream runs from its clients (the Connect side) to the remote brokers, downstream back. */
export type ProxyStream = Toxic['stream'];

// Longer than any fault: a held stream passes nothing until the toxic is removed.
const HOLD_MS = 24 * 3600 * 1000;

/**
 * A one-way cut: a latency toxic longer than any fault holds one stream. Toxiproxy's timeout
 * toxic would drop the bytes instead, which no TCP link does: held bytes arrive once the link is
 * back, as a retransmitting TCP would deliver them.
 */
const holdToxic = (stream: ProxyStream): Toxic => ({
  name: `${OURS}hold-${stream}`,
  type: 'latency',
  stream,
  toxicity: 1,
  attributes: { latency: HOLD_MS, jitter: 0 },
});

/** The proxy's stream that carries traffic leaving `from`, given the data center the remote brokers are in. */
export const streamFrom = (from: DataCenter, remote: DataCenter): ProxyStream => (from === remote ? 'downstream' : 'upstream');

/**
 * Sets every proxy on the link to `shape` (undefined: a plain link), replacing the toxics this
 * project set before and leaving others alone; then reads them back and sends Kafka requests
 * across the probe proxy. A delay the probe does not see is a shaping that did not happen. With
 * `hold`, that stream is also held (a one-way cut), and the proof is a probe that gets no answer.
 */
export async function shapeLinkProxy(
  proxy: NonNullable<LabEndpoints['linkProxy']>,
  shape: WanProfile | undefined,
  hold?: ProxyStream,
  acted?: Acted,
): Promise<LinkShape> {
  const want = [...toxicsFor(shape), ...(hold ? [holdToxic(hold)] : [])];
  for (const p of await listProxies(proxy.apiUrl)) {
    for (const t of p.toxics.filter((x) => x.name.startsWith(OURS))) await removeToxic(proxy.apiUrl, p.name, t.name);
    for (const t of want) await addToxic(proxy.apiUrl, p.name, t);
  }
  acted?.(Date.now());
  const out: LinkShape = { targets: [], evidence: [] };
  for (const p of await listProxies(proxy.apiUrl)) {
    const ours = p.toxics.filter((x) => x.name.startsWith(OURS));
    const missing = want.filter((w) => !ours.some((o) => o.name === w.name && o.type === w.type && o.stream === w.stream));
    if (missing.length > 0 || ours.length !== want.length)
      throw new FaultNotProvenError(`shaping the link proxy's ${p.name}`, `it holds ${ours.map((o) => o.name).join(', ') || 'no toxic'}`);
    out.targets.push(`link-proxy:${p.name}`);
    out.evidence.push(`link-proxy ${p.name} (${p.upstream}): ${ours.map(describe).join('; ') || 'no toxics'}`);
  }
  if (hold) {
    const answered = await kafkaRoundTripMs(proxy.probe, 1, HELD_PROBE_MS).then(
      (ms) => ms,
      () => undefined,
    );
    if (answered !== undefined)
      throw new FaultNotProvenError(
        `holding the link's ${hold} stream`,
        `a Kafka request across it was answered in ${Math.round(answered)} ms`,
      );
    out.evidence.push(`a Kafka request across the link: no answer in ${HELD_PROBE_MS} ms`);
    return out;
  }
  const roundTripMs = Math.round(await kafkaRoundTripMs(proxy.probe));
  // a round trip crosses the link twice; the jitter may take up to its size off each crossing
  const least = shape ? 2 * Math.max(0, shape.delayMs - shape.jitterMs) : 0;
  if (roundTripMs < least)
    throw new FaultNotProvenError(
      'delaying the link',
      `a Kafka round trip across it took ${roundTripMs} ms, under the ${least} ms the delay means`,
    );
  out.roundTripMs = roundTripMs;
  out.evidence.push(`a Kafka round trip across the link: ${roundTripMs} ms (median of 5)`);
  return out;
}
