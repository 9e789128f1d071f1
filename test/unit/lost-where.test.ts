import { describe, expect, it } from 'vitest';
import { accountingProblems, DeliveryLedger, type ExpectedMessages } from '../../src/domain/accounting';

// 30 messages over 3 partitions; seqs 4, 7 and 10 (partition 1) never arrive downstream.
const want: ExpectedMessages = { ranges: [{ first: 0, count: 30 }], partitions: 3 };
const LOST = [4, 7, 10];

function ledgerWithLoss(): DeliveryLedger {
  const ledger = new DeliveryLedger(want);
  const offsets = [0, 0, 0];
  for (let seq = 0; seq < 30; seq++) {
    if (LOST.includes(seq)) continue;
    ledger.observe({ seq, partition: seq % 3, offset: offsets[seq % 3]++, altered: false });
  }
  return ledger;
}

const problems = (l: DeliveryLedger) => accountingProblems(l.result(), { failOnDuplicates: false });

describe('where the lost went, read from the upstream topic', () => {
  it('blames the mirror when the upstream topic holds every lost message', () => {
    const ledger = ledgerWithLoss();
    for (let seq = 0; seq < 30; seq++) ledger.foundUpstream(seq);
    ledger.upstreamRead();
    expect(ledger.result()).toMatchObject({ lost: 3, lostUpstream: 0 });
    expect(problems(ledger)[0]).toBe('3 lost (e.g. seq 4, 7, 10): all of them are in the upstream topic, so the mirror lost them');
  });

  it('says they were never written upstream when the upstream topic lacks them too', () => {
    const ledger = ledgerWithLoss();
    for (let seq = 0; seq < 30; seq++) if (!LOST.includes(seq)) ledger.foundUpstream(seq);
    ledger.upstreamRead();
    expect(ledger.result()).toMatchObject({ lost: 3, lostUpstream: 3 });
    expect(problems(ledger)[0]).toBe(
      '3 lost (e.g. seq 4, 7, 10): none of them is in the upstream topic either, so they were never written there (acknowledged, then lost upstream)',
    );
  });

  it('splits a loss that is partly upstream and partly the mirror', () => {
    const ledger = ledgerWithLoss();
    for (let seq = 0; seq < 30; seq++) if (seq !== 7) ledger.foundUpstream(seq);
    ledger.upstreamRead();
    expect(ledger.result().lostUpstream).toBe(1);
    expect(problems(ledger)[0]).toMatch(
      /: 1 of them is not in the upstream topic either \(never written there\), the other 2 the mirror lost$/,
    );
  });

  it('counts an upstream topic read to its end with none of the run as holding none of them', () => {
    const ledger = ledgerWithLoss();
    ledger.upstreamRead();
    expect(ledger.result().lostUpstream).toBe(3);
  });

  it('says unknown, with why, when the upstream topic could not be read', () => {
    const ledger = ledgerWithLoss();
    ledger.foundUpstream(1); // a read that stopped part way tells nothing
    ledger.upstreamUnreadable('read of partition 1 stopped at offset 3 of 10');
    expect(ledger.result().lostUpstream).toBeUndefined();
    expect(ledger.result().lostUpstreamUnknown).toBe('read of partition 1 stopped at offset 3 of 10');
    expect(problems(ledger)[0]).toBe(
      '3 lost (e.g. seq 4, 7, 10): whether upstream holds them is unknown (read of partition 1 stopped at offset 3 of 10)',
    );
  });

  it('adds nothing when the upstream topic was not read (nothing lost)', () => {
    const ledger = new DeliveryLedger(want);
    for (let seq = 0; seq < 30; seq++) ledger.observe({ seq, partition: seq % 3, offset: Math.floor(seq / 3), altered: false });
    const a = ledger.result();
    expect(a.lost).toBe(0);
    expect('lostUpstream' in a || 'lostUpstreamUnknown' in a).toBe(false);
  });
});
