import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** True when nothing listens on address:port (checked by binding it for an instant). */
export function isPortFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', () => resolvePromise(false));
    server.listen({ host: address, port, exclusive: true }, () => server.close(() => resolvePromise(true)));
  });
}

/**
 * The kernel's range for the local ports of outgoing connections (Linux; undefined elsewhere).
 * A lab port inside it can be taken by any client connection at the moment the lab publishes it.
 */
export function ephemeralPortRange(path = '/proc/sys/net/ipv4/ip_local_port_range'): { from: number; to: number } | undefined {
  try {
    const [from, to] = readFileSync(path, 'utf8').trim().split(/\s+/).map(Number);
    return Number.isInteger(from) && Number.isInteger(to) ? { from, to } : undefined;
  } catch {
    return undefined;
  }
}
