/**
 * The Linux command set: what an engineer would type, run over SSH, parsed by the shared
 * command-output parsers (checks/sources/parsers/linux) into the SXKR measurement conventions.
 */
import { parseDf } from '../parsers/linux/df.js';
import { parseIpLink } from '../parsers/linux/ip-link.js';
import { parseJournalJson } from '../parsers/linux/journal.js';
import { parseMdstat } from '../parsers/linux/mdstat.js';
import { parseMeminfo } from '../parsers/linux/meminfo.js';
import { parseProcStat } from '../parsers/linux/proc-stat.js';
import { parseSyslog } from '../parsers/linux/syslog.js';
import { parseSystemctlFailed, parseSystemctlIsActive } from '../parsers/linux/systemctl.js';
import { measurement } from '../parsers/types.js';
import { parseIpmiSdr, parseIpmiSel, parseSmartctl } from '../parsers/index.js';
import { parseDmesg } from './dmesg.js';
import { HWMON_COMMAND, parseHwmon } from './hwmon.js';
import { addParsed, emptyCollection, firstError, runFor, shellQuote, type OsCollection, type OsContext } from './os-context.js';

/** `grep '^cpu ' /proc/stat` every interval across the window: avg over the window, max per interval. */
export function cpuSamplingCommand(windowMs: number): string {
  const intervals = Math.min(60, Math.max(2, Math.round(windowMs / 1000)));
  const sleep = (windowMs / intervals / 1000).toFixed(3).replace(/\.?0+$/, '') || '0';
  return `grep '^cpu ' /proc/stat; for i in $(seq ${intervals}); do sleep ${sleep}; grep '^cpu ' /proc/stat; done`;
}

async function cpu(ctx: OsContext, out: OsCollection): Promise<void> {
  const command = cpuSamplingCommand(ctx.windowMs);
  const r = await runFor({ ...ctx, session: ctx.direct ?? ctx.session }, out, ['SXKR-001'], command, { timeoutMs: ctx.windowMs + 30_000 });
  if (r) addParsed(out, parseProcStat(r.result.stdout, r.parse));
}

async function identity(ctx: OsContext, out: OsCollection): Promise<void> {
  const command =
    'uname -r; . /etc/os-release 2>/dev/null; echo "$PRETTY_NAME"; ' +
    'cat /sys/class/dmi/id/sys_vendor /sys/class/dmi/id/product_name 2>/dev/null | tr "\\n" "|"; echo';
  const r = await runFor(ctx, out, [], command);
  if (!r) return;
  const [kernel, pretty, dmi] = r.result.stdout.split('\n');
  const [vendor, model] = (dmi ?? '').split('|').map((s) => s.trim());
  out.identity.os = [pretty?.trim() || 'Linux', kernel?.trim()].filter(Boolean).join(', kernel ');
  if (kernel?.trim()) out.identity.version = kernel.trim();
  if (vendor) out.identity.vendor = vendor;
  if (model) out.identity.model = model;
}

async function memory(ctx: OsContext, out: OsCollection): Promise<void> {
  const r = await runFor(ctx, out, ['SXKR-002'], 'cat /proc/meminfo');
  if (!r) return;
  if (r.result.code !== 0) out.gaps.push({ check: 'SXKR-002', reason: firstError(r.result), command: r.parse.command });
  else addParsed(out, parseMeminfo(r.result.stdout, r.parse));
}

