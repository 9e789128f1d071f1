import { renderTable } from '../cli/table';
import type { DrillReport } from '../domain/report';
import type { DrillSummary } from '../temporal/recent-drills';
import { esc } from './render-html';

/** A drill as the trend reads it: what the visibility store lists, and its report once it ended with one. */
export type TrendDrill = DrillSummary & { report?: DrillReport };

/** Which drills: one schedule's, one lab's, both (that schedule's drills on that lab), or all. */
export interface TrendFilter {
  schedule?: string;
  labId?: string;
}

/** One drill's figures: null where the drill did not measure one (never 0, which is a finding). */
export interface TrendRow {
  workflowId: string;
  startedAt: string;
  target: string | null;
  /** Temporal's execution status: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED, TIMED_OUT. */
  status: string;
  verdict: string;
  rpoRecords: number | null;
  rpoSeconds: number | null;
  rtoSeconds: number | null;
  rtoProducersSeconds: number | null;
  rtoConsumersSeconds: number | null;
  rtoIndexSeconds: number | null;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  /** A failback's: from the primary back to producers and consumers serving from it. */
  failbackSeconds: number | null;
}

type Figure = 'rpoRecords' | 'rtoSeconds' | 'latencyP99Ms' | 'failbackSeconds';

/** The figures the trend follows and charts; lower is better for each. */
const TRACKED: { key: Figure; label: string; unit: string; line: string }[] = [
  { key: 'rpoRecords', label: 'RPO', unit: 'records', line: 'rpo' },
  { key: 'rtoSeconds', label: 'RTO', unit: 's', line: 'rto' },
  { key: 'latencyP99Ms', label: 'p99 latency', unit: 'ms', line: 'p99' },
  { key: 'failbackSeconds', label: 'failback', unit: 's', line: 'failback' },
];

const orNull = (x: number | undefined) => x ?? null;

/** The report's verdict; a drill without a report says why (running, cancelled, no worker). */
function verdictOf(d: TrendDrill): string {
  if (d.report) return d.report.verdict;
  const status = d.status.toLowerCase().replaceAll('_', ' ');
  // Running, or stopped from outside, a drill's LabVerdict ("failed", or "running" mid-step) says
  // less than its status; a timed-out one's may say why ("no worker").
  if (['RUNNING', 'CANCELLED', 'TERMINATED'].includes(d.status)) return status;
  return d.verdict && d.verdict !== 'running' ? d.verdict : status;
}

export function trendRow(d: TrendDrill): TrendRow {
  const r = d.report;
  const rpo = r?.disaster?.rpo;
  const rto = r?.disaster?.rto;
  // without arrival times (available false) or records, the latency figures are not measurements
  const latency = r?.latency?.available && r.latency.count > 0 ? r.latency : undefined;
  return {
    workflowId: d.workflowId,
    startedAt: r?.startedAt ?? d.startTime,
    target: d.target ?? null,
    status: d.status,
    verdict: verdictOf(d),
    rpoRecords: orNull(rpo?.records),
    rpoSeconds: orNull(rpo?.seconds),
    rtoSeconds: orNull(rto?.seconds),
    rtoProducersSeconds: orNull(rto?.producersSeconds),
    rtoConsumersSeconds: orNull(rto?.consumersSeconds),
    rtoIndexSeconds: orNull(rto?.indexSeconds),
    latencyP50Ms: orNull(latency?.p50Ms),
    latencyP99Ms: orNull(latency?.p99Ms),
    failbackSeconds: orNull(r?.failback?.seconds),
  };
}

/** The drills' rows, oldest first. */
export const trendRows = (drills: TrendDrill[]): TrendRow[] =>
  drills.map(trendRow).sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));

export interface TrendChange {
  figure: Figure;
  previous: number;
  latest: number;
  direction: 'better' | 'worse' | 'same';
}

/** Per followed figure, its latest measurement against the one before: better or worse. */
export function trendChanges(rows: TrendRow[]): TrendChange[] {
  return TRACKED.flatMap(({ key }) => {
    const measured = rows.map((r) => r[key]).filter((v) => v !== null);
    if (measured.length < 2) return [];
    const [previous, latest] = measured.slice(-2);
    return [{ figure: key, previous, latest, direction: latest < previous ? 'better' : latest > previous ? 'worse' : 'same' }];
  });
}

/** The changes in one line, or '' when no figure was measured twice. */
export function changesLine(changes: TrendChange[]): string {
  if (!changes.length) return '';
  const parts = changes.map((c) => {
    const { label, unit } = TRACKED.find((t) => t.key === c.figure)!;
    return `${label} ${c.latest} ${unit} (was ${c.previous}: ${c.direction})`;
  });
  return `latest against the one before: ${parts.join('; ')}`;
}

/** ' of schedule "x" on lab "y"', or '' for all drills. */
const filterWords = (f: TrendFilter) =>
  (f.schedule ? ` of schedule "${f.schedule}"` : '') + (f.labId ? ` ${f.schedule ? 'on' : 'of'} lab "${f.labId}"` : '');

