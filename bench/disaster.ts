/**
 * Disaster benchmark: the disaster drill (`lab drill --disaster`) with Connect placed downstream
 * (the chapter) and upstream (MirrorMaker 2 dies with the primary), at two rates, several trials
 * each, on one kept lite lab per placement; prints RPO and RTO per trial and their medians. With
 * `--failback` each drill fails back after the outage, with Connect downstream under each
 * replication policy (default and identity), and the table adds the failback's duration. Not a test.
 *
 *   npm run bench:dr -- [--trials 3] [--rates 500,5000] [--outage 30] [--disaster-after 20] [--failback] [drill flags]
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { renderTable } from '../src/cli/table';
import type { DisasterAccounting, RpoFigures, RtoFigures } from '../src/domain/disaster';
import type { FailbackAccounting, FailbackFigures } from '../src/domain/failback';

const args = process.argv.slice(2);
const take = (flag: string, fallback: string) => {
  const i = args.indexOf(flag);
  if (i < 0) return fallback;
  const [v] = args.splice(i, 2).slice(1);
  return v;
};
const trials = Number(take('--trials', '3'));
const rates = take('--rates', '500,5000').split(',').map(Number);
const outage = take('--outage', '30');
const after = take('--disaster-after', '20');
const failback = args.includes('--failback');
if (failback) args.splice(args.indexOf('--failback'), 1);
// a failback stops the forward mirror before the primary returns: Connect next to the DR cluster
const PLACEMENTS = failback
  ? [
      { placement: 'downstream', policy: 'default', labId: 'bench-fb-default', offset: 3300 },
      { placement: 'downstream', policy: 'identity', labId: 'bench-fb-identity', offset: 3400 },
    ]
  : [
      { placement: 'downstream', policy: 'default', labId: 'bench-dr-down', offset: 3300 },
      { placement: 'upstream', policy: 'default', labId: 'bench-dr-up', offset: 3400 },
    ];
const lab = (labId: string, ...rest: string[]) =>
  spawnSync(process.execPath, [resolve(__dirname, '../bin/lab.js'), ...rest, '--lab-id', labId], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });

interface Report {
  verdict: string;
  failedStep?: string;
  disaster?: { rpo?: RpoFigures; rto?: RtoFigures; accounting?: DisasterAccounting };
  failback?: FailbackFigures & { accounting: FailbackAccounting };
}
const rows: (string | number)[][] = [];
const figures = new Map<string, { rpo: number[]; rpoS: number[]; rto: number[]; fb: number[]; passed: number }>();
const s = (x?: number, digits = 1) => (x === undefined || Number.isNaN(x) ? '?' : x.toFixed(digits));
for (const { placement, policy, labId, offset } of PLACEMENTS) {
  for (const rate of rates) {
    for (let trial = 1; trial <= trials; trial++) {
      const started = Date.now();
      const r = lab(
        labId,
        'drill',
        '--port-offset',
        String(offset),
        '--keep',
        '--json',
        '--disaster',
        '--disaster-after',
        after,
        '--outage',
        outage,
        '--rate',
        String(rate),
        '--connect-placement',
        placement,
        '--replication-policy',
        policy,
        ...(failback ? ['--failback'] : []),
        ...args,
      );
      let report: Report = { verdict: 'no report' };
      try {
        report = JSON.parse(r.stdout) as Report;
      } catch {
        process.stderr.write(r.stderr.slice(-2000));
      }
      const d = report.disaster;
      const a = d?.accounting;
      const fb = report.failback;
      const key = `${placement} ${policy} ${rate}`;
      const f = figures.get(key) ?? { rpo: [], rpoS: [], rto: [], fb: [], passed: 0 };
      figures.set(key, f);
      // medians over the trials that passed: a failed trial's figures may be partial
      if (report.verdict === 'passed') {
        if (d?.rpo) f.rpo.push(d.rpo.records);
        if (d?.rpo?.seconds !== undefined) f.rpoS.push(d.rpo.seconds);
        if (d?.rto?.seconds !== undefined) f.rto.push(d.rto.seconds);
        if (fb?.seconds !== undefined) f.fb.push(fb.seconds);
        f.passed++;
      }
      rows.push([
        placement,
        policy,
        rate,
        trial,
        `${report.verdict}${report.failedStep ? ` at ${report.failedStep}` : ''}`,
        a?.upstream.acknowledged ?? '?',
        d?.rpo?.records ?? '?',
        s(d?.rpo?.seconds, 2),
        s(d?.rto?.producersSeconds),
        s(d?.rto?.consumersSeconds),
        s(d?.rto?.indexSeconds),
        a?.group.twice ?? '?',
        a?.dr.written ?? '?',
        ...(failback
          ? [s(fb?.seconds), fb?.accounting.reverse.movedBack ?? '?', fb?.accounting.group.twiceByReverseTranslation ?? '?']
          : []),
      ]);
      process.stderr.write(
        `${key} msg/s, trial ${trial}/${trials}: ${report.verdict} in ${((Date.now() - started) / 1000).toFixed(0)} s\n`,
      );
    }
  }
  lab(labId, 'down');
}
const median = (xs: number[]) => {
  const v = [...xs].sort((a, b) => a - b);
  return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : NaN;
};
process.stdout.write(
  `\ndisaster drill${failback ? ' with failback' : ''} on lite, the primary lost ${after} s into the load, outage ${outage} s, ${trials} trial(s) per row${args.length ? `, with ${args.join(' ')}` : ''}\n\n`,
);
process.stdout.write(
  `${renderTable(
    [
      'Connect',
      'policy',
      'msg/s',
      'trial',
      'verdict',
      'acked upstream',
      'RPO records',
      'RPO s',
      'RTO producers s',
      'RTO consumers s',
      'RTO index s',
      'group twice',
      'written on DR',
      ...(failback ? ['failback s', 'moved back', 'twice after failback'] : []),
    ],
    rows,
  )}\n\n`,
);
process.stdout.write(
  `${renderTable(
    [
      'Connect',
      'policy',
      'msg/s',
      'passed',
      'median RPO records',
      'median RPO s',
      'median RTO s',
      ...(failback ? ['median failback s'] : []),
    ],
    [...figures].map(([k, f]) => [
      ...k.split(' '),
      `${f.passed}/${trials}`,
      s(median(f.rpo), 0),
      s(median(f.rpoS), 2),
      s(median(f.rto)),
      ...(failback ? [s(median(f.fb))] : []),
    ]),
  )}\n`,
);
process.exitCode = rows.every((r) => String(r[4]) === 'passed') ? 0 : 1;
