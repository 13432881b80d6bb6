/**
 * bench/site-inspect — a site of 50 SSH hosts (real sshd on loopback, ports 2240–2289) and 50 SNMP
 * devices (recorded switches, hosts and UPS units served by 5 snmpsimd agents on UDP 2290–2299:
 * a real device answers for itself, one single-threaded agent for 50 would be the bottleneck), inspected
 * at the default concurrency (16) and at concurrency 1, same site, same run.
 * Baseline: the service plan's manual inspection, 1–2 engineer-days per 100 devices.
 * Floor: the whole site in under 60 s at the default concurrency.
 *
 *   npx tsx bench/site-inspect.ts [--window-ms 5000] [--hosts 50] [--snmp 50] [--why]
 * --why prints, per run, the abnormal and unknown results by source and check with their reasons.
 * The window defaults to what `inspect --site` uses (5 s per device), so the figure is the engineer's.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { inspectSite, parseSiteFile, type SiteInspection } from '../checks/run/index.js';
import { startSshdFleet } from '../test/helpers/sshd.js';
import { addRecording, makeDataDir, startSnmpsim } from '../test/helpers/snmpsim.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}
const windowMs = arg('--window-ms', 5000);
const hosts = Math.min(50, arg('--hosts', 50));
const snmpCount = arg('--snmp', 50);
const RECORDINGS = ['ups_normal', 'ups_onbattery', 'linux_host', 'cisco_log'];

const dir = mkdtempSync(join(tmpdir(), 'xunjian-bench-site-'));
const data = makeDataDir();
for (const r of RECORDINGS) addRecording(data, join(import.meta.dirname, '..', 'test', 'snmp', 'fixtures', `${r}.snmprec`));

const t0 = Date.now();
const AGENTS = 5;
const [fleet, ...sims] = await Promise.all([
  startSshdFleet(Array.from({ length: hosts }, (_, i) => 2240 + i)),
  ...Array.from({ length: AGENTS }, (_, a) => startSnmpsim({ dataDir: data, probeCommunity: 'ups_normal', ports: [2290 + 2 * a, 2291 + 2 * a] })),
]);
console.log(`started ${hosts} sshd and ${AGENTS} snmpsimd in ${Date.now() - t0} ms`);

try {
  writeFileSync(join(dir, 'known_hosts'), fleet.knownHosts());
  const env: Record<string, string> = {};
  for (const r of RECORDINGS) env[`BENCH_${r.toUpperCase()}`] = r;
  const site = {
    site: 'bench',
    ssh: { user: fleet.user, auth: { key_file: fleet.clientKeyPath }, known_hosts: join(dir, 'known_hosts') },
    servers: fleet.hosts.map((h, i) => ({ name: `srv${i + 1}`, host: '127.0.0.1', port: h.port })),
    network: Array.from({ length: snmpCount }, (_, i) => {
      const rec = RECORDINGS[i % RECORDINGS.length]!;
      return { name: `snmp${i + 1}`, host: '127.0.0.1', port: sims[i % AGENTS]!.port, kind: rec.startsWith('ups') ? undefined : 'switch', snmp: { version: '2c', community_env: `BENCH_${rec.toUpperCase()}` } };
    }).map((d) => Object.fromEntries(Object.entries(d).filter(([, v]) => v !== undefined))),
  };
  const loaded = parseSiteFile(stringify(site), join(dir, 'bench.yaml'));

  const runs: [number, SiteInspection][] = [];
  for (const concurrency of [16, 1]) {
    const inspection = await inspectSite(loaded, { concurrency, windowMs, env, logSince: new Date(Date.now() - 86_400_000) });
    runs.push([concurrency, inspection]);
    if (process.argv.includes('--why')) {
      // Why devices are not normal, by source and check: the SSH hosts are all this machine, so their
      // CPU (SXKR-001) reads the load of the inspection itself, higher at 16 than at 1.
      const why = new Map<string, number>();
      for (const d of inspection.devices)
        for (const r of d.results) {
          if (r.verdict === 'normal') continue;
          const key = `${r.verdict} ${d.report.source} ${r.check}: ${(r.reason ?? '').slice(0, 90)}`;
          why.set(key, (why.get(key) ?? 0) + 1);
        }
      for (const [k, n] of [...why].sort()) console.log(`  ×${String(n).padStart(3)} ${k}`);
    }
    const failed = inspection.devices.filter((d) => d.failed).length;
    console.log(
      `concurrency ${String(concurrency).padStart(2)}: ${inspection.devices.length} devices in ${(inspection.durationMs / 1000).toFixed(1)} s ` +
        `(${failed} not inspected; verdicts ${JSON.stringify(inspection.summary.devices)})`,
    );
  }
  const [fast, slow] = [runs[0]![1], runs[1]![1]];
  const median = (kind: 'ssh' | 'snmp') => {
    const t = fast.devices.filter((d) => d.report.source === kind).map((d) => d.durationMs).sort((a, b) => a - b);
    return `median ${t[Math.floor(t.length / 2)]} ms, max ${t.at(-1)} ms`;
  };
  console.log('');
  console.log(`site-inspect (${hosts} SSH + ${snmpCount} SNMP, CPU window ${windowMs} ms)`);
  console.log(`  ours, concurrency 16 : ${(fast.durationMs / 1000).toFixed(1)} s   (floor: < 60 s ${fast.durationMs < 60_000 ? 'met' : 'NOT met'})`);
  console.log(`  ours, concurrency 1  : ${(slow.durationMs / 1000).toFixed(1)} s   (speed-up ×${(slow.durationMs / fast.durationMs).toFixed(1)})`);
  console.log(`  per SSH host at 16   : ${median('ssh')}`);
  console.log(`  per SNMP device at 16: ${median('snmp')}`);
  console.log('  baseline (manual)    : 1–2 engineer-days per 100 devices (service plan)');
} finally {
  await Promise.all([fleet.stop(), ...sims.map((s) => s.stop())]);
}
