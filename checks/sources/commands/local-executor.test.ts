import { describe, expect, it } from 'vitest';
import { LocalCommandTimeout, localExecutor } from './local-executor.js';

describe('localExecutor: the SSH session contract on this host', () => {
  const shell = localExecutor();

  it('a non-zero exit resolves with the output and the status (the command set judges it)', async () => {
    expect(await shell.exec('echo out; echo err >&2; exit 3')).toEqual({ command: 'echo out; echo err >&2; exit 3', stdout: 'out', stderr: 'err', code: 3 });
    expect((await shell.exec('no-such-command-xj')).code).toBe(127);
  });

  it('runs in the C locale', async () => {
    expect((await shell.exec('echo "$LC_ALL"')).stdout).toBe('C');
  });

  it('a command past its timeout is killed and rejects, as a timed-out SSH command does', async () => {
    await expect(shell.exec('sleep 5', { timeoutMs: 200 })).rejects.toBeInstanceOf(LocalCommandTimeout);
  });
});
