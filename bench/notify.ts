/**
 * bench/notify — from a report that opens a P1 ticket to the e-mail accepted by a local SMTP
 * server (smtp-server on loopback): latency p50/p99, one fault at a time; then how many messages
 * per second the outbox drains (plan is done; claim → nodemailer → SMTP accepted → marked sent).
 *
 *   npx tsx bench/notify.ts [--faults 100] [--backlog 1000]
 *
 * Everything runs in this process (collector, SMTP server, mailparser), so the CPU figure is the
 * whole pipeline's: messages per CPU-second moves far less than wall time on a loaded machine.
 * Latency runs with the default pace of the sender (`notify.pollMs` 200 ms) and grouping off
 * (grouping deliberately holds a second message of the same kind for its window). The drain is
 * measured by holding a backlog of P3 messages behind quiet hours, then moving the app's clock
 * past them; the e-mail pace (120/min by default) is lifted for it. The channel is the product's
 * (pooled SMTP sessions since issue 12's last round; before, one session per message).
 *
 * Baseline (issue 12): p99 < 2 s from report to accepted message on this machine.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_TIME_ZONE } from '../checks/index.js';
import { realisticReport, startTestCollector, until } from '../test/helpers/collector.js';
import { buildChannel } from '../collector/notify/channels/index.js';
import { directoryOf, startSmtpServer } from '../test/helpers/smtp-outbox.js';

const { values: args } = parseArgs({ options: { faults: { type: 'string', default: '100' }, backlog: { type: 'string', default: '1000' } } });
const FAULTS = Number(args.faults);
const BACKLOG = Number(args.backlog);
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
/** A time of day in the site's zone (quiet hours are read there; the bench's sites keep the default zone). */
const hhmm = (ms: number) => new Intl.DateTimeFormat('en-GB', { timeZone: DEFAULT_TIME_ZONE, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(ms);

const smtp = await startSmtpServer();
// The product's e-mail channel (collector/notify/channels/email.ts), AUTH over a loopback session without TLS.
const mail = buildChannel({ name: 'mail', kind: 'email', settings: { host: '127.0.0.1', port: smtp.port, security: 'none', user: smtp.user, from: 'xunjian@example.test' }, secrets: { password: smtp.password } });
let offset = 0;
const c = await startTestCollector(
  { silenceScanSeconds: 0, notify: { pollMs: 200, maxAttempts: 8, concurrency: 16, perMinute: { email: 1_000_000 } } },
  { now: () => new Date(Date.now() + offset), notifyChannels: directoryOf(mail) },
);
const admin = c.token('admin', null, 'bench-admin');
const call = async (method: string, path: string, body: unknown, token = admin) => {
  const res = await c.request(method, path, { token, body });
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
};
const setUp = async (site: string, hosts: string[], core: boolean) => {
  const engineer = c.token('engineer', site, `${site}-engineer`);
  for (const h of hosts) await call('POST', '/api/v1/reports', realisticReport({ site, hostname: h, at: new Date() }), engineer);
  if (core) for (const h of hosts) await call('PATCH', `/api/v1/sites/${site}/devices/${h}`, { role: 'core' });
  await call('POST', `/api/v1/sites/${site}/notify/rules`, { event: 'ticket.opened', priorities: '*', channel: 'mail', audience: 'on_duty' });
  await call('POST', `/api/v1/sites/${site}/notify/rota`, { person: 'duty', email: `duty-${site}@example.test`, role: 'on_duty' });
  return engineer;
};

try {
  // 1. Latency: one P1 at a time, report posted → message accepted by the SMTP server.
  const hosts = Array.from({ length: FAULTS }, (_, i) => `core${i}`);
  const engineer = await setUp('lat', hosts, true);
  await call('PUT', '/api/v1/sites/lat/notify/settings', { groupWindowSeconds: 0 });
  const latencies: number[] = [];
  for (const h of hosts) {
    const before = smtp.received.length;
    const t0 = Date.now();
    await call('POST', '/api/v1/reports', realisticReport({ site: 'lat', hostname: h, psuFault: true, at: new Date() }), engineer);
    const [mail] = (await smtp.waitFor(before + 1)).slice(before);
    if (!mail!.parsed.subject?.includes(`${h} `)) throw new Error(`unexpected message ${mail!.parsed.subject}`);
    latencies.push(mail!.acceptedAt - t0);
  }
  latencies.sort((a, b) => a - b);

  // 2. Drain: a backlog of P3 messages held by quiet hours, released by moving the app's clock.
  const now = Date.now();
  const thr = Array.from({ length: BACKLOG }, (_, i) => `web${i}`);
  const thrEngineer = c.token('engineer', 'thr', 'thr-engineer');
  await call('POST', '/api/v1/sites/thr/notify/rules', { event: 'ticket.opened', priorities: '*', channel: 'mail', audience: 'on_duty' }).catch(async () => {
    await call('POST', '/api/v1/reports', realisticReport({ site: 'thr', hostname: 'web-seed', at: new Date() }), thrEngineer);
    await call('POST', '/api/v1/sites/thr/notify/rules', { event: 'ticket.opened', priorities: '*', channel: 'mail', audience: 'on_duty' });
  });
  await call('POST', '/api/v1/sites/thr/notify/rota', { person: 'duty', email: 'duty-thr@example.test', role: 'on_duty' });
  await call('PUT', '/api/v1/sites/thr/notify/settings', { groupWindowSeconds: 0, quietHours: { start: hhmm(now - 3_600_000), end: hhmm(now + 3_600_000) } });
  for (let i = 0; i < thr.length; i += 8) {
    await Promise.all(thr.slice(i, i + 8).map((h) => call('POST', '/api/v1/reports', realisticReport({ site: 'thr', hostname: h, cpuAvg: 97, at: new Date() }), thrEngineer)));
  }
  const pending = () => c.db.prepare(`SELECT count(*) FROM notify_outbox WHERE site = 'thr' AND state = 'pending'`).pluck().get() as number;
  await until('the backlog planned', () => (pending() >= BACKLOG ? true : undefined), 300_000, 200).catch((err: Error) => {
    throw new Error(`${err.message}: ${pending()} of ${BACKLOG} pending; outbox ${JSON.stringify(c.db.prepare('SELECT state, count(*) AS n FROM notify_outbox GROUP BY state').all())}; tickets ${JSON.stringify(c.db.prepare('SELECT site_id, priority, status, count(*) AS n FROM tickets GROUP BY 1, 2, 3').all())}`);
  });
  const before = smtp.received.length;
  const cpu0 = process.cpuUsage();
  const t0 = Date.now();
  offset = 2 * 3_600_000;
  await smtp.waitFor(before + BACKLOG, 600_000);
  const seconds = (Date.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;

  console.log(`notify latency, report (P1) → e-mail accepted, ${FAULTS} faults one at a time:`);
  console.log(`  p50 ${pct(latencies, 50)} ms   p99 ${pct(latencies, 99)} ms   max ${latencies.at(-1)} ms   (baseline: p99 < 2000 ms)`);
  console.log(`outbox drain, ${BACKLOG} messages to a loopback SMTP server (16 at once):`);
  console.log(`  ${(BACKLOG / seconds).toFixed(1)} messages/s wall   ${(BACKLOG / cpuSeconds).toFixed(1)} messages per CPU-second (whole process: collector + SMTP server + mailparser)`);
} finally {
  await c.stop();
  mail.close?.();
  await smtp.close();
}
