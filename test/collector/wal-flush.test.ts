import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../collector/ingest/batcher.js';
import { openDatabase } from '../../collector/storage/db.js';
import { SqliteStore } from '../../collector/storage/sqlite-store.js';
import { WalSync } from '../../collector/storage/wal-sync.js';
import { tempDir } from '../helpers/collector.js';
import { nodeEntry } from '../helpers/node-entry.js';

/**
 * The group commit's COMMIT does not wait for the disk; its callers do (collector/storage/wal-sync.ts).
 * Seen in the system calls of a real process (strace), a transaction committed with `flushOffLoop`
 * resolves only after an fsync of the write-ahead log that followed the commit's last write to it,
 * and that fsync was not made by the event loop's thread. The same trace of a database at
 * durability `normal` — frames written, never flushed — is what the assertion refuses.
 */

interface Call {
  pid: number;
  text: string;
}

/** strace -f lines as whole calls: an `<unfinished ...>` call is placed where it resumed (returned). */
function calls(trace: string): Call[] {
  const pending = new Map<number, string>();
  const out: Call[] = [];
  for (const line of trace.split('\n')) {
    const m = /^(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const pid = Number(m[1]);
    const text = m[2]!;
    if (text.endsWith('<unfinished ...>')) {
      pending.set(pid, text.slice(0, -'<unfinished ...>'.length));
      continue;
    }
    const resumed = /^<\.\.\. \w+ resumed>(.*)$/.exec(text);
    if (resumed) {
      out.push({ pid, text: `${pending.get(pid) ?? ''}${resumed[1]}` });
      pending.delete(pid);
      continue;
    }
    out.push({ pid, text });
  }
  return out;
}

/** What the trace says of the commit and the moment its promise resolved. */
function commitAndFlush(trace: string, db: string) {
  const all = calls(trace);
  const resolvedAt = all.findIndex((c) => c.text.startsWith('write(1, "resolved'));
  expect(resolvedAt, 'the child printed "resolved"').toBeGreaterThan(0);
  const loop = all[resolvedAt]!.pid;
  // Descriptors of the log, as they were at each call: SQLite's own and any opened to flush it.
  const walFds = new Set<number>();
  let lastFrameWrite = -1;
  const flushes: { index: number; pid: number }[] = [];
  all.slice(0, resolvedAt).forEach((c, index) => {
    const opened = /^openat\(AT_FDCWD, "([^"]+)", .*\) = (\d+)$/.exec(c.text);
    if (opened) {
      if (opened[1] === `${db}-wal`) walFds.add(Number(opened[2]));
      else walFds.delete(Number(opened[2]));
      return;
    }
    const closed = /^close\((\d+)\)/.exec(c.text);
    if (closed) return void walFds.delete(Number(closed[1]));
    const write = /^pwrite64\((\d+),/.exec(c.text);
    if (write && walFds.has(Number(write[1]))) lastFrameWrite = index;
    const sync = /^f(?:data)?sync\((\d+)\)\s+= 0$/.exec(c.text);
    if (sync && walFds.has(Number(sync[1]))) flushes.push({ index, pid: c.pid });
  });
  expect(lastFrameWrite, 'the commit wrote frames to the log').toBeGreaterThan(0);
  const after = flushes.filter((f) => f.index > lastFrameWrite);
  return { flushedBeforeResolve: after.length > 0, flushedOnLoop: after.some((f) => f.pid === loop) };
}

describe('the group commit flushes the log off the event loop, before it answers', () => {
  const dir = tempDir('xunjian-wal-flush-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function traced(mode: 'off-loop' | 'in-commit' | 'never', name: string) {
    const db = join(dir, `${name}.db`);
    const out = join(dir, `${name}.trace`);
    const child = spawnSync('strace', ['-f', '-o', out, '-e', 'trace=openat,close,pwrite64,fsync,fdatasync,write', process.execPath, ...nodeEntry(join(import.meta.dirname, 'fixtures/wal-flush-child.ts')), db, mode], {
      encoding: 'utf8',
    });
    expect(child.stderr).toBe('');
    expect(child.status).toBe(0);
    const reader = new Database(db, { readonly: true });
    try {
      expect(reader.prepare('SELECT x FROM t').all()).toEqual([{ x: 'a row the test looks for' }]);
    } finally {
      reader.close();
    }
    return { stdout: child.stdout, ...commitAndFlush(readFileSync(out, 'utf8'), db) };
  }

  it('off the loop: resolves after an fsync of the log by a pool thread, and leaves the connection at FULL', () => {
    const t = traced('off-loop', 'off');
    expect(t.flushedBeforeResolve).toBe(true);
    expect(t.flushedOnLoop).toBe(false);
    expect(t.stdout).toContain('synchronous=2');
  });

  it('an ordinary transaction still flushes inside COMMIT, on the loop', () => {
    const t = traced('in-commit', 'in');
    expect(t.flushedBeforeResolve).toBe(true);
    expect(t.flushedOnLoop).toBe(true);
  });

  it('the trace tells an unflushed commit apart (durability normal)', () => {
    const t = traced('never', 'never');
    expect(t.flushedBeforeResolve).toBe(false);
  });
});

/** A WalSync whose flushes the test starts and ends by hand. */
class HeldFlushes extends WalSync {
  readonly log: string[] = [];
  private readonly ends: ((error?: Error) => void)[] = [];
  private count = 0;

  protected override flushOnce(): Promise<void> {
    const n = ++this.count;
    this.log.push(`start ${n}`);
    return new Promise((resolve, reject) => {
      this.ends.push((error) => {
        this.log.push(`end ${n}`);
        if (error) reject(error);
        else resolve();
      });
    });
  }

  end(error?: Error): void {
    this.ends.shift()!(error);
  }
}

const settled = (p: Promise<unknown>, log: string[], name: string) =>
  p.then(
    () => log.push(`${name} resolved`),
    (e: Error) => log.push(`${name} failed: ${e.message}`),
  );
const turn = () => new Promise((r) => setImmediate(r));

describe('WalSync: a caller is answered by a flush that began after it asked', () => {
  it('callers arriving during a flush share the next one; one flush at a time', async () => {
    const w = new HeldFlushes('/nonexistent-wal');
    const a = settled(w.sync(), w.log, 'a');
    const b = settled(w.sync(), w.log, 'b');
    const c = settled(w.sync(), w.log, 'c');
    await turn();
    expect(w.log).toEqual(['start 1']);
    w.end();
    await a;
    await turn();
    // b and c asked while flush 1 ran: it may have begun before their commits, so flush 2 answers them.
    expect(w.log).toEqual(['start 1', 'end 1', 'a resolved', 'start 2']);
    w.end();
    await Promise.all([b, c]);
    expect(w.log).toEqual(['start 1', 'end 1', 'a resolved', 'start 2', 'end 2', 'b resolved', 'c resolved']);
    // Idle again: the next caller starts a flush at once.
    const d = settled(w.sync(), w.log, 'd');
    expect(w.log.at(-1)).toBe('start 3');
    w.end();
    await d;
    expect(w.log.at(-1)).toBe('d resolved');
  });

  it('a failed flush fails its callers, and the next caller gets a flush of its own', async () => {
    const w = new HeldFlushes('/nonexistent-wal');
    const a = settled(w.sync(), w.log, 'a');
    const b = settled(w.sync(), w.log, 'b');
    w.end(new Error('EIO'));
    await a;
    await turn();
    w.end(new Error('EIO again'));
    await b;
    const c = settled(w.sync(), w.log, 'c');
    w.end();
    await c;
    expect(w.log).toEqual(['start 1', 'end 1', 'a failed: EIO', 'start 2', 'end 2', 'b failed: EIO again', 'start 3', 'end 3', 'c resolved']);
  });

  it('the real flush of a missing log is an error, not a silent success', async () => {
    await expect(new WalSync('/nonexistent-dir/db-wal').sync()).rejects.toThrow(/ENOENT/);
  });
});

/** This process's descriptors open on `path` (or on it since deleted). */
function descriptorsOf(path: string): string[] {
  const fds: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).replace(/ \(deleted\)$/, '') === path) fds.push(fd);
    } catch {
      // Closed while listed (readdir's own descriptor).
    }
  }
  return fds.sort();
}

