/**
 * bench/notify-channels — one message through each channel kind to its local stand-in (the
 * HTTPS robot/webhook endpoints of test/helpers/notify-endpoints.ts, smtp-server with STARTTLS
 * and AUTH): the time from `send` to the far end's acceptance, p50/p99, and the CPU time this
 * process spent per send (wall time is distorted when other work shares the 2 cores; CPU time less).
 *
 *   npx tsx bench/notify-channels.ts [--messages 200]
 *
 * Baseline (issue 12): the whole path from a P1 report to the message accepted, p99 < 2 s; the
 * channel's share of it is what is measured here. HTTP channels reuse their TLS connection (Node's
 * keep-alive agent); e-mail reuses its pooled SMTP sessions (STARTTLS + AUTH once per session). The CPU figure
 * includes the stand-ins, which run in this process.
 */
import { parseArgs } from 'node:util';
import { buildChannel, type Channel, type OutgoingMessage } from '../collector/notify/channels/index.js';
import { startNotifyEndpoints } from '../test/helpers/notify-endpoints.js';
import { startSmtp } from '../test/helpers/smtp.js';

const { values: args } = parseArgs({ options: { messages: { type: 'string', default: '200' } } });
const N = Number(args.messages);

const ep = await startNotifyEndpoints({ wecomKeys: ['k'], dingtalk: { t: 'SECs' }, feishu: { f: 's' }, webhooks: { '/h': 'bench-webhook-secret-16' }, perMinute: 1_000_000 });
const smtp = await startSmtp({ users: { u: 'p' }, cert: ep.cert });
const ca = ep.cert.cert;
const channels: Channel[] = [
  buildChannel({ name: 'email', kind: 'email', settings: { host: '127.0.0.1', port: smtp.port, security: 'starttls', user: 'u', from: 'x@example.com', to: ['y@example.com'], ca }, secrets: { password: 'p' } }),
  buildChannel({ name: 'webhook', kind: 'webhook', settings: { ca }, secrets: { url: ep.webhookUrl('/h'), secret: 'bench-webhook-secret-16' } }),
  buildChannel({ name: 'wecom', kind: 'wecom', settings: { ca }, secrets: { url: ep.wecomUrl('k') } }),
  buildChannel({ name: 'dingtalk', kind: 'dingtalk', settings: { ca }, secrets: { url: ep.dingtalkUrl('t'), secret: 'SECs' } }),
  buildChannel({ name: 'feishu', kind: 'feishu', settings: { ca }, secrets: { url: ep.feishuUrl('f'), secret: 's' } }),
];

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
console.log(`notify channels, ${N} messages each, one at a time, loopback (TLS everywhere)`);
console.log('kind       p50 ms   p99 ms   CPU ms/send   failed   | baseline: path p99 < 2000 ms');
for (const ch of channels) {
  const times: number[] = [];
  let failed = 0;
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < N; i++) {
    const m: OutgoingMessage = { id: `bench-${ch.name}-${i}`, lang: 'zh', title: `核心交换机 core-sw${i} 宕机`, lines: ['客户:华东数据中心', '设备:core-sw1 · SXKR-004'], link: 'https://xunjian.example.com/sites/hq/tickets/1', priority: 'P1' };
    const t = performance.now();
    const r = await ch.send(m);
    times.push(performance.now() - t);
    if (r.outcome !== 'sent') failed++;
  }
  const cpu = process.cpuUsage(cpu0);
  times.sort((a, b) => a - b);
  console.log(`${ch.name.padEnd(10)} ${pct(times, 50).toFixed(1).padStart(6)}   ${pct(times, 99).toFixed(1).padStart(6)}   ${((cpu.user + cpu.system) / 1000 / N).toFixed(2).padStart(11)}   ${String(failed).padStart(6)}`);
}
for (const ch of channels) ch.close?.();
await smtp.stop();
await ep.stop();
