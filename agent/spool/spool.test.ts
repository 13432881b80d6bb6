import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Spool, decodeEntry, encodeEntry, spoolDepth, type SpoolEvent } from './index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xj-spool-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const body = (id: string, pad = 0) => JSON.stringify({ id, padding: 'x'.repeat(pad) });
const open = (o: Partial<ConstructorParameters<typeof Spool>[0]> = {}, events: SpoolEvent[] = []) =>
  new Spool({ dir, maxBytes: 1_000_000, maxAgeMs: 3_600_000, onEvent: (e) => events.push(e), ...o });

describe('spool entry format', () => {
  it('round-trips meta and the report bytes', () => {
    const bytes = encodeEntry({ id: 'r-00000001', createdAt: 5, logCursor: { c: 's=abc' } }, body('r-00000001'));
    const { meta, body: out } = decodeEntry(bytes);
    expect(meta).toEqual({ id: 'r-00000001', createdAt: 5, logCursor: { c: 's=abc' } });
    expect(out.toString()).toBe(body('r-00000001'));
  });

  it.each([
    ['truncated', (b: Buffer) => b.subarray(0, b.length - 7), /torn write/],
    ['no header', (b: Buffer) => b.subarray(0, 5), /header/],
    ['flipped byte', (b: Buffer) => { const c = Buffer.from(b); c[c.length - 3] = 0x41; return c; }, /checksum/],
    ['empty', () => Buffer.alloc(0), /header/],
  ])('rejects a %s entry', (_name, damage, message) => {
    const bytes = encodeEntry({ id: 'r-00000001', createdAt: 5 }, body('r-00000001'));
    expect(() => decodeEntry(damage(bytes))).toThrow(message);
  });
});