describe('WalSync.inProgress: the flush the group commit waits for', () => {
  it('is nothing when idle, and ends with the running flush and the one queued after it, failed or not', async () => {
    const w = new HeldFlushes('/nonexistent-wal');
    expect(w.inProgress()).toBeUndefined();
    const a = settled(w.sync(), w.log, 'a');
    const b = settled(w.sync(), w.log, 'b');
    const both = settled(w.inProgress()!, w.log, 'in progress');
    w.end(new Error('EIO'));
    await a;
    await turn();
    // Flush 1 failed, flush 2 (b's) runs: still in progress.
    expect(w.log).toEqual(['start 1', 'end 1', 'a failed: EIO', 'start 2']);
    w.end();
    await Promise.all([b, both]);
    expect(w.log).toEqual(['start 1', 'end 1', 'a failed: EIO', 'start 2', 'end 2', 'b resolved', 'in progress resolved']);
    expect(w.inProgress()).toBeUndefined();
  });
});

describe('the group commit stores what arrives during the log flush in the next batch', () => {
  const dir = tempDir('xunjian-paced-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('waits for the flush in progress before it begins a batch, then stores everything queued in one transaction', async () => {
    const db = openDatabase(join(dir, 'paced.db'), { durability: 'full' });
    db.exec('CREATE TABLE t (x TEXT NOT NULL)');
    const store = new SqliteStore(db);
    // The flush of an earlier batch, held by the test; the batches' own flushes are real.
    let release!: () => void;
    let flushing: Promise<void> | undefined = new Promise<void>((resolve) => (release = resolve));
    store.logFlush = () => flushing;
    const transaction = store.transaction.bind(store);
    let batches = 0;
    store.transaction = (fn, options) => {
      if (!store.inTransaction()) batches++;
      return transaction(fn, options);
    };
    const stored: string[] = [];
    const batcher = new GroupCommit(store, (x: string) =>
      store.transaction(async () => {
        await store.run('INSERT INTO t (x) VALUES (?)', [x]);
        stored.push(x);
        return x;
      }),
    );

    const a = batcher.submit('a');
    await turn();
    await turn();
    const b = batcher.submit('b');
    const c = batcher.submit('c');
    await turn();
    expect(stored, 'nothing is stored while the earlier flush runs').toEqual([]);
    flushing = undefined;
    release();
    expect(await Promise.all([a, b, c])).toEqual(['a', 'b', 'c']);
    expect(stored).toEqual(['a', 'b', 'c']);
    expect(batches, 'one transaction for the three').toBe(1);

    // No flush in progress: the next report is stored at once, in a batch of its own.
    expect(await batcher.submit('d')).toBe('d');
    expect(batches).toBe(2);
    expect(db.prepare('SELECT x FROM t ORDER BY x').all()).toEqual([{ x: 'a' }, { x: 'b' }, { x: 'c' }, { x: 'd' }]);
    await store.close();
  });
});

