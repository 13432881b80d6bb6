import { closeSync, constants, openSync, readSync } from 'node:fs';
import { readKernelFile } from './kernel-file.js';

/*
 * The kernel ring buffer read from /dev/kmsg in-process, written out as `dmesg -x --time-format
 * iso` prints it, so the Linux command set's parser (ssh/dmesg.ts) reads it. The agent takes this
 * path every cycle on a host without a journal or syslog file: spawning `dmesg` there cost ~15 ms
 * of CPU per cycle (bench/agent-footprint), reading ~400 records here well under one.
 */

const FACILITIES = ['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp'];
const LEVELS = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];

/** `kern  :err   : 2026-11-28T06:49:17,479909+00:00 message`, as util-linux dmesg pads it. */
export function kmsgLine(record: string, bootMs: number): string | undefined {
  return kmsgRecord(record, bootMs)?.line;
}

function kmsgRecord(record: string, bootMs: number): KmsgRecord | undefined {
  const m = /^(\d+),\d+,(\d+),[^;]*;(.*)$/.exec(record);
  if (!m) return undefined;
  const pri = Number(m[1]);
  const facility = FACILITIES[pri >> 3] ?? `fac${pri >> 3}`;
  const level = LEVELS[pri & 7]!;
  const usec = Number(m[2]);
  const ms = bootMs + Math.floor(usec / 1000);
  const iso = `${new Date(ms).toISOString().slice(0, 19)},${String((bootMs * 1000 + usec) % 1_000_000).padStart(6, '0')}+00:00`;
  return { ms, line: `${`${facility}`.padEnd(6)}:${level.padEnd(6)}: ${iso} ${m[3]}` };
}

/** One record as dmesg prints it, with the millisecond the dmesg parser will read from it. */
interface KmsgRecord {
  ms: number;
  line: string;
}

/** At most this many records are kept between reads (the kernel's own buffer holds far fewer). */
const HELD_RECORDS = 20_000;

/**
 * Reads the records appended to /dev/kmsg since its previous call through one descriptor held
 * open between calls (each open descriptor has its own position in the ring buffer), keeping the
 * records read so far. The agent calls this every cycle on a host without a journal: reading and
 * formatting the whole ring buffer (~400 records, one read(2) each) every cycle was the largest
 * share of its CPU; now a cycle reads only what the kernel logged meanwhile. Any error other than
 * "read to the end" or "records overwritten" closes the descriptor and forgets what was held, so
 * the next call opens it again and reads the whole buffer afresh — nothing read before a failure
 * is taken as current without being read again.
 */
export function createKmsgReader(path = '/dev/kmsg', uptimePath = '/proc/uptime') {
  let fd: number | undefined;
  let held: KmsgRecord[] = [];
  const buf = Buffer.alloc(16 * 1024);
  const close = () => {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // already gone
      }
    }
    fd = undefined;
    held = [];
  };
  return {
    /** Records held (read now or before) at or after `since`; throws when /dev/kmsg cannot be read. */
    read(since?: Date): { text: string; held: number } {
      try {
        const uptime = Number(readKernelFile(uptimePath).split(' ')[0]);
        const bootMs = Date.now() - Math.round(uptime * 1000);
        if (fd === undefined) {
          fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
          held = [];
        }
        for (;;) {
          let n: number;
          try {
            n = readSync(fd, buf, 0, buf.length, null);
          } catch (e) {
            const code = (e as NodeJS.ErrnoException).code;
            if (code === 'EAGAIN') break; // read to the end
            if (code === 'EPIPE') continue; // records overwritten meanwhile: go on from the oldest kept
            throw e;
          }
          if (n === 0) break;
          // One record per read; continuation lines (" KEY=value") carry the device dictionary.
          const record = kmsgRecord(buf.toString('utf8', 0, n).split('\n', 1)[0]!, bootMs);
          if (record) held.push(record);
        }
        if (held.length > HELD_RECORDS) held = held.slice(held.length - HELD_RECORDS);
      } catch (e) {
        close();
        throw e;
      }
      // The same cut as the dmesg parser's `since` (it reads back exactly `ms`), made before the
      // lines are joined and parsed again.
      const from = since?.getTime() ?? -Infinity;
      const lines: string[] = [];
      for (const r of held) if (r.ms >= from) lines.push(r.line);
      return { text: lines.join('\n'), held: held.length };
    },
    close,
  };
}

/** Every record /dev/kmsg still holds, as dmesg's ISO lines; throws when it cannot be opened. */
export function readKmsg(): string {
  const reader = createKmsgReader();
  try {
    return reader.read().text;
  } finally {
    reader.close();
  }
}
