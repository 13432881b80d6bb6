/**
 * bench/snmp-poll: 200 devices polled with the full profile, beside Debian's prometheus-snmp-exporter
 * scraping the same OIDs of the same 200 devices at the same concurrency, in the same run.
 *
 *   npx tsx bench/snmp-poll.ts [--devices 200] [--concurrency 16] [--profile DIR]
 *
 * --profile writes a V8 CPU profile of our poll alone (not the set-up, not the exporter) into DIR.
 *
 * The devices are the six full real-device recordings (../shared/testdata/snmp/recordings: IOS,
 * IOS-XE, NX-OS, Comware 5 and 7; the two detection stubs are left out) served by one snmpsimd under
 * 200 community names (symlinks dev_000 … dev_199 in a temp data dir). For snmp_exporter an
 * snmp.yml is written with one module per device (0.21 keeps the community in the module) walking
 * exactly the columns our profile for that device walks, plus the system group we GET.
 * Both poll through a UDP relay in its own process (bench/udp-counter.ts) that counts the SNMP
 * requests and responses and their bytes. Prints per device, for both: poller CPU-seconds
 * (ours: process.cpuUsage() of this process around the poll; snmp_exporter: utime + stime from
 * /proc/<pid>/stat around its scrapes), requests and packets; then wall time and the ratios.
 * CPU and packets are what to read on a loaded machine: load stretches wall time, not those.
 * Nothing is asserted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { builtinProfiles, collectSnmp, collectSnmpMany, profileOf, SnmpSession, type SnmpTarget } from '../checks/sources/snmp/index.js';
import { profileColumns } from '../checks/sources/snmp/walked.js';
import { threadCpuDelta, threadCpuMs } from './proc-cpu.js';
import { addRecording, makeDataDir, startSnmpsim } from '../test/helpers/snmpsim.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const DEVICES = arg('devices', 200);
const PROFILE_DIR = process.argv.includes('--profile') ? process.argv[process.argv.indexOf('--profile') + 1] : undefined;
const CONCURRENCY = arg('concurrency', 16);
const EXPORTER = '/usr/bin/prometheus-snmp-exporter';
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RECORDINGS = resolve(repoRoot, '../shared/testdata/snmp/recordings');
const MODELS = ['ios_2960x', 'ios_c3560', 'iosxe_c9400', 'nxos_n3k-3064pq', 'comware_hpe5900', 'comware_a5500'];
const SYSTEM = ['1.3.6.1.2.1.1.1.0', '1.3.6.1.2.1.1.2.0', '1.3.6.1.2.1.1.3.0', '1.3.6.1.2.1.1.5.0'];

function freeTcpPort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

async function pool<T>(items: T[], concurrency: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await run(items[next++]!);
    }),
  );
}

interface Counts {
  requests: number;
  responses: number;
  requestBytes: number;
  responseBytes: number;
}

/** The packet-counting relay (bench/udp-counter.ts) in its own process. */
async function startCounter(host: string, port: number): Promise<{ port: number; counts: () => Promise<Counts>; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'bench/udp-counter.ts'), host, String(port)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const listen = await new Promise<number>((res, rej) => {
    child.once('message', (m) => res((m as { port: number }).port));
    child.once('exit', (code) => rej(new Error(`udp-counter exited ${code}`)));
  });
  return {
    port: listen,
    counts: () =>
      new Promise<Counts>((res) => {
        child.once('message', (m) => res((m as { counts: Counts }).counts));
        child.send('counts');
      }),
    stop: () => {
      if (child.connected) child.send('stop');
    },
  };
}