describe('WalSync: one descriptor of the log for every flush, let go on close', () => {
  const dir = tempDir('xunjian-wal-fd-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('flushes through the same descriptor beside SQLite’s own, and closes it with the store', async () => {
    const path = join(dir, 'kept.db');
    const store = new SqliteStore(openDatabase(path, { durability: 'full' }));
    await store.exec('CREATE TABLE t (x INTEGER)');
    const write = (x: number) => store.transaction(() => store.run('INSERT INTO t VALUES (?)', [x]), { flushOffLoop: true });
    const sqliteOwn = descriptorsOf(`${path}-wal`);
    expect(sqliteOwn).toHaveLength(1);
    await write(1);
    const afterFirst = descriptorsOf(`${path}-wal`);
    expect(afterFirst).toHaveLength(2);
    for (let i = 2; i <= 20; i++) await write(i);
    // Twenty flushes, one descriptor: no open and close each time.
    expect(descriptorsOf(`${path}-wal`)).toEqual(afterFirst);
    expect(await store.get('SELECT count(*) AS n FROM t')).toEqual({ n: 20 });
    await store.close();
    expect(descriptorsOf(`${path}-wal`)).toEqual([]);
  });

  it('a flush that finds no log fails, and the next flush opens the log once it is there', async () => {
    const wal = join(dir, 'late.db-wal');
    const w = new WalSync(wal);
    await expect(w.sync()).rejects.toThrow(/ENOENT/);
    const db = openDatabase(join(dir, 'late.db'), { durability: 'full' });
    db.exec('CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)');
    await w.sync();
    expect(descriptorsOf(wal)).toHaveLength(2);
    await w.close();
    expect(descriptorsOf(wal)).toHaveLength(1);
    db.close();
  });
});
