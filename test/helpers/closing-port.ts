import { createServer, type Server } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';

/**
 * A port that behaves as a restarting broker's published port: it accepts a connection, reads the
 * first request and closes the connection without answering.
 */
export interface ClosingPort {
  address: string;
  /** Connections accepted so far. */
  accepted: () => number;
  close: () => Promise<void>;
}

export async function closingPort(): Promise<ClosingPort> {
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    socket.once('data', () => socket.end());
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    address: `127.0.0.1:${port}`,
    accepted: () => accepted,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** kafkajs on its own, brokers as listed, with 2 retries: what kafkaClient is compared with. */
export const plainKafka = (brokers: string[]) =>
  new Kafka({ clientId: 'plain', brokers, retry: { retries: 2 }, logLevel: logLevel.NOTHING });
