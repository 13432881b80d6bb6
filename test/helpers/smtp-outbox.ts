/**
 * A real SMTP server (the `smtp-server` package) on a loopback port for the outbox tests (the
 * channel tests use smtp.ts: TLS, AUTH, refusals), with
 * every accepted message parsed back by `mailparser`; and an e-mail channel built directly on
 * nodemailer that sends to it, so a test drives the collector's real outbox and sender end to end.
 */
import { simpleParser, type ParsedMail } from 'mailparser';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import type { Channel, ChannelDirectory, DeliveryResult, OutgoingMessage } from '../../collector/notify/index.js';

export interface ReceivedMail {
  /** The raw message as the server accepted it. */
  raw: string;
  parsed: ParsedMail;
  acceptedAt: number;
}

export interface TestSmtpServer {
  port: number;
  user: string;
  password: string;
  received: ReceivedMail[];
  /** Messages whose DATA arrived while `hold` said to keep them: never accepted (the client waits). */
  held: number;
  /** While true, incoming messages are kept waiting (no answer to DATA): a send in flight. */
  hold: boolean;
  /** Resolves when `n` messages have been accepted. */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const user = 'xunjian-notify';
  const password = `smtp-secret-${process.pid}-${Math.random().toString(36).slice(2)}`;
  const waiters: { n: number; resolve: () => void }[] = [];
  const state: TestSmtpServer = {
    port: 0,
    user,
    password,
    received: [],
    held: 0,
    hold: false,
    waitFor: (n, timeoutMs = 60_000) =>
      new Promise((resolve, reject) => {
        if (state.received.length >= n) return resolve(state.received);
        const timer = setTimeout(() => reject(new Error(`SMTP server: ${state.received.length} of ${n} messages accepted`)), timeoutMs);
        waiters.push({ n, resolve: () => (clearTimeout(timer), resolve(state.received)) });
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    // No reverse DNS of 127.0.0.1 per connection (the machine may have no resolver: each lookup waits for its timeout).
    disableReverseLookup: true,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) callback(null, { user });
      else callback(new Error('invalid credentials'));
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (state.hold) {
          // Never answered: the sender's SMTP transaction stays open, as if the relay were slow.
          state.held++;
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        void simpleParser(raw).then((parsed) => {
          state.received.push({ raw, parsed, acceptedAt: Date.now() });
          callback();
          for (const w of waiters.filter((w) => state.received.length >= w.n)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve();
          }
        }, callback);
      });
    },
  });
  state.port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port)));
  return state;
}

/**
 * An e-mail channel over nodemailer (SMTP with auth) — the shape of the channels engineer's
 * channel, built here so the notification core is tested against a real server before the merge.
 * Message-ID carries the outbox id: a message resent after a crash is recognisably the same one.
 */
export function emailChannel(name: string, smtp: Pick<TestSmtpServer, 'port' | 'user' | 'password'>, from = 'xunjian@example.test'): Channel {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtp.port, secure: false, ignoreTLS: true, auth: { user: smtp.user, pass: smtp.password }, connectionTimeout: 10_000, socketTimeout: 60_000 });
  return {
    name,
    kind: 'email',
    async send(message: OutgoingMessage): Promise<DeliveryResult> {
      if (!message.to?.length) return { outcome: 'dead', reason: 'no recipient address' };
      try {
        const info = await transport.sendMail({
          from,
          to: message.to,
          subject: message.title,
          text: [...message.lines, '', ...(message.link ? [message.link] : [])].join('\n'),
          messageId: `<xunjian-notify-${message.id}@example.test>`,
          headers: { 'Content-Language': message.lang === 'zh' ? 'zh-CN' : 'en', 'X-Xunjian-Id': message.id },
        });
        return { outcome: 'sent', detail: info.response };
      } catch (err) {
        const code = (err as { responseCode?: number }).responseCode;
        const reason = err instanceof Error ? err.message : String(err);
        return code !== undefined && code >= 500 ? { outcome: 'dead', reason } : { outcome: 'retry', reason };
      }
    },
  };
}

/** A directory of the given channels (what collector/notify/channels provides in the product). */
export function directoryOf(...channels: Channel[]): ChannelDirectory {
  const byName = new Map(channels.map((c) => [c.name, c]));
  return { get: (name) => Promise.resolve(byName.get(name)), list: () => Promise.resolve([...byName.keys()]) };
}
