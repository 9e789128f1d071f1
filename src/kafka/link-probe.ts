import { connect, type Socket } from 'node:net';
import { ServiceUnreachableError } from '../errors';

/**
 * Round trips of a Kafka ApiVersions request (v0: any broker answers it, before any auth) on one
 * connection to `hostPort`: what crossing a shaped link costs a Kafka client, in ms, median of
 * `count`. Sent through the link proxy's probe port, it shows a delay took effect.
 */
export async function kafkaRoundTripMs(hostPort: string, count = 5, timeoutMs = 10_000): Promise<number> {
  const [host, port] = [hostPort.slice(0, hostPort.lastIndexOf(':')), Number(hostPort.slice(hostPort.lastIndexOf(':') + 1))];
  const socket = await new Promise<Socket>((resolve, reject) => {
    const s = connect({ host, port }, () => resolve(s));
    s.once('error', (e) => reject(new ServiceUnreachableError('the link probe', hostPort, e.message)));
  });
  socket.setNoDelay(true);
  const times: number[] = [];
  try {
    for (let id = 1; id <= count; id++) times.push(await roundTrip(socket, id, hostPort, timeoutMs));
  } finally {
    socket.destroy();
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function roundTrip(socket: Socket, correlationId: number, hostPort: string, timeoutMs: number): Promise<number> {
  const client = Buffer.from('kafka-lab-probe');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + client.length);
  body.writeInt16BE(18, 0); // ApiVersions
  body.writeInt16BE(0, 2);
  body.writeInt32BE(correlationId, 4);
  body.writeInt16BE(client.length, 8);
  client.copy(body, 10);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return new Promise((resolve, reject) => {
    let got = Buffer.alloc(0);
    const started = performance.now();
    const timer = setTimeout(
      () => done(new ServiceUnreachableError('the link probe', hostPort, `no answer in ${timeoutMs} ms`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      if (got.length >= 4 && got.length >= 4 + got.readInt32BE(0)) done();
    };
    const onClose = () => done(new ServiceUnreachableError('the link probe', hostPort, 'the connection closed'));
    const done = (err?: Error) => {
      clearTimeout(timer);
      socket.off('data', onData);
      socket.off('close', onClose);
      if (err) reject(err);
      else resolve(performance.now() - started);
    };
    socket.on('data', onData);
    socket.once('close', onClose);
    socket.write(Buffer.concat([size, body]));
  });
}
