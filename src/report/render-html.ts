import type { DrillReport } from '../domain/report';
import { latencyChartSvg } from './latency-chart';
import {
  FAILOVER_COLUMNS,
  catchUpLine,
  disasterLines,
  FAILBACK_GROUP_COLUMNS,
  FAILBACK_STRANDED_COLUMNS,
  failbackGroupRows,
  failbackLines,
  failbackStrandedRows,
  failoverLine,
  failoverRows,
  STRANDED_COLUMNS,
  strandedRows,
  faultLine,
  latencyByPhaseLine,
  latencyLine,
  leftBehindLine,
  verifierLine,
} from './render-text';

/** HTML-escaped text; the trend page uses it too. */
export const esc = (s: unknown) =>
  String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const table = (headers: string[], rows: unknown[][], id?: string) =>
  `<table${id ? ` id="${id}"` : ''}><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;

/** A step timeline as bars on one time axis, so slow steps stand out. */
function timeline(r: DrillReport): string {
  const start = Date.parse(r.startedAt);
  const total = Math.max(1, Date.parse(r.finishedAt) - start);
  return `<div id="timeline">${r.steps
    .map((s) => {
      const left = ((Date.parse(s.startedAt) - start) / total) * 100;
      const width = Math.max(0.5, (s.durationMs / total) * 100);
      return `<div class="row"><span class="name">${esc(s.name)}</span><span class="track"><span class="bar ${s.verdict}" style="left:${left.toFixed(2)}%;width:${width.toFixed(2)}%" title="${esc(s.summary)}"></span></span><span class="dur">${(s.durationMs / 1000).toFixed(1)} s</span></div>`;
    })
    .join('')}</div>`;
}

/** The drill report as one self-contained HTML page: no scripts, no external files. */
export function renderHtmlReport(r: DrillReport, links: { temporalUi?: string } = {}): string {
  const a = r.accounting;
  const target = r.config.mode === 'attach' ? `target ${r.config.target?.name ?? ''}` : `lab ${r.config.labId} (${r.config.topology})`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Drill ${esc(r.drillId)}: ${esc(r.verdict)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1000px}
h1{font-size:20px} h2{font-size:16px;margin-top:28px}
.verdict{display:inline-block;padding:2px 10px;border-radius:4px;color:#fff;font-weight:600}
.verdict.passed{background:#1a7f37}.verdict.failed{background:#cf222e}.verdict.skipped{background:#888}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
#timeline .row{display:flex;align-items:center;gap:8px;margin:2px 0}
#timeline .name{width:130px}#timeline .dur{width:70px;text-align:right}
#timeline .track{position:relative;flex:1;height:14px;background:#f6f8fa}
#timeline .bar{position:absolute;top:0;height:14px}
.bar.passed{background:#2da44e}.bar.failed{background:#cf222e}.bar.skipped{background:#aaa}
svg text{font:11px sans-serif;fill:#444}.grid{stroke:#eee}.line{fill:none;stroke:#0969da;stroke-width:1.5}
.dots{fill:#0969da}.p99{stroke:#cf222e;fill:#cf222e;stroke-dasharray:4 3}
</style></head><body>
<h1>Chapter drill <code>${esc(r.drillId)}</code> <span id="verdict" class="verdict ${esc(r.verdict)}">${esc(r.verdict.toUpperCase())}</span></h1>
<p>${esc(target)}; topic <code>${esc(r.config.topic)}</code> mirrored as <code>${esc(r.config.mirroredTopic)}</code>; ${esc(r.config.messages)} messages per schema generation; run ${esc(r.runId)}; ${esc(r.startedAt)} to ${esc(r.finishedAt)}${r.failedStep ? `; <strong>failed at ${esc(r.failedStep)}</strong>` : ''}.${links.temporalUi ? ` <a href="${esc(links.temporalUi)}">Open in the Temporal UI</a>` : ''}</p>
<h2>Steps</h2>
${timeline(r)}
${table(
  ['step', 'verdict', 'seconds', 'summary'],
  r.steps.map((s) => [s.name, s.verdict, (s.durationMs / 1000).toFixed(1), s.error ? `${s.summary} [${s.error.type}]` : s.summary]),
  'steps',
)}
<h2>Message accounting</h2>
${a ? table(['produced', 'mirrored', 'indexed', 'lost', 'duplicated', 'reordered', 'altered', 'missing in Elasticsearch', 'altered in Elasticsearch'], [[a.produced, a.mirrored, a.indexed, a.lost, a.duplicated, a.reordered, a.altered, a.missingInIndex, a.alteredInIndex]], 'accounting') : '<p>No accounting: the drill stopped before verifying.</p>'}
${a && (a.lost || a.duplicated || a.reordered || a.altered || a.missingInIndex) ? `<p>Examples (sequence numbers): ${esc(JSON.stringify(a.examples))}</p>` : ''}
<h2>Replication latency over time</h2>
<p>${r.latency ? esc(latencyLine(r.latency)) : 'No latency figures.'}</p>
${r.latencyByPhase ? `<p>${esc(latencyByPhaseLine(r.latencyByPhase))}</p>` : ''}
${r.catchUp ? `<p>${esc(catchUpLine(r.catchUp))}</p>` : ''}
${r.verifier ? `<p>${esc(verifierLine(r.verifier))}</p>` : ''}
${(r.faults ?? []).map((f) => `<p class="fault">${esc(faultLine(f))}</p>`).join('')}
${r.latency?.available ? latencyChartSvg(r.latency, r.faults) : ''}
${
  r.disaster
    ? `<h2>Disaster</h2><div id="disaster">${disasterLines(r.disaster)
        .map((l) => `<p>${esc(l)}</p>`)
        .join(
          '',
        )}</div>${r.disaster.rpo?.partitions.length ? table(STRANDED_COLUMNS, strandedRows(r.disaster.rpo), 'stranded') : ''}${r.disaster.accounting?.group.partitions.length ? table(FAILOVER_COLUMNS, failoverRows(r.disaster.accounting.group), 'disaster-group') : ''}`
    : ''
}
${
  r.failback
    ? `<h2>Failback</h2><div id="failback">${failbackLines(r.failback)
        .map((l) => `<p>${esc(l)}</p>`)
        .join(
          '',
        )}</div>${r.failback.accounting.stranded.partitions.length ? table(FAILBACK_STRANDED_COLUMNS, failbackStrandedRows(r.failback), 'failback-stranded') : ''}${r.failback.accounting.group.partitions.length ? table(FAILBACK_GROUP_COLUMNS, failbackGroupRows(r.failback), 'failback-group') : ''}`
    : ''
}
${r.failover ? `<h2>Failover</h2><p id="failover">${esc(failoverLine(r.failover))}</p>${r.failover.accounting ? table(FAILOVER_COLUMNS, failoverRows(r.failover.accounting), 'failover-partitions') : ''}` : ''}
${r.leftBehind ? `<h2>Left behind</h2><p id="left-behind">The teardown failed and left ${esc(leftBehindLine(r.leftBehind))}.</p>` : ''}
<h2>Metric checks (Prometheus)</h2>
${
  r.metrics.length
    ? table(
        ['check', 'verdict', 'observed', 'expected', 'query'],
        r.metrics.map((m) => [m.name, m.verdict, m.observed, m.expectation, m.query]),
        'metrics',
      )
    : '<p>No metric checks ran.</p>'
}
${r.schema ? `<h2>Schema</h2><p>Subject <code>${esc(r.schema.subject)}</code>, versions ${esc(r.schema.versions.join(', '))}, compatibility ${esc(r.schema.compatibility ?? '')}.</p>` : ''}
</body></html>
`;
}
