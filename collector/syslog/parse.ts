import type { Severity } from '../../schemas/index.js';

/** One syslog message as parsed from RFC 5424 or RFC 3164 (BSD) text. */
export interface SyslogMessage {
  facility: number;
  severity: Severity;
  /** The sender's own time when it gave one that parses, else the receipt time. */
  at: Date;
  hostname?: string;
  app?: string;
  message: string;
  format: '5424' | '3164';
}

/** PRI & 7 → severity (RFC 5424 table 2). */
export const SEVERITIES: readonly Severity[] = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'];
/** Severities up to this index (error) are ingested as SXKR-006 entries. */
export const ERROR_OR_WORSE = 3;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const BSD_TIME = /^(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d+)? /;

const nil = (s: string | undefined) => (s === undefined || s === '-' ? undefined : s);

/** Skips RFC 5424 STRUCTURED-DATA ("-" or [..][..], with \] escapes inside values); returns the rest. */
function skipStructuredData(s: string): string | undefined {
  if (s.startsWith('-')) return s.slice(1);
  let i = 0;
  while (s[i] === '[') {
    let inQuote = false;
    i++;
    for (; i < s.length; i++) {
      const c = s[i];
      if (c === '\\') i++;
      else if (c === '"') inQuote = !inQuote;
      else if (c === ']' && !inQuote) break;
    }
    if (i >= s.length) return undefined;
    i++;
  }
  return i === 0 ? undefined : s.slice(i);
}

function parse5424(pri: number, rest: string, received: Date): SyslogMessage | undefined {
  // VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP SD [SP MSG]
  const m = /^1 (\S+) (\S+) (\S+) (\S+) (\S+) (.*)$/s.exec(rest);
  if (!m) return undefined;
  const after = skipStructuredData(m[6]!);
  if (after === undefined) return undefined;
  const t = m[1] === '-' ? received : new Date(m[1]!);
  const message = after.replace(/^ /, '').replace(/^\uFEFF/, '').trimEnd();
  const host = nil(m[2]);
  const app = nil(m[3]);
  return {
    facility: pri >> 3,
    severity: SEVERITIES[pri & 7]!,
    at: Number.isNaN(t.getTime()) ? received : t,
    ...(host ? { hostname: host } : {}),
    ...(app ? { app } : {}),
    message,
    format: '5424',
  };
}

function parse3164(pri: number, rest: string, received: Date): SyslogMessage {
  let at = received;
  let body = rest;
  let hostname: string | undefined;
  const t = BSD_TIME.exec(rest);
  if (t) {
    // BSD time has no year nor zone: the receipt year, the year before if that lands > 1 day ahead.
    const stamp = new Date(received.getFullYear(), MONTHS.indexOf(t[1]!), Number(t[2]), Number(t[3]), Number(t[4]), Number(t[5]));
    if (stamp.getTime() - received.getTime() > 86_400_000) stamp.setFullYear(stamp.getFullYear() - 1);
    if (!Number.isNaN(stamp.getTime())) at = stamp;
    body = rest.slice(t[0].length);
    const h = /^(\S+) /.exec(body);
    // The HOSTNAME field; a TAG ends with ':' or '[', so that is not a host.
    if (h && !/[:\[]/.test(h[1]!)) {
      hostname = h[1]!;
      body = body.slice(h[0].length);
    }
  }
  const tag = /^([A-Za-z0-9_./-]{1,48})(?:\[\d+\])?: /.exec(body);
  return {
    facility: pri >> 3,
    severity: SEVERITIES[pri & 7]!,
    at,
    ...(hostname ? { hostname } : {}),
    ...(tag ? { app: tag[1]! } : {}),
    message: body.trimEnd(),
    format: '3164',
  };
}

/** Parses one message; undefined when it does not start with a valid <PRI>. */
export function parseSyslog(text: string, received: Date = new Date()): SyslogMessage | undefined {
  const m = /^<(\d{1,3})>/.exec(text);
  if (!m) return undefined;
  const pri = Number(m[1]);
  if (pri > 191) return undefined;
  const rest = text.slice(m[0].length).replace(/[\r\n\0]+$/, '');
  return (rest.startsWith('1 ') ? parse5424(pri, rest, received) : undefined) ?? parse3164(pri, rest, received);
}

/**
 * TCP framing (RFC 6587): octet counting ("<len> <msg>") or non-transparent framing (LF or NUL
 * ends a message). Feed chunks; complete frames come out. A frame above `maxFrame` is cut off.
 */
export class TcpFramer {
  private buf: Buffer = Buffer.alloc(0);
  constructor(private readonly maxFrame = 64 * 1024) {}

  push(chunk: Buffer): string[] {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    const out: string[] = [];
    for (;;) {
      if (!this.buf.length) break;
      const first = this.buf[0]!;
      if (first >= 0x31 && first <= 0x39) {
        // Octet counting: digits, a space, then exactly that many bytes.
        const sp = this.buf.indexOf(0x20);
        if (sp === -1) {
          if (this.buf.length > 10) this.buf = Buffer.alloc(0);
          break;
        }
        const len = Number(this.buf.subarray(0, sp).toString('latin1'));
        if (!Number.isInteger(len) || sp > 9) {
          this.buf = Buffer.alloc(0); // garbage: resynchronise on the next chunk
          break;
        }
        if (this.buf.length < sp + 1 + len) {
          if (len > this.maxFrame) this.buf = Buffer.alloc(0);
          break;
        }
        out.push(this.buf.subarray(sp + 1, sp + 1 + len).toString('utf8'));
        this.buf = this.buf.subarray(sp + 1 + len);
        continue;
      }
      let end = -1;
      for (let i = 0; i < this.buf.length; i++) {
        if (this.buf[i] === 0x0a || this.buf[i] === 0x00) {
          end = i;
          break;
        }
      }
      if (end === -1) {
        if (this.buf.length > this.maxFrame) {
          out.push(this.buf.subarray(0, this.maxFrame).toString('utf8'));
          this.buf = Buffer.alloc(0);
        }
        break;
      }
      const line = this.buf.subarray(0, end).toString('utf8').replace(/\r$/, '');
      if (line) out.push(line);
      this.buf = this.buf.subarray(end + 1);
    }
    return out;
  }

  /** What is left when the connection ends (a last unterminated line). */
  end(): string[] {
    const rest = this.buf.toString('utf8').trim();
    this.buf = Buffer.alloc(0);
    return rest ? [rest] : [];
  }
}
