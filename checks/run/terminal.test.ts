import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { DeviceInspection, SiteInspection } from '../../schemas/index.js';
import type { ProgressEvent } from './inspect-site.js';
import { terminalPasswordPrompt } from './prompt.js';
import type { SiteServerTarget } from './site-file.js';
import { createProgressDisplay, renderSiteSummary } from './terminal.js';

function recorder() {
  const chunks: string[] = [];
  return { chunks, write: (t: string) => chunks.push(t), text: () => chunks.join('') };
}

const at = (s: number) => new Date(Date.UTC(2026, 10, 2, 9, 0, s)).toISOString();
const ev = (device: string, state: ProgressEvent['state'], s: number, extra: Partial<ProgressEvent> = {}): ProgressEvent => ({
  device,
  kind: 'server',
  state,
  index: 1,
  total: 2,
  at: at(s),
  ...extra,
});

describe('progress display', () => {
  it('without a terminal: one plain line per finished device, with its time and the reason it is not normal', () => {
    const out = recorder();
    const d = createProgressDisplay(out, { tty: false, lang: 'en' });
    d.onProgress(ev('web01', 'queued', 0));
    d.onProgress(ev('db-primary', 'queued', 0));
    d.onProgress(ev('web01', 'connecting', 0));
    d.onProgress(ev('db-primary', 'connecting', 1));
    d.onProgress(ev('web01', 'done', 3, { verdict: 'abnormal', reason: 'SXKR-003: /usr: file system /usr 97.0 % used > 85 %' }));
    d.onProgress(ev('db-primary', 'failed', 11, { verdict: 'unknown', reason: 'authentication failed' }));
    d.finish();
    expect(out.text()).toBe(
      '[1/2] ✗ web01       abnormal   3.0 s  SXKR-003: /usr: file system /usr 97.0 % used > 85 %\n' + '[2/2] ? db-primary  unknown   10.0 s  authentication failed\n',
    );
  });

  it('on a terminal: a status line of what is running, cleared before each finished line and at the end', () => {
    const out = recorder();
    const d = createProgressDisplay(out, { tty: true, lang: 'zh' });
    d.onProgress(ev('web01', 'queued', 0));
    d.onProgress(ev('web01', 'connecting', 0));
    expect(out.chunks.at(-1)).toBe('[0/2] ✓0 ✗0 ?0 · 进行中: web01');
    d.onProgress(ev('web01', 'done', 2, { verdict: 'normal' }));
    expect(out.chunks).toContain('\r\x1b[2K');
    expect(out.text()).toContain('[1/2] ✓ web01     正常     2.0 s\n');
    d.finish();
    expect(out.chunks.at(-1)).toBe('\r\x1b[2K');
  });
});

function device(name: string, verdicts: DeviceInspection['results'][number]['verdict'][], failed = false): DeviceInspection {
  return {
    device: { name, kind: 'server', host: '10.0.0.1', port: 22, groups: [] },
    report: { id: `r-${name}`, source: 'ssh', window: { start: at(0), end: at(5) }, identity: { hostname: name, kind: 'server', addresses: [] }, measurements: [], gaps: [] },
    results: verdicts.map((verdict, i) => ({
      check: `SXKR-00${i + 1}` as 'SXKR-001',
      verdict,
      actual: failed ? 'not measured' : `value ${i}`,
      expected: '',
      threshold: {},
      commands: [],
      components: [],
      evaluatedAt: at(5),
      ...(failed ? { reason: 'connection refused' } : {}),
    })) as unknown as DeviceInspection['results'],
    verdict: verdicts.includes('abnormal') ? 'abnormal' : verdicts.includes('unknown') ? 'unknown' : 'normal',
    failed,
    durationMs: 1000,
  };
}

describe('site summary', () => {
  const six = (v: 'normal' | 'unknown') => Array.from({ length: 6 }, () => v);
  const inspection = (devices: DeviceInspection[], items: SiteInspection['summary']['items']): SiteInspection => ({
    site: 'hq',
    startedAt: at(0),
    finishedAt: at(30),
    durationMs: 30_000,
    concurrency: 16,
    windowMs: 5000,
    summary: { devices: { normal: 1, abnormal: 1, unknown: 1 }, checks: { normal: 11, abnormal: 1, unknown: 6 }, items },
    devices,
  });

  it('lists abnormal items first and folds a device that could not be inspected into one row', () => {
    const text = renderSiteSummary(
      inspection(
        [device('ok', six('normal')), device('hot', ['normal', 'normal', 'normal', 'normal', 'abnormal', 'normal']), device('gone', six('unknown'), true)],
        [
          { device: 'hot', check: 'SXKR-005', verdict: 'abnormal', actual: 'CPU0 81 °C (limit 75 °C)' },
          ...Array.from({ length: 6 }, (_, i) => ({ device: 'gone', check: `SXKR-00${i + 1}` as 'SXKR-001', verdict: 'unknown' as const, actual: 'not measured', reason: 'connection refused' })),
        ],
      ),
      'en',
    );
    expect(text).toContain('Devices: normal 1 · abnormal 1 · unknown 1');
    expect(text.indexOf('hot')).toBeLessThan(text.indexOf('gone'));
    expect(text.match(/connection refused/g)).toHaveLength(1);
    expect(text).toMatch(/│ gone +│ — +│ all checks/);
  });

  it('says so when everything is normal', () => {
    expect(renderSiteSummary(inspection([device('ok', six('normal'))], []), 'zh')).toContain('全部正常。');
  });
});

describe('password prompt', () => {
  const server = { name: 'db1', user: 'root', host: '10.0.0.9', port: 22 } as SiteServerTarget;

  it('reads the answer without echoing it, one prompt at a time', async () => {
    const input = new PassThrough() as unknown as NodeJS.ReadStream;
    const output = new PassThrough() as unknown as NodeJS.WriteStream;
    let shown = '';
    (output as unknown as PassThrough).on('data', (d: Buffer) => (shown += d.toString()));
    const prompt = terminalPasswordPrompt(input, output);
    const first = prompt(server);
    const second = prompt({ ...server, name: 'db2', host: '10.0.0.10' });
    await new Promise((r) => setTimeout(r, 20));
    // Only the first question is on screen until it is answered.
    expect(shown).toContain('root@10.0.0.9:22 (db1)');
    expect(shown).not.toContain('db2');
    (input as unknown as PassThrough).write('s3cret\n');
    expect(await first).toBe('s3cret');
    await new Promise((r) => setTimeout(r, 20));
    (input as unknown as PassThrough).write('other\n');
    expect(await second).toBe('other');
    expect(shown).toContain('(db2)');
    expect(shown).not.toContain('s3cret');
    expect(shown).not.toContain('other');
  });
});
