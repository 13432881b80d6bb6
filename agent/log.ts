/**
 * The agent's log: one line per event on stderr (journald, the SRC or the Windows service wrapper
 * capture it). `XUNJIAN_AGENT_LOG=debug` shows more.
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface AgentLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createLog(
  level: LogLevel = (process.env.XUNJIAN_AGENT_LOG as LogLevel) || 'info',
  write: (line: string) => void = (line) => void process.stderr.write(line),
): AgentLog {
  const min = ORDER[level] ?? 1;
  const at = (l: LogLevel) => (message: string) => {
    if (ORDER[l] >= min) write(`${new Date().toISOString()} ${l.toUpperCase()} ${message}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