async function modules(ctx: OsContext, out: OsCollection): Promise<void> {
  // Issued together: they travel in one batch.
  const [df, md, link, failed] = await Promise.all([
    runFor(ctx, out, ['SXKR-003'], 'df -P -T'),
    // No /proc/mdstat means no md driver loaded: no software RAID to judge, not a gap.
    runFor(ctx, out, ['SXKR-003'], 'test -r /proc/mdstat && cat /proc/mdstat'),
    runFor(ctx, out, ['SXKR-003'], 'ip -o link'),
    runFor(ctx, out, ['SXKR-003'], 'systemctl --failed --no-legend --plain'),
  ]);
  // df exits 1 when one mount (a stale NFS share) fails but still prints the others.
  if (df) addParsed(out, parseDf(df.result.stdout, df.parse));
  if (md && md.result.code === 0) addParsed(out, parseMdstat(md.result.stdout, md.parse));
  if (link) {
    if (link.result.code !== 0) out.gaps.push({ check: 'SXKR-003', component: 'network interfaces', reason: firstError(link.result), command: link.parse.command });
    else addParsed(out, parseIpLink(link.result.stdout, link.parse));
  }
  const systemd = failed !== undefined && failed.result.code === 0;
  if (failed && systemd) addParsed(out, parseSystemctlFailed(failed.result.stdout, failed.parse));

  if (ctx.requiredServices.length > 0) {
    if (systemd) {
      const units = ctx.requiredServices;
      const r = await runFor(ctx, out, ['SXKR-003'], `systemctl is-active ${units.map(shellQuote).join(' ')}`);
      if (r) addParsed(out, parseSystemctlIsActive(r.result.stdout, r.parse, units));
    } else {
      // Without systemd (SysV init, containers) the honest check is whether the daemon runs.
      const runs = await Promise.all(ctx.requiredServices.map((name) => runFor(ctx, out, ['SXKR-003'], `pgrep -x ${shellQuote(name)}`)));
      ctx.requiredServices.forEach((name, i) => {
        const r = runs[i];
        if (!r) return;
        const running = r.result.code === 0;
        out.measurements.push(
          measurement(r.parse, 'SXKR-003', `service ${name}`, 'module.state', running ? 'running' : 'not running', {
            status: running ? 'ok' : 'fault',
            detail: running ? `pid ${r.result.stdout.split('\n').join(', ')}` : 'no process of that name (systemd not available)',
          }),
        );
      });
    }
  }
}

const IPMI_PROBE = 'test -e /dev/ipmi0 -o -e /dev/ipmi/0 -o -e /dev/ipmidev/0 && command -v ipmitool';

async function environment(ctx: OsContext, out: OsCollection): Promise<void> {
  const [probe, hw] = await Promise.all([runFor(ctx, out, ['SXKR-004', 'SXKR-005'], IPMI_PROBE), runFor(ctx, out, ['SXKR-005'], HWMON_COMMAND)]);
  if (!probe) return;
  const ipmi = probe.result.code === 0;
  const temps = hw ? parseHwmon(hw.result.stdout, hw.parse) : undefined;
  if (temps) addParsed(out, temps);
  if (!ipmi) {
    const why = 'no in-band IPMI on this host (/dev/ipmi0 or ipmitool absent)';
    out.gaps.push({ check: 'SXKR-004', reason: `${why}: power supply and fan states cannot be read over SSH; inspect them through the BMC or on site`, command: IPMI_PROBE });
    if (!temps || temps.measurements.length === 0)
      out.gaps.push({ check: 'SXKR-005', reason: `${why} and no hwmon temperature sensor in /sys/class/hwmon (virtual machine?)`, command: HWMON_COMMAND });
    return;
  }
  // IPMI present: the SDR lists PSUs, fans and temperatures with the BMC's own thresholds.
  const [sdr, sel] = await Promise.all([
    runFor(ctx, out, ['SXKR-004', 'SXKR-005'], 'ipmitool sdr elist', { timeoutMs: 60_000 }),
    runFor(ctx, out, ['SXKR-006'], 'ipmitool sel elist', { timeoutMs: 60_000 }),
  ]);
  if (sdr) {
    if (sdr.result.code !== 0) {
      for (const check of ['SXKR-004', 'SXKR-005'] as const) out.gaps.push({ check, reason: `ipmitool: ${firstError(sdr.result)}`, command: sdr.parse.command });
    } else addParsed(out, parseIpmiSdr(sdr.result.stdout, sdr.parse));
  }
  // The BMC's event log holds hardware failures (PSU lost, fan failed) since the last inspection.
  if (sel && sel.result.code === 0) addParsed(out, parseIpmiSel(sel.result.stdout, sel.parse, { since: ctx.logSince }));
}

