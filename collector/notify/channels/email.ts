import nodemailer from 'nodemailer';
import type { EmailSettings } from '../../../schemas/index.js';
import { redact } from './http.js';
import { htmlOf, subjectOf, textOf } from './render.js';
import type { Channel, DeliveryResult, OutgoingMessage } from './types.js';
import { LANG_TAG } from '../../../checks/index.js';

/*
 * E-mail over SMTP with nodemailer. starttls: the session must be upgraded (requireTLS) before
 * AUTH — a server that does not offer STARTTLS is refused, never talked to in the clear; tls: TLS
 * from the first byte (port 465); none: a relay on a trusted network. The message id is the
 * outbox id (Message-ID and X-Xunjian-Message-Id), so a resend after a crash is recognisable.
 *
 * Pooled: one transport per channel keeps up to POOL_CONNECTIONS SMTP sessions open and sends
 * POOL_MESSAGES messages down each before it reconnects, so a burst after an outage pays one
 * STARTTLS + AUTH per connection, not one per message. An idle session is closed by the socket
 * timeout; the channel directory closes the pool when the channel is changed or deleted.
 */

export type { EmailSettings };

const TIMEOUT_MS = 15_000;
/** Relays commonly allow a handful of sessions per client; the sender runs more sends than this at once, the pool queues them. */
export const POOL_CONNECTIONS = 4;
const POOL_MESSAGES = 100;

/** `<notify-42.xunjian@host>`: RFC 5322 wants the id-left free of spaces and brackets. */
export const messageIdOf = (id: string, host: string) => `<${id.replace(/[^A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]/g, '_')}.xunjian@${host}>`;

export function emailChannel(name: string, settings: EmailSettings, secrets: { password?: string }): Channel {
  const what = `SMTP server ${settings.host}:${settings.port}`;
  const hidden = [secrets.password ?? ''];
  let pool: ReturnType<typeof nodemailer.createTransport> | undefined;
  const transport = () =>
    (pool ??= nodemailer.createTransport({
      pool: true,
      maxConnections: POOL_CONNECTIONS,
      maxMessages: POOL_MESSAGES,
      host: settings.host,
      port: settings.port,
      secure: settings.security === 'tls',
      requireTLS: settings.security === 'starttls',
      ignoreTLS: settings.security === 'none',
      ...(settings.user ? { auth: { user: settings.user, pass: secrets.password ?? '' } } : {}),
      ...(settings.ca ? { tls: { ca: settings.ca } } : {}),
      connectionTimeout: TIMEOUT_MS,
      greetingTimeout: TIMEOUT_MS,
      socketTimeout: TIMEOUT_MS,
    }));
  return {
    name,
    kind: 'email',
    close() {
      pool?.close();
      pool = undefined;
    },
    async send(message: OutgoingMessage): Promise<DeliveryResult> {
      const to = message.to?.length ? message.to : settings.to;
      if (!to?.length) return { outcome: 'dead', reason: `no recipient: the message names none and channel ${name} has no default "to"` };
      try {
        const info = await transport().sendMail({
          from: settings.from,
          to,
          subject: subjectOf(message),
          text: textOf(message),
          html: htmlOf(message).markup,
          messageId: messageIdOf(message.id, 'notify'),
          headers: { 'X-Xunjian-Message-Id': message.id, 'Content-Language': LANG_TAG[message.lang] },
          ...(message.priority === 'P1' || message.priority === 'P2' ? { priority: 'high' as const } : {}),
        });
        return { outcome: 'sent', detail: redact(`${what}: ${info.response ?? 'accepted'}`, hidden) };
      } catch (err) {
        return smtpFailure(err, what, hidden);
      }
    },
  };
}

/**
 * An SMTP failure for the sender: a 4yz reply is temporary (RFC 5321 §4.2.1), a 5yz permanent;
 * refused credentials and certificates that will not verify need a person; a lost or refused
 * connection is retried.
 */
export function smtpFailure(err: unknown, what: string, hidden: readonly string[]): DeliveryResult {
  const e = err as { code?: string; responseCode?: number; message?: string };
  const said = redact(`${what}: ${e.message ?? String(err)}`, hidden);
  if (typeof e.responseCode === 'number') {
    if (e.code === 'EAUTH' && e.responseCode !== 454) return { outcome: 'dead', reason: `authentication refused — ${said}` };
    if (e.responseCode >= 400 && e.responseCode < 500) return { outcome: 'retry', reason: said, afterMs: 60_000 };
    if (e.responseCode >= 500) return { outcome: 'dead', reason: said };
  }
  if (e.code === 'EAUTH') return { outcome: 'dead', reason: `authentication refused — ${said}` };
  if (/certificate|CERT_|self[- ]signed/i.test(e.message ?? '')) return { outcome: 'dead', reason: `TLS: ${said} (set the channel's ca to the server's CA certificate)` };
  if (e.code === 'ETLS') return { outcome: 'dead', reason: `TLS: ${said}` };
  if (e.code === 'EENVELOPE' || e.code === 'EMESSAGE') return { outcome: 'dead', reason: said };
  return { outcome: 'retry', reason: said };
}
