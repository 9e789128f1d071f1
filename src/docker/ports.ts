import { createServer } from 'node:net';

/** True when nothing listens on address:port (checked by binding it for an instant). */
export function isPortFree(address: string, port: number): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const server = createServer();
    server.once('error', () => resolvePromise(false));
    server.listen({ host: address, port, exclusive: true }, () => server.close(() => resolvePromise(true)));
  });
}
