import { randomBytes } from 'node:crypto';
import type { CommandResult, Executor } from '../commands/executor.js';

/*
 * Every exec channel costs the server a session (a fork, a shell): ~0.1 s of sshd CPU each on a
 * small VM. Commands issued in the same tick are therefore sent as ONE POSIX shell script that
 * runs them in order and frames each one's stdout, stderr and exit status between markers. Each
 * command keeps its own result (and its own 检查命令); only the transport is shared.
 */

interface Pending {
  command: string;
  timeoutMs?: number;
  resolve: (r: CommandResult) => void;
  reject: (e: unknown) => void;
}

export function batchScript(commands: string[], token: string): string {
  const parts = commands.map((c, i) => {
    const err = `\${TMPDIR:-/tmp}/xj-${token}-${i}`;
    return `printf '\\n@@${token} ${i} OUT@@\\n'; ( ${c}
) 2>"${err}" </dev/null; rc=$?; printf '\\n@@${token} ${i} ERR@@\\n'; cat "${err}" 2>/dev/null; rm -f "${err}"; printf '\\n@@${token} ${i} RC %d@@\\n' "$rc"`;
  });
  return parts.join('\n');
}

/** Splits a batch's output back into one result per command. */
export function splitBatch(stdout: string, commands: string[], token: string): CommandResult[] {
  return commands.map((command, i) => {
    const out = new RegExp(`\\n@@${token} ${i} OUT@@\\n([\\s\\S]*?)\\n@@${token} ${i} ERR@@\\n([\\s\\S]*?)\\n@@${token} ${i} RC (\\d+)@@`).exec(`\n${stdout}`);
    if (!out) return { command, stdout: '', stderr: 'no output (the batch ended before this command)', code: null };
    return { command, stdout: out[1]!.trim(), stderr: out[2]!.trim(), code: Number(out[3]) };
  });
}

/** An executor whose exec calls made in the same tick share one channel, or one shell (POSIX shells only). */
export function batchingSession(session: Executor): Executor {
  let queue: Pending[] = [];
  const flush = async () => {
    const batch = queue;
    queue = [];
    if (batch.length === 1) {
      const [p] = batch;
      session.exec(p!.command, p!.timeoutMs !== undefined ? { timeoutMs: p!.timeoutMs } : {}).then(p!.resolve, p!.reject);
      return;
    }
    const token = `XJ${randomBytes(6).toString('hex')}`;
    const commands = batch.map((p) => p.command);
    const timeoutMs = batch.reduce((sum, p) => sum + (p.timeoutMs ?? 30_000), 0);
    try {
      const r = await session.exec(batchScript(commands, token), { timeoutMs });
      splitBatch(r.stdout, commands, token).forEach((res, i) => batch[i]!.resolve(res));
    } catch (e) {
      for (const p of batch) p.reject(e);
    }
  };
  return {
    host: session.host,
    exec(command, opts = {}) {
      return new Promise<CommandResult>((resolve, reject) => {
        if (queue.length === 0) setImmediate(() => void flush());
        queue.push({ command, ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}), resolve, reject });
      });
    },
    close: () => session.close(),
  };
}
