/**
 * bench/redfish: what inspecting a server's management controller over Redfish costs, beside what
 * a naive crawl of the same BMC's whole Redfish tree (every @odata.id followed once) costs.
 *
 *   npx tsx bench/redfish.ts [--devices 100] [--concurrency 16]
 *
 * The BMCs are the DMTF public-rackmount1 mockup (../shared/testdata/redfish) served over real
 * HTTPS with sessions by test/helpers/redfish.ts — one HTTPS server per device, all in a child
 * process so that the CPU time printed is the inspecting side's alone. Wall time on a shared
 * machine is distorted by the load, so CPU time is printed beside it. Nothing is asserted.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspectRedfish, RedfishClient, type RedfishTarget } from '../checks/sources/redfish/index.js';
import { loadMockup, makeCertificate, mockupPresent, PUBLIC_RACKMOUNT, startRedfishMockup } from '../test/helpers/redfish.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

// Child: serve N mockup BMCs and report their ports.
if (process.argv.includes('--serve')) {
  const n = arg('serve', 1);
  const tree = loadMockup(PUBLIC_RACKMOUNT);
  const tls = makeCertificate();
  const ports: number[] = [];
  for (let i = 0; i < n; i++) ports.push((await startRedfishMockup({ tree, tls, users: { admin: 'pw' } })).port);
  process.send!({ ports });
} else {
  await main();
}

async function main(): Promise<void> {
  if (!mockupPresent()) {
    console.log(`bench/redfish: ${PUBLIC_RACKMOUNT} (the DMTF public mockup) is not here; nothing measured`);
    return;
  }
  const devices = arg('devices', 100);
  const concurrency = arg('concurrency', 16);
  const child = fork(fileURLToPath(import.meta.url), ['--serve', String(devices)], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const ports = await new Promise<number[]>((resolve) => child.once('message', (m: { ports: number[] }) => resolve(m.ports)));
  const dir = mkdtempSync(join(tmpdir(), 'xunjian-bench-redfish-'));
  const target = (port: number): RedfishTarget => ({
    host: '127.0.0.1',
    port,
    user: 'admin',
    password: 'pw',
    pins: { path: join(dir, 'known_bmc_certs'), acceptNew: true },
    identity: { hostname: `bmc-${port}`, kind: 'server', addresses: [] },
  });
  const logSince = new Date(Date.now() - 31 * 86_400_000);
  try {
    // Warm-up (module loading, the first TLS context), not measured.
    await inspectRedfish(target(ports[0]!), { logSince });

    const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const one = await inspectRedfish(target(ports[0]!), { logSince });
    const oneWall = performance.now() - t0;
    const oneCpu = process.cpuUsage(cpu0);

    const crawl = await naiveCrawl(target(ports[0]!));

    const cpu1 = process.cpuUsage();
    const t1 = performance.now();
    let next = 0;
    let requests = 0;
    let bytes = 0;
    let abnormalPsu = 0;
    await Promise.all(
      Array.from({ length: Math.min(concurrency, devices) }, async () => {
        while (next < devices) {
          const r = await inspectRedfish(target(ports[next++]!), { logSince });
          requests += r.counts.requests;
          bytes += r.counts.bytes;
          if (r.report.measurements.some((m) => m.metric === 'psu.state' && m.status === 'warning')) abnormalPsu++;
        }
      }),
    );
    const manyWall = performance.now() - t1;
    const manyCpu = process.cpuUsage(cpu1);
    const ms = (u: { user: number; system: number }) => (u.user + u.system) / 1000;

    console.log('bench/redfish — DMTF public-rackmount1 over HTTPS with sessions (servers in a child process)');
    console.log('');
    console.log('one BMC               requests   bytes       wall      CPU (ours)');
    console.log(`  xunjian inspection  ${String(one.counts.requests).padStart(8)}   ${kib(one.counts.bytes).padEnd(10)}  ${oneWall.toFixed(0).padStart(5)} ms  ${ms(oneCpu).toFixed(0).padStart(5)} ms`);
    console.log(`  naive full crawl    ${String(crawl.requests).padStart(8)}   ${kib(crawl.bytes).padEnd(10)}  ${crawl.wallMs.toFixed(0).padStart(5)} ms  ${crawl.cpuMs.toFixed(0).padStart(5)} ms`);
    console.log(`  ratio               ${(crawl.requests / one.counts.requests).toFixed(1)}× fewer requests, ${(crawl.bytes / one.counts.bytes).toFixed(1)}× fewer bytes`);
    console.log('');
    console.log(`${devices} BMCs at concurrency ${concurrency}`);
    console.log(`  wall ${(manyWall / 1000).toFixed(2)} s (${(devices / (manyWall / 1000)).toFixed(1)} BMCs/s) · CPU (ours) ${(ms(manyCpu) / 1000).toFixed(2)} s, ${(ms(manyCpu) / devices).toFixed(1)} ms per BMC`);
    console.log(`  requests ${requests} (${(requests / devices).toFixed(1)} per BMC; a naive crawl: ${crawl.requests} per BMC) · ${kib(bytes / devices)} per BMC`);
    console.log(`  every BMC's PSU in Warning found: ${abnormalPsu}/${devices}`);
  } finally {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every resource reachable from the service root, each fetched once: what a crawler costs. */
async function naiveCrawl(t: RedfishTarget): Promise<{ requests: number; bytes: number; wallMs: number; cpuMs: number }> {
  const client = new RedfishClient(t);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  await client.login();
  const seen = new Set<string>(['/redfish/v1/']);
  const queue = ['/redfish/v1/'];
  const ids = (v: unknown, out: string[]) => {
    if (Array.isArray(v)) for (const x of v) ids(x, out);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '@odata.id' && typeof x === 'string' && x.startsWith('/redfish/v1') && !x.includes('#')) out.push(x);
        else ids(x, out);
      }
    }
  };
  while (queue.length > 0) {
    const batch = queue.splice(0, 8);
    await Promise.all(
      batch.map(async (path) => {
        let body: unknown;
        try {
          body = await client.get(path);
        } catch {
          return;
        }
        const found: string[] = [];
        ids(body, found);
        for (const f of found) {
          const p = f.replace(/\/+$/, '') || f;
          if (!seen.has(p) && !seen.has(`${p}/`)) {
            seen.add(p);
            queue.push(p);
          }
        }
      }),
    );
  }
  await client.logout();
  const cpu = process.cpuUsage(cpu0);
  return { requests: client.counts.requests, bytes: client.counts.bytes, wallMs: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000 };
}
