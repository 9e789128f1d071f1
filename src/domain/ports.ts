import type { DataCenter } from './topology';
import { MAX_BROKERS } from './lab-settings';

/** Container ports, the same in built and official images. */
export const CONTAINER_PORTS = {
  kafkaInternal: 9092,
  kafkaController: 9093,
  kafkaExternal: 9094,
  connect: 8083,
  jmxExporter: 7071,
  schemaRegistry: 8080,
  elasticsearch: 9200,
  prometheus: 9090,
  appMetrics: 9400,
  /** A remote broker's listener for the link proxy (advertised as the proxy's address for it). */
  kafkaLink: 9095,
  linkProxyApi: 8474,
  /** The link proxy's port for broker i is this plus i (broker 1: 10092). */
  linkProxyKafka: 10092,
} as const;

/** Host ports before the topology's portOffset is added. */
export const HOST_PORT_BASE = {
  upstreamKafka: 19092,
  downstreamKafka: 29092,
  connect: 18083,
  schemaRegistry: 18081,
  elasticsearch: 19200,
  prometheus: 19090,
  apps: 19400,
  /** Toxiproxy's API, and its probe port (a broker across the link, as Connect sees it). */
  linkProxyApi: 18474,
  linkProbe: 18475,
  /** A disaster drill's lab: the DR data center's own Schema Registry. */
  schemaRegistryDr: 18476,
} as const;

export function kafkaHostPort(dc: DataCenter, index: number, offset: number): number {
  const base = dc === 'upstream' ? HOST_PORT_BASE.upstreamKafka : HOST_PORT_BASE.downstreamKafka;
  return base + index + offset;
}

/** The largest port offset that keeps every host port of a lab below `limit`. */
export function maxOffsetBelow(limit: number): number {
  const highestBase = Math.max(...Object.values(HOST_PORT_BASE)) + MAX_BROKERS - 1;
  return limit - 1 - highestBase;
}
