import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CollectLocalOptions, CollectLocalResult } from '../checks/sources/local/index.js';
import { realisticReport } from '../test/helpers/collector.js';
import { loadAgentConfig } from './config.js';
import { evictionNotice, startAgent } from './daemon.js';
import { createLog } from './log.js';
import { Spool } from './spool/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xj-daemon-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('the log cursor', () => {
  it('moves only with a spooled report, and is recovered from the spool after a crash between the two', async () => {
    const spoolDir = join(dir, 'spool');
    const stateDir = join(dir, 'state');
    writeFileSync(join(dir, 'agent.yaml'), `collector: { url: "http://127.0.0.1:9", token: t }\nsite: lab\ncadence: 50ms\nwindow: 50ms\nsampleEvery: 20ms\nheartbeat: 1h\nspool: { dir: ${spoolDir} }\nstateDir: ${stateDir}\nretry: { initial: 1h, max: 1h }\n`);
    const config = loadAgentConfig(join(dir, 'agent.yaml'), {});
    // The previous run saved cursor c1, then spooled a report reading up to c2, then died.
    const older = new Spool({ dir: spoolDir, maxBytes: 1e9, maxAgeMs: 1e12 });
    const crashed = older.write(JSON.stringify(realisticReport({ site: 'lab' })), { id: 'before-crash', logCursor: 's=c2' });
    await import('node:fs').then((fs) => {
      fs.mkdirSync(stateDir, { recursive: true });
      fs.writeFileSync(join(stateDir, 'log-cursor.json'), JSON.stringify({ cursor: 's=c1', seq: crashed.seq - 1, at: new Date().toISOString() }));
    });
    const asked: (string | undefined)[] = [];
    let n = 2;
    // The daemon's own cadence calls collect: the test waits for that event, not for a guessed time.
    let thirdAsked!: () => void;
    const threeCollections = new Promise<void>((r) => (thirdAsked = r));
    const collect = async (o: CollectLocalOptions): Promise<CollectLocalResult> => {
      asked.push(o.logCursor);
      if (asked.length === 3) thirdAsked();
      n += 1;
      return { report: realisticReport({ site: 'lab', id: `report-${n}-${Date.now()}` }), logCursor: `s=c${n}` };
    };
    const lines: string[] = [];
    const agent = await startAgent(config, { collect, log: createLog('info', (l) => lines.push(l)) });
    await threeCollections;
    await agent.stop();
    expect(asked.slice(0, 3)).toEqual(['s=c2', 's=c3', 's=c4']);
    expect(lines.join('')).toMatch(/log cursor recovered from the spool/);
    const saved = JSON.parse(readFileSync(join(stateDir, 'log-cursor.json'), 'utf8')) as { cursor: string; seq: number };
    const spooled = new Spool({ dir: spoolDir, maxBytes: 1e9, maxAgeMs: 1e12 }).list();
    // The saved cursor is the one carried by the newest spooled report.
    expect(saved.cursor).toBe(spooled.at(-1)!.meta.logCursor);
    expect(saved.seq).toBe(spooled.at(-1)!.seq);
  });
});

describe('evictionNotice', () => {
  it('is nothing when nothing is pending, else an SXKR-006 gap and a count', () => {
    expect(evictionNotice({ total: 3, pending: 0 }, '/s', 1000, '2026-11-28T10:00:00.000Z')).toBeUndefined();
    const notice = evictionNotice({ total: 3, pending: 2, pendingFrom: 'A', pendingTo: 'B' }, '/s', 1000, '2026-11-28T10:00:00.000Z')!;
    expect(notice.gap).toMatchObject({ check: 'SXKR-006', component: 'agent spool', command: '/s' });
    expect(notice.gap.reason).toMatch(/^2 earlier report\(s\) spooled A … B were evicted/);
    expect(notice.measurement).toMatchObject({ metric: 'agent.spool.evicted', value: 2 });
  });
});