/**
 * SMART health of every disk smartctl can talk to: `smartctl --scan` lists only devices with a
 * SMART-capable transport, so virtual disks (virtio, VMware) are not asked and not gaps.
 */
async function disks(ctx: OsContext, out: OsCollection): Promise<void> {
  const scan = await runFor(ctx, out, [], 'command -v smartctl >/dev/null && smartctl --scan');
  if (!scan || scan.result.code !== 0) return;
  const commands = scan.result.stdout
    .split('\n')
    .map((line) => /^(\/dev\/\S+)(?:\s+-d\s+(\S+))?/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `smartctl -H ${m[2] ? `-d ${m[2]} ` : ''}${m[1]}`);
  const runs = await Promise.all(commands.map((c) => runFor(ctx, out, ['SXKR-003'], c)));
  for (const r of runs) if (r) addParsed(out, parseSmartctl(r.result.stdout, r.parse));
}

async function logs(ctx: OsContext, out: OsCollection): Promise<void> {
  const sinceEpoch = Math.floor(ctx.logSince.getTime() / 1000);
  // journald first: it keeps the priority of every entry.
  // journalctl prints nothing (and succeeds) when there are no journal files at all, which would
  // read as "no errors": look for the files first (the default namespace only: `<machine-id>/`,
  // not `<machine-id>.<namespace>/`, which plain journalctl does not read).
  const jc =
    "find /var/log/journal /run/log/journal -mindepth 2 -maxdepth 2 -name '*.journal' ! -path '*/*.*/*' 2>/dev/null | grep -q . && " +
    `journalctl -o json --no-pager -p err --since @${sinceEpoch}`;
  const j = await runFor(ctx, out, ['SXKR-006'], jc, { timeoutMs: 60_000 });
  if (j && j.result.code === 0 && !/No journal files/i.test(j.result.stderr)) {
    addParsed(out, parseJournalJson(j.result.stdout, j.parse));
    return;
  }
  // Then the classic syslog file of the distribution (RHEL/SUSE: messages, Debian: syslog).
  const sc = 'for f in /var/log/messages /var/log/syslog; do if [ -r "$f" ]; then echo "$f"; tail -n 200000 "$f"; exit 0; fi; done; exit 1';
  const s = await runFor(ctx, out, ['SXKR-006'], sc, { timeoutMs: 60_000 });
  if (s && s.result.code === 0) {
    const [file, ...rest] = s.result.stdout.split('\n');
    addParsed(out, parseSyslog(rest.join('\n'), { command: `tail -n 200000 ${file}`, at: s.parse.at }, { since: ctx.logSince }));
    return;
  }
  // Last the kernel ring buffer: it holds hardware and driver errors since boot.
  const dc = 'dmesg -x --time-format iso';
  const d = await runFor(ctx, out, ['SXKR-006'], dc, { timeoutMs: 60_000 });
  if (d && d.result.code === 0) {
    addParsed(out, parseDmesg(d.result.stdout, d.parse, { since: ctx.logSince }));
    return;
  }
  if (d) out.gaps.push({ check: 'SXKR-006', reason: `no readable log: journald has no journal, no /var/log/messages or /var/log/syslog, dmesg: ${firstError(d.result)}`, command: dc });
}

export async function collectLinux(ctx: OsContext): Promise<OsCollection> {
  const out = emptyCollection();
  // The CPU sampler runs on its own channel for the whole window; the other groups read in
  // parallel on their own channels (at most five at once, under sshd's default MaxSessions 10),
  // so a distant host costs one window plus a few round trips, not a dozen.
  await Promise.all([
    cpu(ctx, out),
    identity(ctx, out).then(() => memory(ctx, out)),
    modules(ctx, out).then(() => disks(ctx, out)),
    environment(ctx, out),
    logs(ctx, out),
  ]);
  return out;
}
