import type { LatencyFigures } from '../domain/report';

/**
 * Replication latency over time as an inline SVG (no script, no external assets), so the HTML
 * report opens from a file. X: produce time, per interval; Y: the worst latency in it. The line
 * breaks where an interval had no messages (between the generations), instead of bridging the gap.
 * Fault windows are shaded.
 */
export function latencyChartSvg(
  l: LatencyFigures | undefined,
  faults: { kind: string; from: number; to?: number }[] = [],
  width = 720,
  height = 240,
): string {
  const pad = { left: 56, right: 16, top: 16, bottom: 36 };
  const pts = l?.samples ?? [];
  if (pts.length === 0)
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="60" role="img" aria-label="no latency samples"><text x="8" y="30">no latency samples</text></svg>`;
  const t0 = pts[0][0];
  const tMax = Math.max(1, pts[pts.length - 1][0] - t0);
  const yMax = Math.max(1, ...pts.map((p) => p[1])) * 1.1;
  const x = (t: number) => pad.left + ((t - t0) / tMax) * (width - pad.left - pad.right);
  const y = (v: number) => height - pad.bottom - (v / yMax) * (height - pad.top - pad.bottom);
  const gap = l?.intervalMs ?? Infinity;
  const path = pts.map((p, i) => `${i && p[0] - pts[i - 1][0] <= gap ? 'L' : 'M'}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' ');
  const dots = pts.map((p) => `<circle cx="${x(p[0]).toFixed(1)}" cy="${y(p[1]).toFixed(1)}" r="2"/>`).join('');
  // each fault's window, shaded, so the latency it caused reads against it
  const windows = faults.map((f) => {
    const x0 = Math.max(pad.left, x(f.from));
    const x1 = Math.min(width - pad.right, x(f.to ?? pts[pts.length - 1][0]));
    return x1 <= x0
      ? ''
      : `<rect x="${x0.toFixed(1)}" y="${pad.top}" width="${(x1 - x0).toFixed(1)}" height="${height - pad.top - pad.bottom}" class="fault" fill="#f4c7c3" fill-opacity="0.5"><title>${f.kind}</title></rect><text x="${x0.toFixed(1)}" y="${pad.top + 10}" class="fault">${f.kind}</text>`;
  });
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = Math.round(yMax * f);
    return `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(v)}" y2="${y(v)}" class="grid"/><text x="${pad.left - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`;
  });
  const p99 = `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(l!.p99Ms)}" y2="${y(l!.p99Ms)}" class="p99"/><text x="${width - pad.right}" y="${y(l!.p99Ms) - 4}" text-anchor="end" class="p99">p99 ${l!.p99Ms} ms</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" id="latency-chart" width="${width}" height="${height}" role="img" aria-label="replication latency over time">`,
    ...windows,
    ...ticks,
    p99,
    `<path d="${path}" class="line"/>`,
    `<g class="dots">${dots}</g>`,
    `<text x="${(width + pad.left) / 2}" y="${height - 8}" text-anchor="middle">produced at (+${(tMax / 1000).toFixed(1)} s)</text>`,
    `<text x="14" y="${height / 2}" transform="rotate(-90 14 ${height / 2})" text-anchor="middle">latency ms</text>`,
    '</svg>',
  ].join('');
}
