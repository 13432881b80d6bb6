/**
 * The agent's /dev/kmsg reader, held open between cycles, on this host's real ring buffer: each
 * read returns only what is at or after `since`, a record the kernel logs meanwhile is seen by
 * the next read, and a failed read forgets what it held (the next one reads the buffer afresh,
 * once). Writing a record needs root, as the agent's own reading does on most hosts.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createKmsgReader, readKmsg } from '../../checks/sources/local/kmsg.js';
import { parseDmesg } from '../../checks/sources/ssh/dmesg.js';

const dir = mkdtempSync(join(tmpdir(), 'xj-kmsg-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One info-level record in the kernel log, as a driver would print it. */
function logRecord(): string {
  const text = `xunjian kmsg reader test ${randomUUID()}`;
  writeFileSync('/dev/kmsg', `<6>${text}\n`);
  return text;
}

describe('/dev/kmsg read incrementally through a held descriptor', () => {
  it('a record logged between two reads is in the second, and `since` keeps only the newer records', () => {
    const reader = createKmsgReader();
    try {
      const first = reader.read();
      expect(first.held).toBeGreaterThan(0);
      expect(first.text.split('\n')).toHaveLength(first.held);
      const before = new Date();
      const text = logRecord();
      const second = reader.read(new Date(before.getTime() - 1000));
      expect(second.held).toBeGreaterThanOrEqual(first.held + 1); // the kernel may log something else meanwhile
      expect(second.text).toContain(text);
      expect(second.text.split('\n').length).toBeLessThan(second.held);
      // The parser's own since cut agrees: every line handed over is counted.
      const parsed = parseDmesg(second.text, { command: 'kmsg', at: new Date().toISOString() }, { since: new Date(before.getTime() - 1000) });
      expect(parsed.measurements.find((m) => m.metric === 'log.scanned')?.value).toBe(second.text.split('\n').length);
      // Nothing new: nothing after now, but the records are still held (no "printed nothing").
      const third = reader.read(new Date(Date.now() + 60_000));
      expect(third.text).toBe('');
      expect(third.held).toBeGreaterThanOrEqual(second.held);
    } finally {
      reader.close();
    }
  });

  it('a failed read forgets what was held: the next reads the whole buffer again, each record once', () => {
    const uptime = join(dir, 'uptime');
    writeFileSync(uptime, readFileSync('/proc/uptime'));
    const reader = createKmsgReader('/dev/kmsg', uptime);
    try {
      const first = reader.read();
      rmSync(uptime);
      expect(() => reader.read()).toThrow(/ENOENT/);
      writeFileSync(uptime, readFileSync('/proc/uptime'));
      const again = reader.read();
      expect(again.held).toBeGreaterThanOrEqual(first.held);
      expect(again.held).toBeLessThan(first.held * 2);
      const lines = again.text.split('\n');
      expect(new Set(lines).size).toBe(lines.length);
      expect(Math.abs(again.held - readKmsg().split('\n').length)).toBeLessThanOrEqual(1);
    } finally {
      reader.close();
    }
  });

  it('a path that cannot be opened throws every time: no earlier answer stands in for it', () => {
    const reader = createKmsgReader(join(dir, 'no-such-kmsg'));
    expect(() => reader.read()).toThrow(/ENOENT/);
    expect(() => reader.read()).toThrow(/ENOENT/);
  });
});
