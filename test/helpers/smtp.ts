/**
 * A real SMTP server for tests (the `smtp-server` package) on a loopback port: STARTTLS with a
 * certificate made for the test, or TLS from the first byte (`secure`), AUTH PLAIN/LOGIN against
 * the given users, every accepted message kept raw for `mailparser`. `rejectNext` answers the
 * next message with an SMTP reply code (a 4yz temporary or 5yz permanent failure).
 */
import { SMTPServer } from 'smtp-server';
import { makeLoopbackCertificate, type LoopbackCertificate } from './notify-endpoints.js';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: Buffer;
  /** The AUTH user of the session, if any. */
  user?: string;
  /** Whether the session was encrypted when the message came. */
  secure: boolean;
}

export interface TestSmtp {
  port: number;
  cert: LoopbackCertificate;
  received: ReceivedMail[];
  /** SMTP sessions opened so far, and how many are open now (a pooled client reuses them). */
  sessions: { opened: number; open: number };
  rejectNext(code: number, message: string): void;
  stop(): Promise<void>;
}

export async function startSmtp(options: { users?: Record<string, string>; secure?: boolean; cert?: LoopbackCertificate; authOptional?: boolean } = {}): Promise<TestSmtp> {
  const cert = options.cert ?? makeLoopbackCertificate();
  const received: ReceivedMail[] = [];
  let reject: { code: number; message: string } | undefined;
  const sessions = { opened: 0, open: 0 };
  const server = new SMTPServer({
    onConnect(_session, callback) {
      sessions.opened++;
      sessions.open++;
      callback();
    },
    onClose() {
      sessions.open--;
    },
    secure: options.secure ?? false,
    key: cert.key,
    cert: cert.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: options.authOptional ?? false,
    // AUTH only over TLS (the default): a client that skipped STARTTLS cannot log in.
    allowInsecureAuth: false,
    logger: false,
    disabledCommands: [],
    onAuth(auth, _session, callback) {
      const want = options.users?.[auth.username ?? ''];
      if (want !== undefined && want === auth.password) return callback(null, { user: auth.username });
      return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (reject) {
          const r = reject;
          reject = undefined;
          return callback(Object.assign(new Error(r.message), { responseCode: r.code }));
        }
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks),
          ...(typeof session.user === 'string' ? { user: session.user } : {}),
          secure: session.secure,
        });
        callback();
      });
    },
  });
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    cert,
    received,
    sessions,
    rejectNext: (code, message) => void (reject = { code, message }),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
