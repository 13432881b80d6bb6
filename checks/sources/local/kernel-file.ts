import { closeSync, openSync, readSync } from 'node:fs';

/** Kept between reads: most /proc and sysfs files fit, so a read allocates only its string. */
let shared = Buffer.allocUnsafe(16 * 1024);

/**
 * A /proc or sysfs file read whole, synchronously: one open, reads into a kept buffer until the
 * end, one close. Their content is made by the kernel from memory (never a disk or a network
 * file system, so a synchronous read blocks nothing), and the agent reads about a hundred of them
 * every cycle: readFileSync's options, fstat and buffer sizing, or fs/promises' four thread-pool
 * round trips, cost more CPU than the kernel's work — all the more as the agent runs without the
 * optimising compiler. Throws as readFileSync does (ENOENT, EACCES, EIO from a sensor's driver).
 */
export function readKernelFile(path: string): string {
  const fd = openSync(path, 'r');
  try {
    let length = 0;
    for (;;) {
      if (length === shared.length) {
        const bigger = Buffer.allocUnsafe(shared.length * 2);
        shared.copy(bigger, 0, 0, length);
        shared = bigger;
      }
      const n = readSync(fd, shared, length, shared.length - length, null);
      if (n === 0) return shared.toString('utf8', 0, length);
      length += n;
    }
  } finally {
    closeSync(fd);
  }
}
