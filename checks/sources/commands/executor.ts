/**
 * Where a command set's commands run: an SSH session on a remote host, or a child process on this
 * one. Both answer the same way — the command's stdout, stderr and exit status — so one command
 * set and one set of parsers per OS serve the poller, the field CLI and the agent alike.
 */
export interface CommandResult {
  command: string;
  stdout: string;
  stderr: string;
  /** null: no exit status (killed, or the session ended before the command did). */
  code: number | null;
}

export interface Executor {
  /** For messages: the host the commands run on. */
  readonly host: string;
  /** Resolves with any exit status; rejects only when the command could not run or timed out. */
  exec(command: string, opts?: { timeoutMs?: number }): Promise<CommandResult>;
  close(): void;
}
