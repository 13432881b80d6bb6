import { closeSync, constants, openSync, readFileSync, readSync } from 'node:fs';

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
  const m = /^(\d+),\d+,(\d+),[^;]*;(.*)$/.exec(record);
  if (!m) return undefined;
  const pri = Number(m[1]);
  const facility = FACILITIES[pri >> 3] ?? `fac${pri >> 3}`;
  const level = LEVELS[pri & 7]!;
  const usec = Number(m[2]);
  const at = new Date(bootMs + Math.floor(usec / 1000));
  const iso = `${at.toISOString().slice(0, 19)},${String((bootMs * 1000 + usec) % 1_000_000).padStart(6, '0')}+00:00`;
  return `${`${facility}`.padEnd(6)}:${level.padEnd(6)}: ${iso} ${m[3]}`;
}

/** Every record /dev/kmsg still holds, as dmesg's ISO lines; throws when it cannot be opened. */
export function readKmsg(): string {
  const uptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
  const bootMs = Date.now() - Math.round(uptime * 1000);
  const fd = openSync('/dev/kmsg', constants.O_RDONLY | constants.O_NONBLOCK);
  const out: string[] = [];
  const buf = Buffer.alloc(16 * 1024);
  try {
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
      const line = kmsgLine(buf.toString('utf8', 0, n).split('\n', 1)[0]!, bootMs);
      if (line) out.push(line);
    }
  } finally {
    closeSync(fd);
  }
  return out.join('\n');
}
