import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { readKernelFile } from '../../checks/sources/local/kernel-file.js';

describe('readKernelFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xunjian-kernel-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('reads /proc files whole, as readFileSync does', () => {
    // Stable between the two reads: the mounts and the file systems the kernel knows.
    for (const path of ['/proc/self/mounts', '/proc/filesystems', '/proc/cpuinfo']) expect(readKernelFile(path)).toBe(readFileSync(path, 'utf8'));
  });

  test('a file many times its buffer, one after another: each whole, none mixed with the last', () => {
    const big = join(dir, 'big');
    const text = `${'0123456789abcdef'.repeat(5000)}\n— 尾`;
    writeFileSync(big, text);
    const small = join(dir, 'small');
    writeFileSync(small, '42\n');
    expect(readKernelFile(big)).toBe(text);
    expect(readKernelFile(small)).toBe('42\n');
    expect(readKernelFile(big)).toBe(text);
  });

  test('throws what the system said: a missing file, a directory', () => {
    expect(() => readKernelFile(join(dir, 'absent'))).toThrow(/ENOENT/);
    expect(() => readKernelFile(dir)).toThrow(/EISDIR/);
  });
});