describe('Spool', () => {
  it('commits entries as files before returning and keeps them across a reopen, oldest first', () => {
    const spool = open();
    const a = spool.write(body('r-aaaaaaaa'), { id: 'r-aaaaaaaa' });
    spool.write(body('r-bbbbbbbb'), { id: 'r-bbbbbbbb' });
    expect(existsSync(a.file)).toBe(true);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    const again = open();
    expect(again.list().map((e) => e.meta.id)).toEqual(['r-aaaaaaaa', 'r-bbbbbbbb']);
    expect(again.readBody(again.oldest()!).toString()).toBe(body('r-aaaaaaaa'));
    again.remove(again.oldest()!);
    expect(open().list().map((e) => e.meta.id)).toEqual(['r-bbbbbbbb']);
  });

  it('hands the entry it just wrote from memory, byte for byte what is on disk; an older one is read and verified', () => {
    const spool = open();
    const a = spool.write(body('r-aaaaaaaa'), { id: 'r-aaaaaaaa' });
    expect(spool.readBody(a).toString()).toBe(body('r-aaaaaaaa'));
    const b = spool.write(body('r-bbbbbbbb'), { id: 'r-bbbbbbbb' });
    expect(Buffer.compare(spool.readBody(b), decodeEntry(readFileSync(b.file)).body)).toBe(0);
    // a is no longer the newest: it comes from disk, so damage to its file is found at send time
    const damaged = Buffer.from(readFileSync(a.file));
    damaged[damaged.length - 3] = 0x41;
    writeFileSync(a.file, damaged);
    expect(() => spool.readBody(a)).toThrow(/checksum/);
    // once delivered, the newest entry's bytes are not kept
    spool.remove(b);
    expect(() => spool.readBody(b)).toThrow(/ENOENT/);
  });

  it('sets torn and corrupt entries aside at start and keeps the good ones', () => {
    const spool = open();
    const good1 = spool.write(body('r-good0001'), { id: 'r-good0001' });
    const torn = spool.write(body('r-torn0001'), { id: 'r-torn0001' });
    const good2 = spool.write(body('r-good0002'), { id: 'r-good0002' });
    const full = readFileSync(torn.file);
    writeFileSync(torn.file, full.subarray(0, Math.floor(full.length / 2)));
    writeFileSync(join(dir, '000000000000009.rpt.tmp'), 'half a rep');
    const events: SpoolEvent[] = [];
    const reopened = open({}, events);
    expect(reopened.list().map((e) => e.meta.id)).toEqual(['r-good0001', 'r-good0002']);
    expect(events.map((e) => e.kind)).toEqual(['corrupt', 'corrupt']);
    expect(readdirSync(join(dir, 'corrupt')).sort()).toEqual(['000000000000009.rpt.tmp', torn.file.split('/').pop()].sort());
    expect(spoolDepth(dir)).toMatchObject({ depth: 2, corrupt: 2 });
    expect([good1.seq, good2.seq].every((s) => reopened.highestSeq >= s)).toBe(true);
  });

  it('evicts oldest first when over the size bound, and says so', () => {
    const events: SpoolEvent[] = [];
    const spool = open({ maxBytes: 3000 }, events);
    for (let i = 0; i < 6; i += 1) spool.write(body(`r-size000${i}`, 900), { id: `r-size000${i}` });
    expect(spool.bytes).toBeLessThanOrEqual(3000);
    const evicted = events.filter((e) => e.kind === 'evicted').map((e) => (e.kind === 'evicted' ? e.entry.meta.id : ''));
    expect(evicted).toEqual(['r-size0000', 'r-size0001', 'r-size0002', 'r-size0003'].slice(0, evicted.length));
    expect(evicted.length).toBeGreaterThanOrEqual(3);
    expect(spool.list().at(-1)!.meta.id).toBe('r-size0005');
  });

  it('never lets the files on disk exceed the size bound, not even while a write evicts', () => {
    const onDisk = () => readdirSync(dir).filter((n) => n.endsWith('.rpt')).reduce((n, f) => n + readFileSync(join(dir, f)).length, 0);
    const seen: number[] = [];
    const spool = open({ maxBytes: 3000, onEvent: () => seen.push(onDisk()) });
    // A larger report last: it needs two evictions, and the disk is watched between them.
    for (let i = 0; i < 6; i += 1) {
      spool.write(body(`r-disk000${i}`, i === 5 ? 1900 : 900), { id: `r-disk000${i}` });
      seen.push(onDisk());
    }
    expect(seen.length).toBeGreaterThan(7); // evictions happened and were watched
    expect(Math.max(...seen)).toBeLessThanOrEqual(3000);
  });

  it('passes over an entry being sent: the next oldest is evicted, and the held one only once released', () => {
    let now = 1_800_000_000_000;
    const events: SpoolEvent[] = [];
    const spool = open({ maxBytes: 3200, maxAgeMs: 60_000, now: () => now }, events); // three entries fit
    const sending = spool.write(body('r-send0001', 900), { id: 'r-send0001' });
    spool.write(body('r-next0001', 900), { id: 'r-next0001' });
    spool.hold(sending);
    spool.write(body('r-new00001', 900), { id: 'r-new00001' });
    spool.write(body('r-new00002', 900), { id: 'r-new00002' });
    const evicted = () => events.flatMap((e) => (e.kind === 'evicted' ? [e.entry.meta.id] : []));
    expect(evicted()).toEqual(['r-next0001']);
    expect(spool.list().map((e) => e.meta.id)).toEqual(['r-send0001', 'r-new00001', 'r-new00002']);
    now += 120_000; // every entry is now past the age bound; the held one is still passed over
    expect(spool.enforceLimits().map((e) => e.meta.id)).toEqual(['r-new00001', 'r-new00002']);
    spool.release(sending);
    expect(spool.enforceLimits().map((e) => e.meta.id)).toEqual(['r-send0001']);
  });

  it('evicts entries older than the age bound', () => {
    let now = 1_800_000_000_000;
    const events: SpoolEvent[] = [];
    const spool = open({ maxAgeMs: 60_000, now: () => now }, events);
    spool.write(body('r-old00001'), { id: 'r-old00001' });
    now += 30_000;
    spool.write(body('r-new00001'), { id: 'r-new00001' });
    now += 45_000;
    expect(spool.enforceLimits().map((e) => e.meta.id)).toEqual(['r-old00001']);
    expect(events).toMatchObject([{ kind: 'evicted', reason: 'age' }]);
    expect(spool.list().map((e) => e.meta.id)).toEqual(['r-new00001']);
  });

  it('moves a refused entry to rejected/ and stops offering it', () => {
    const spool = open();
    const e = spool.write(body('r-bad00001'), { id: 'r-bad00001' });
    spool.reject(e, '400 invalid report');
    expect(spool.depth).toBe(0);
    expect(readdirSync(join(dir, 'rejected'))).toHaveLength(1);
    expect(open().depth).toBe(0);
  });

  it('never reuses a sequence number below minSeq', () => {
    const spool = open({ minSeq: 9_000_000_000_000 });
    expect(spool.write(body('r-seq00001'), { id: 'r-seq00001' }).seq).toBeGreaterThan(9_000_000_000_000);
  });
});