/** What the list holds, and whether --limit cut it. */
function heading(rows: TrendRow[], f: TrendFilter, limit: number): string {
  const what = `${rows.length} drill${rows.length === 1 ? '' : 's'}${filterWords(f)}, oldest first`;
  return rows.length >= limit ? `${what} (the newest ${limit}; --limit N for more)` : what;
}

/** Where the drills are when a filter found none. */
function noDrills(f: TrendFilter): string {
  const hint = f.schedule
    ? "\nA schedule's drills carry its name (see `npx lab schedule list`); a --matrix schedule drills one lab per Kafka version: use --lab-id <lab-id>-k<version digits>."
    : '';
  return `no drills${filterWords(f)}${hint}`;
}

const cell = (v: number | null) => (v === null ? '-' : String(v));
/** UTC, to the minute. */
const when = (iso: string) => iso.slice(0, 16).replace('T', ' ');
/** RTO's parts in one cell; '-' alone when the drill measured none. */
const rtoParts = (r: TrendRow) => {
  const parts = [r.rtoProducersSeconds, r.rtoConsumersSeconds, r.rtoIndexSeconds];
  return parts.every((p) => p === null) ? '-' : parts.map(cell).join('/');
};

/** The trend as a person reads it in a terminal. */
export function renderTrend(rows: TrendRow[], f: TrendFilter, limit: number): string {
  if (!rows.length) return noDrills(f);
  const table = renderTable(
    ['started (UTC)', 'drill', 'target', 'verdict', 'RPO rec', 'RPO s', 'RTO s', 'prod/cons/index s', 'p50 ms', 'p99 ms', 'failback s'],
    rows.map((r) => [
      when(r.startedAt),
      r.workflowId,
      r.target ?? '-',
      r.verdict,
      cell(r.rpoRecords),
      cell(r.rpoSeconds),
      cell(r.rtoSeconds),
      rtoParts(r),
      cell(r.latencyP50Ms),
      cell(r.latencyP99Ms),
      cell(r.failbackSeconds),
    ]),
  );
  return [`${heading(rows, f, limit)}:`, table, changesLine(trendChanges(rows))].filter(Boolean).join('\n');
}

/** The --json document: the filter, every drill's figures (null: not measured), and the changes. */
export const trendJson = (rows: TrendRow[], f: TrendFilter, limit: number) => ({
  status: 'ok',
  filter: { schedule: f.schedule ?? null, labId: f.labId ?? null },
  limit,
  drills: rows,
  changes: trendChanges(rows),
});

const CHART = { width: 760, panel: 150, left: 64, right: 40, top: 24, bottom: 14, axis: 34 };

/** A drill's x: evenly spaced in time order, so nightly runs read as a row of nights. */
const xOf = (i: number, n: number) => {
  const w = CHART.width - CHART.left - CHART.right;
  return CHART.left + (n === 1 ? w / 2 : (i / (n - 1)) * w);
};
const tickLabel = (v: number) => String(v >= 10 ? Math.round(v) : Number(v.toFixed(2)));
/** The scale's top: a round number at or above `v` (1.5, 40, 1200), so its half is one too. */
const niceCeil = (v: number) => {
  if (v <= 0) return 1;
  const unit = 10 ** Math.floor(Math.log10(v));
  return [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((m) => m * unit >= v)! * unit;
};

/**
 * One figure's panel at height `top`. The line breaks at a drill that did not measure it rather
 * than bridging the gap (as the latency chart does); each point is coloured by its drill's verdict.
 */
function panelSvg(rows: TrendRow[], t: (typeof TRACKED)[number], top: number): string {
  const title = `<text x="${CHART.left}" y="${top + 14}" class="title">${esc(`${t.label} (${t.unit})`)}</text>`;
  const values = rows.map((r) => r[t.key]);
  const measured = values.filter((v) => v !== null);
  if (!measured.length) return `${title}<text x="${CHART.left}" y="${top + 60}">not measured by any of these drills</text>`;
  const yMax = niceCeil(Math.max(...measured));
  const h = CHART.panel - CHART.top - CHART.bottom;
  const y = (v: number) => top + CHART.top + (1 - v / yMax) * h;
  const ticks = [0, 0.5, 1].map(
    (f) =>
      `<line x1="${CHART.left}" x2="${CHART.width - CHART.right}" y1="${y(yMax * f).toFixed(1)}" y2="${y(yMax * f).toFixed(1)}" class="grid"/>` +
      `<text x="${CHART.left - 6}" y="${(y(yMax * f) + 4).toFixed(1)}" text-anchor="end">${tickLabel(yMax * f)}</text>`,
  );
  const pts = values.map((v, i) => (v === null ? null : { v, r: rows[i], at: `${xOf(i, rows.length).toFixed(1)},${y(v).toFixed(1)}` }));
  const path = pts.flatMap((p, i) => (p ? [`${i && pts[i - 1] ? 'L' : 'M'}${p.at}`] : [])).join(' ');
  const dots = pts.flatMap((p) => {
    if (!p) return [];
    const [cx, cy] = p.at.split(',');
    const tip = esc(`${p.r.workflowId}: ${p.v} ${t.unit}, ${p.r.verdict}`);
    return [`<circle cx="${cx}" cy="${cy}" r="3.5" class="dot ${esc(p.r.verdict)}"><title>${tip}</title></circle>`];
  });
  return `${title}${ticks.join('')}<path d="${path}" class="line ${t.line}"/>${dots.join('')}`;
}

/** The drills' dates under the panels: every drill's when they fit, else about eight, the newest among them. */
function axisSvg(rows: TrendRow[], y: number): string {
  const every = Math.ceil(rows.length / 8);
  return rows
    .map((r, i) =>
      (rows.length - 1 - i) % every === 0
        ? `<text x="${xOf(i, rows.length).toFixed(1)}" y="${y}" text-anchor="middle">${esc(when(r.startedAt).slice(5))}</text>`
        : '',
    )
    .join('');
}

/**
 * RPO records, RTO seconds, p99 replication latency and failback seconds per drill as one inline SVG
 * (no script, no external assets): four panels on one drill axis, each with its own scale, since their units differ.
 */
export function trendChartSvg(rows: TrendRow[]): string {
  const height = TRACKED.length * CHART.panel + CHART.axis;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" id="trend-chart" width="${CHART.width}" height="${height}" role="img" aria-label="RPO, RTO, p99 replication latency and failback per drill">`,
    ...TRACKED.map((t, i) => panelSvg(rows, t, i * CHART.panel)),
    axisSvg(rows, TRACKED.length * CHART.panel + 14),
    `<text x="${(CHART.width + CHART.left) / 2}" y="${height - 4}" text-anchor="middle">drill started (UTC), oldest first</text>`,
    '</svg>',
  ].join('');
}