/** CPU-seconds (user + system) a process has used, from /proc/<pid>/stat. */
function processCpuS(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

async function main() {
  if (!existsSync(RECORDINGS)) {
    console.log(`snmp-poll: ${RECORDINGS} is not here; nothing to measure`);
    return;
  }
  const dataDir = makeDataDir('xunjian-bench-snmp-');
  const communities = Array.from({ length: DEVICES }, (_, i) => `dev_${String(i).padStart(3, '0')}`);
  const modelOf = (c: string) => MODELS[Number(c.slice(4)) % MODELS.length]!;
  for (const c of communities) addRecording(dataDir, join(RECORDINGS, `${modelOf(c)}.snmprec`), c, 'symlink');

  let exporter: ChildProcess | undefined;
  let stopCounter: (() => void) | undefined;
  const work = mkdtempSync(join(tmpdir(), 'xunjian-bench-exporter-'));
  console.log(`snmp-poll: starting snmpsimd with ${DEVICES} communities (indexing ${DEVICES} recordings)…`);
  const sim = await startSnmpsim({ dataDir, probeCommunity: communities[0]!, ports: Array.from({ length: 100 }, (_, i) => 16100 + i), readyTimeoutMs: 600_000 });
  try {
    const target = (community: string): SnmpTarget => ({ host: sim.host, port: sim.port, version: '2c', community, timeoutMs: 5000, retries: 1 });

    // Warm snmpsim's per-file index for every community (it builds them lazily), and learn each
    // model's profile and per-column index depth for the exporter's metric definitions.
    const profiles = builtinProfiles();
    const byModel = new Map<string, { profile: string; columns: { oid: string; depth: number; text: boolean }[] }>();
    for (const model of MODELS) {
      const community = communities.find((c) => modelOf(c) === model)!;
      const report = await collectSnmp(target(community));
      const profile = profiles.find((p) => p.name === profileOf(report))!;
      const session = new SnmpSession(target(community));
      const columns: { oid: string; depth: number; text: boolean }[] = [];
      for (const oid of profileColumns(profile)) {
        const rows = await session.walk(oid);
        const first = rows[0];
        columns.push({ oid, depth: first ? first.oid.slice(oid.length + 1).split('.').length : 1, text: first ? typeof first.value === 'string' : false });
      }
      session.close();
      byModel.set(model, { profile: profile.name, columns });
    }
    await pool(communities, CONCURRENCY, async (c) => {
      const s = new SnmpSession(target(c));
      await s.get(['1.3.6.1.2.1.1.1.0']).catch(() => undefined);
      s.close();
    });

    const counter = await startCounter(sim.host, sim.port);
    stopCounter = counter.stop;
    const counted = (c: string): SnmpTarget => ({ ...target(c), port: counter.port });

    // ---- ours: collectSnmpMany with the full profile
    await counter.counts();
    const profiler = PROFILE_DIR ? new Session() : undefined;
    if (profiler) {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    }
    const threads0 = threadCpuMs();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const outcomes = await collectSnmpMany(communities.map(counted), { concurrency: CONCURRENCY });
    const oursMs = performance.now() - t0;
    const cpuUsed = process.cpuUsage(cpu0);
    const byThread = threadCpuDelta(threads0, threadCpuMs());
    if (profiler && PROFILE_DIR) {
      const { profile } = await profiler.post('Profiler.stop');
      const file = join(PROFILE_DIR, `snmp-poll-${Date.now()}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      profiler.disconnect();
      console.log(`snmp-poll: CPU profile of our poll in ${file} (the profiler's own cost is in the CPU figure below)`);
    }
    const oursCpuS = (cpuUsed.user + cpuUsed.system) / 1e6;
    const oursPackets = await counter.counts();
    const measured = outcomes.reduce((n, o) => n + (o.report?.measurements.length ?? 0), 0);
    const failedOurs = outcomes.filter((o) => !o.report || o.report.gaps.some((g) => /no SNMP answer|failed/.test(g.reason))).length;

    // ---- snmp_exporter: one module per device, same columns, same concurrency
    const modules: Record<string, unknown> = {};
    for (const c of communities) {
      const { columns } = byModel.get(modelOf(c))!;
      modules[c] = {
        walk: columns.map((col) => col.oid),
        get: SYSTEM,
        metrics: [
          ...SYSTEM.map((oid) => ({ name: `sys_${oid.replace(/\./g, '_')}`, oid: oid.replace(/\.0$/, ''), type: oid === SYSTEM[2] ? 'gauge' : 'DisplayString', help: oid })),
          ...columns.map((col) => ({
            name: `c_${col.oid.replace(/\./g, '_')}`,
            oid: col.oid,
            type: col.text ? 'DisplayString' : 'gauge',
            help: col.oid,
            indexes: Array.from({ length: col.depth }, (_, i) => ({ labelname: `i${i}`, type: 'gauge' })),
          })),
        ],
        version: 2,
        max_repetitions: 25,
        retries: 1,
        timeout: '5s',
        auth: { community: c },
      };
    }
    const config = join(work, 'snmp.yml');
    writeFileSync(config, stringify(modules, { aliasDuplicateObjects: false }));
    const httpPort = await freeTcpPort();
    exporter = spawn(EXPORTER, [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${httpPort}`, '--log.level=error'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let exporterErr = '';
    exporter.stderr?.on('data', (d) => (exporterErr += String(d)));
    const base = `http://127.0.0.1:${httpPort}`;
    for (let i = 0; ; i++) {
      const ok = await fetch(`${base}/`).then((r) => r.ok, () => false);
      if (ok) break;
      if (exporter.exitCode !== null || i > 200) throw new Error(`snmp_exporter did not start: ${exporterErr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const scrape = async (c: string) => {
      const res = await fetch(`${base}/snmp?target=${sim.host}:${counter.port}&module=${c}`);
      return { ok: res.ok, text: await res.text() };
    };
    let samples = 0;
    let failedExporter = 0;
    await counter.counts();
    const exporterCpu0 = processCpuS(exporter.pid!);
    const t1 = performance.now();
    await pool(communities, CONCURRENCY, async (c) => {
      const { ok, text } = await scrape(c);
      if (!ok) failedExporter++;
      samples += text.split('\n').filter((l) => l.startsWith('c_') || l.startsWith('sys_')).length;
    });
    const exporterMs = performance.now() - t1;
    const exporterCpuS = processCpuS(exporter.pid!) - exporterCpu0;
    const exporterPackets = await counter.counts();

    const rate = (ms: number) => (DEVICES / (ms / 1000)).toFixed(1);
    console.log(`\nsnmp-poll: ${DEVICES} devices (${MODELS.join(', ')} in turn), concurrency ${CONCURRENCY}, one snmpsimd (127.0.0.1:${sim.port})`);
    console.log(`  xunjian collectSnmpMany   ${(oursMs / 1000).toFixed(2)} s   ${rate(oursMs)} devices/s   ${measured} measurements, ${failedOurs} devices with failed walks`);
    console.log(`  snmp_exporter 0.21 (deb)  ${(exporterMs / 1000).toFixed(2)} s   ${rate(exporterMs)} devices/s   ${samples} samples, ${failedExporter} failed scrapes`);
    console.log(`  ratio (exporter time / ours): ${(exporterMs / oursMs).toFixed(2)}×  (≥ 1 means we are not slower; wall time, distorted by load)`);
    const perDevice = (name: string, cpuS: number, c: Counts) =>
      console.log(
        `  ${name.padEnd(26)}${((cpuS / DEVICES) * 1000).toFixed(2).padStart(8)} ms CPU   ${(c.requests / DEVICES).toFixed(1).padStart(6)} requests   ${((c.requests + c.responses) / DEVICES).toFixed(1).padStart(6)} packets   ${((c.requestBytes + c.responseBytes) / DEVICES / 1024).toFixed(1).padStart(6)} KiB`,
      );
    console.log(`\n  per device (CPU-seconds of the poller process; packets both ways at the relay):`);
    perDevice('xunjian', oursCpuS, oursPackets);
    perDevice('snmp_exporter 0.21 (deb)', exporterCpuS, exporterPackets);
    // V8 compiles the hot paths in background threads while the first devices are polled: a
    // cost that a longer-running poller pays once, shown apart from the main thread's work.
    console.log(`  ours by thread (whole poll, 10 ms ticks): ${byThread}`);
    console.log(
      `  ours / exporter: CPU ${(oursCpuS / exporterCpuS).toFixed(2)}×, packets ${((oursPackets.requests + oursPackets.responses) / (exporterPackets.requests + exporterPackets.responses)).toFixed(2)}×, bytes ${((oursPackets.requestBytes + oursPackets.responseBytes) / (exporterPackets.requestBytes + exporterPackets.responseBytes)).toFixed(2)}×  (goal ≤ 0.5)`,
    );
  } finally {
    if (exporter && exporter.exitCode === null) exporter.kill('SIGTERM');
    stopCounter?.();
    await sim.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
