import { afterEach, describe, expect, it } from 'vitest';
import { answeringFirst, kafkaClient } from '../../src/clients/kafka';
import { closingPort, type ClosingPort } from '../helpers/closing-port';

// Real sockets, no broker: ports that accept a connection and close it, as a restarting broker's
// published port does. (That a broker which answers is moved to the front is shown on a real lab
// in test/integration/lab-lite.test.ts.)
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

  it('kafkajs 2.2.4 tries the first broker again and again, never the next (why answeringFirst exists)', async () => {
    const [a, b] = [await port(), await port()];
    await expect(kafkaClient([a.address, b.address], 'unit').admin().connect()).rejects.toThrow(/Closed connection/);
    expect(a.accepted()).toBe(3); // the first try and kafkajs's 2 retries
    expect(b.accepted()).toBe(0);
  });

  it('answeringFirst asks each broker once and, when none answers, leaves the list as it was', async () => {
    const [a, b, c] = [await port(), await port(), await port()];
    const list = [a.address, b.address, c.address];
    expect(await answeringFirst(list)).toEqual(list);
    expect([a, b, c].map((p) => p.accepted())).toEqual([1, 1, 1]);
  });

  it('answeringFirst leaves a one-broker list alone without asking it', async () => {
    const a = await port();
    expect(await answeringFirst([a.address])).toEqual([a.address]);
    expect(a.accepted()).toBe(0);
  });
});
