import { afterEach, describe, expect, it } from 'vitest';
import { answeringBroker, kafkaClient } from '../../src/clients/kafka';
import { closingPort, plainKafka, type ClosingPort } from '../helpers/closing-port';

// Real sockets, no broker: ports that accept a connection and close it, as a restarting broker's
// published port does. (That a client starts at a broker which answers is shown on a real lab in
// test/integration/lab-lite.test.ts.)
describe('connecting when the first broker listed accepts and closes', () => {
  const ports: ClosingPort[] = [];
  const port = async () => {
    const p = await closingPort();
    ports.push(p);
    return p;
  };
  afterEach(async () => {
    await Promise.all(ports.splice(0).map((p) => p.close()));
  });

  it('kafkajs 2.2.4 on its own tries the first broker again and again, never the next (why kafkaClient asks first)', async () => {
    const [a, b] = [await port(), await port()];
    await expect(plainKafka([a.address, b.address]).admin().connect()).rejects.toThrow(/Closed connection/);
    expect(a.accepted()).toBe(3); // the first try and kafkajs's 2 retries
    expect(b.accepted()).toBe(0);
  });

  it('answeringBroker asks each broker once and, when none answers, gives the first listed', async () => {
    const [a, b, c] = [await port(), await port(), await port()];
    expect(await answeringBroker([a.address, b.address, c.address])).toBe(a.address);
    expect([a, b, c].map((p) => p.accepted())).toEqual([1, 1, 1]);
  });

  it('kafkaClient asks every broker before it connects, and asks nothing of a one-broker list', async () => {
    const [a, b, c] = [await port(), await port(), await port()];
    await expect(kafkaClient([a.address, b.address, c.address], 'unit').admin().connect()).rejects.toThrow(/Closed connection/);
    expect(b.accepted()).toBe(1);
    expect(c.accepted()).toBe(1);
    const d = await port();
    await expect(kafkaClient([d.address], 'unit').admin().connect()).rejects.toThrow(/Closed connection/);
    expect(d.accepted()).toBe(3); // kafkaClient's own 2 retries, no question first
  });
});
