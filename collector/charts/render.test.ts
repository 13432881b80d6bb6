import { describe, expect, it } from 'vitest';
import { renderChart } from './index.js';

const H = 3_600_000;
const textAt = (svg: string, label: string): number | undefined => {
  const m = new RegExp(`transform="translate\\(([\\d.]+) [\\d.]+\\)"[^>]*>${label}</text>`).exec(svg);
  return m ? Number(m[1]) : undefined;
};

describe('renderChart (ECharts SSR)', () => {
  // 20 Nov 00:00 UTC to 21 Nov 00:00 UTC is 08:00 → 08:00 next day in Shanghai: local midnight (the
  // day label 11-21) is at 16:00 UTC, two thirds across; in New York it is at 05:00 UTC.
  const from = Date.UTC(2026, 10, 20);
  const spec = { type: 'line' as const, title: 'CPU', unit: '%', series: [{ name: 'db01', points: [{ at: from + 2 * H, value: 10.5 }, { at: from + 20 * H, value: 20 }] }], from, to: from + 24 * H, min: 0, max: 100 };
  const plot = { left: 56, width: 720 - 56 - 24 };

  it.each([
    ['Asia/Shanghai', 16],
    ['America/New_York', 5],
  ])('puts the day boundary at local midnight and labels local hours (%s)', (zone, utcHour) => {
    const svg = renderChart(spec, { zone });
    const x = textAt(svg, '11-21') ?? textAt(svg, '11-20');
    expect(x).toBeCloseTo(plot.left + (utcHour / 24) * plot.width, 0);
  });

  it('hover titles name the local time and value; no inline style survives; names are escaped', () => {
    const svg = renderChart({ ...spec, series: [{ name: 'x"><script>alert(1)</script>', points: spec.series[0]!.points }], limit: { label: 'limit <b>', value: 70 } }, { zone: 'Asia/Shanghai' });
    expect(svg.match(/<title>[^<]*<\/title>/g)).toEqual(['<title>2026-11-20 10:00 +08:00\nx&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;: 10.5%</title>', '<title>2026-11-21 04:00 +08:00\nx&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;: 20.0%</title>']);
    expect(svg).not.toMatch(/<script|<b>| style=|<style/);
    expect(svg).toContain('limit &lt;b&gt;');
  });

  it('a silent stretch breaks the line instead of joining across it', () => {
    const points = [0, 1, 2, 50, 51].map((h) => ({ at: from + h * H, value: 5 }));
    const svg = renderChart({ ...spec, to: from + 52 * H, series: [{ name: 'a', points }] }, { zone: 'UTC' });
    const lines = [...svg.matchAll(/<path d="([^"]*)"[^>]*stroke="#1d4ed8" stroke-width="1.6"/g)].map((m) => m[1]!);
    expect(lines.join('').match(/M/g)).toHaveLength(2); // two runs: hours 0–2 and 50–51
    // Readings days apart (a device reporting rarely) are dots, not a line implying the days between
    const sparse = renderChart({ ...spec, to: from + 400 * H, series: [{ name: 'a', points: [0, 200, 400].map((h) => ({ at: from + h * H, value: 5 })) }] }, { zone: 'UTC' });
    expect(sparse).not.toMatch(/<path d="M[^"]*L[^"]*"[^>]*stroke="#1d4ed8" stroke-width="1.6"/);
    expect(sparse.match(/<path d="M1 0A1 1 0 1 1 1 -0.1A1 1 0 0 1 1 0"[^>]*stroke="#1d4ed8"/g)).toHaveLength(3);
  });

  it('bars, pies and status marks each carry their own title', () => {
    const bar = renderChart({ type: 'bar', title: 'b', unit: '%', categories: ['10月', '11月'], series: [{ name: '可用率', values: [99.5, null] }] }, { zone: 'UTC' });
    expect(bar.match(/<title>[^<]*<\/title>/g)).toEqual(['<title>10月 · 可用率: 99.5%</title>']);
    const pie = renderChart({ type: 'pie', title: 'p', unit: '', slices: [{ name: 'PSU', value: 3 }, { name: 'none', value: 0 }, { name: 'CPU', value: 1 }], donut: true }, { zone: 'UTC' });
    expect(pie.match(/<title>[^<]*<\/title>/g)).toEqual(['<title>PSU: 3 (75.0%)</title>', '<title>CPU: 1 (25.0%)</title>']);
    expect(pie).toContain('>PSU: 3</text>');
    expect(pie).not.toContain('paint-order'); // a halo svg-to-pdfkit would paint over the label
    const status = renderChart(
      { type: 'status', title: 's', rows: ['A', 'B'], states: [{ key: 'normal', label: 'ok', colour: '#0a0' }, { key: 'abnormal', label: 'bad', colour: '#a00' }], marks: [{ row: 1, day: '2026-11-02', state: 'abnormal', note: '1 of 4' }], fromDay: '2026-11-01', toDay: '2026-11-03' },
      { zone: 'UTC' },
    );
    expect(status.match(/<title>[^<]*<\/title>/g)).toEqual(['<title>B · 2026-11-02 · bad · 1 of 4</title>']);
    expect(status).toContain('data-from="2026-11-01"');
  });
});