/** The HTML table's figure columns: every part of RTO in a column of its own. */
const HTML_FIGURES: [Exclude<keyof TrendRow, 'workflowId' | 'startedAt' | 'target' | 'status' | 'verdict'>, string][] = [
  ['rpoRecords', 'RPO records'],
  ['rpoSeconds', 'RPO s'],
  ['rtoSeconds', 'RTO s'],
  ['rtoProducersSeconds', 'RTO producers s'],
  ['rtoConsumersSeconds', 'RTO consumers s'],
  ['rtoIndexSeconds', 'RTO index s'],
  ['latencyP50Ms', 'p50 ms'],
  ['latencyP99Ms', 'p99 ms'],
  ['failbackSeconds', 'failback s'],
];

function htmlTable(rows: TrendRow[]): string {
  const headers = ['started (UTC)', 'drill', 'target', 'verdict', ...HTML_FIGURES.map(([, h]) => h)];
  const cells = (r: TrendRow) => [
    ...[when(r.startedAt), r.workflowId, r.target ?? '-'].map((c) => `<td>${esc(c)}</td>`),
    `<td class="verdict ${esc(r.verdict)}">${esc(r.verdict)}</td>`,
    ...HTML_FIGURES.map(([k]) => `<td>${cell(r[k])}</td>`),
  ];
  return `<table id="trend"><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${cells(r).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** The trend as one self-contained HTML page: the chart and the table, no scripts, no external files. */
export function renderHtmlTrend(rows: TrendRow[], f: TrendFilter, limit: number): string {
  const title = `Disaster-recovery trend${filterWords(f).replace(/^ of /, ': ')}`;
  const changes = changesLine(trendChanges(rows));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:20px}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;white-space:nowrap}
td:nth-child(n+5){text-align:right}th{background:#f6f8fa}
.verdict{font-weight:600}.verdict.passed{color:#1a7f37}.verdict.failed{color:#cf222e}
svg text{font:11px sans-serif;fill:#444}svg .title{font-weight:600;fill:#222}.grid{stroke:#eee}
.line{fill:none;stroke-width:1.5}.line.rpo{stroke:#8250df}.line.rto{stroke:#0969da}.line.p99{stroke:#bf8700}.line.failback{stroke:#1a7f37}
.dot{fill:#888}.dot.passed{fill:#1a7f37}.dot.failed{fill:#cf222e}
</style></head><body>
<h1>${esc(title)}</h1>
${
  rows.length
    ? `<p>${esc(heading(rows, f, limit))}; a figure a drill did not measure is shown as - and left out of the chart. Points: green passed, red failed.</p>
${changes ? `<p id="changes">${esc(changes)}</p>` : ''}
${trendChartSvg(rows)}
${htmlTable(rows)}`
    : `<p>${esc(noDrills(f))}</p>`
}
</body></html>
`;
}
