/**
 * The Linux command set: what an engineer would type, run over SSH, parsed by the shared
 * command-output parsers (checks/sources/parsers/linux) into the SXKR measurement conventions.
 */
import { parseDf } from '../parsers/linux/df.js';
import { parseIpLink, readIpLink } from '../parsers/linux/ip-link.js';
import { parseJournalJson } from '../parsers/linux/journal.js';
import { parseMdstat } from '../parsers/linux/mdstat.js';
import { parseMeminfo } from '../parsers/linux/meminfo.js';
import { parseProcStat } from '../parsers/linux/proc-stat.js';
import { parseSyslog } from '../parsers/linux/syslog.js';
import { parseSystemctlFailed, parseSystemctlIsActive } from '../parsers/linux/systemctl.js';
import { clip, LOG_LINE, measurement, unrecognisedLog, type ParseResult } from '../parsers/types.js';
import { parseIpmiSdr, parseIpmiSel, parseIpmiSensor, parseSmartctl } from '../parsers/index.js';
import { parseDmesg } from './dmesg.js';
import { HWMON_COMMAND, parseHwmon } from './hwmon.js';
import { addParsed, addRequired, emptyCollection, failedGaps, failureOf, firstError, offsetMinutes, runChecked, runFor, shellQuote, type OsCollection, type OsContext } from './os-context.js';

/** smartctl's exit status is a bit mask: bits 0–1 (bad command line, device not opened) mean no answer. */
const SMARTCTL_ANSWERED = Array.from({ length: 256 }, (_, c) => c).filter((c) => (c & 3) === 0);


/** `grep '^cpu ' /proc/stat` every interval across the window: avg over the window, max per interval. */
export function cpuSamplingCommand(windowMs: number): string {
  const intervals = Math.min(60, Math.max(2, Math.round(windowMs / 1000)));
  const sleep = (windowMs / intervals / 1000).toFixed(3).replace(/\.?0+$/, '') || '0';
  return `grep '^cpu ' /proc/stat; for i in $(seq ${intervals}); do sleep ${sleep}; grep '^cpu ' /proc/stat; done`;
}

async function cpu(ctx: OsContext, out: OsCollection): Promise<void> {
  const command = cpuSamplingCommand(ctx.windowMs);
  const r = await runChecked({ ...ctx, session: ctx.direct ?? ctx.session }, out, ['SXKR-001'], command, { timeoutMs: ctx.windowMs + 30_000 });
  if (r) addRequired(out, parseProcStat(r.result.stdout, r.parse), ['SXKR-001'], r);
}

async function identity(ctx: OsContext, out: OsCollection): Promise<void> {
  // One framed command per field: a field that fails is absent, never another field's value.
  const [kernel, pretty, vendor, model, serial] = await Promise.all(
    [
      'uname -r',
      '. /etc/os-release && echo "$PRETTY_NAME"',
      'cat /sys/class/dmi/id/sys_vendor',
      'cat /sys/class/dmi/id/product_name',
      'cat /sys/class/dmi/id/product_serial',
    ].map((c) => runChecked(ctx, out, [], c)),
  );
  const text = (r: typeof kernel) => r?.result.stdout.trim().split('\n')[0]?.trim() || undefined;
  const placeholder = /^(to be filled by o\.e\.m\.|default string|system serial number|not specified|none|0+)$/i;
  const k = text(kernel);
  out.identity.os = [text(pretty) ?? 'Linux', k].filter(Boolean).join(', kernel ');
  if (k) out.identity.version = k;
  for (const [key, r] of [['vendor', vendor], ['model', model], ['serial', serial]] as const) {
    const v = text(r);
    if (v && !placeholder.test(v)) out.identity[key] = v;
  }
}

async function memory(ctx: OsContext, out: OsCollection): Promise<void> {
  const r = await runChecked(ctx, out, ['SXKR-002'], 'cat /proc/meminfo');
  if (r) addRequired(out, parseMeminfo(r.result.stdout, r.parse), ['SXKR-002'], r);
}

/** What the systemd probe prints on a host that was not booted with systemd. */
const NO_SYSTEMD = 'not booted with systemd (no /run/systemd/system)';

async function modules(ctx: OsContext, out: OsCollection): Promise<void> {
  // Issued together: they travel in one batch, each command framed on its own.
  const [df, md, link, failed] = await Promise.all([
    // df exits 1 when one mount (a stale NFS share) fails but still prints the others.
    runChecked(ctx, out, ['SXKR-003'], 'df -P -T', { okCodes: [0, 1], component: 'file systems' }),
    // No /proc/mdstat means no md driver loaded: no software RAID to judge, not a gap.
    runFor(ctx, out, ['SXKR-003'], 'if [ -e /proc/mdstat ]; then cat /proc/mdstat; else echo "no md driver"; fi'),
    runChecked(ctx, out, ['SXKR-003'], 'ip -o link', { component: 'network interfaces' }),
    // sd_booted(3) first: a host without systemd (SysV init, a container) has no units to list and
    // says so; on a systemd host the legend ("N loaded units listed.") makes empty output no answer.
    runFor(ctx, out, ['SXKR-003'], `if [ -d /run/systemd/system ]; then systemctl --failed --plain --no-pager; else echo '${NO_SYSTEMD}'; fi`),
  ]);
  if (df) addRequired(out, parseDf(df.result.stdout, df.parse), ['SXKR-003'], df, 'file systems');
  if (md) {
    const text = md.result.stdout.trim();
    if (md.result.code === 0 && text === 'no md driver') {
      // nothing to judge
    } else if (md.result.code !== 0 || !/^Personalities\s*:/m.test(text)) {
      failedGaps(out, ['SXKR-003'], md.parse.command, md.result.code !== 0 ? `exit ${md.result.code}: ${firstError(md.result)}` : `not /proc/mdstat (first line: "${text.split('\n')[0]?.slice(0, 120) ?? ''}")`, 'md arrays');
    } else addParsed(out, parseMdstat(md.result.stdout, md.parse));
  }
  if (link) {
    const parsed = parseIpLink(link.result.stdout, link.parse);
    // Only virtual links (a container) is an answer with nothing to judge; nothing readable is none.
    if (readIpLink(link.result.stdout).length > 0) addParsed(out, parsed);
    else addRequired(out, parsed, ['SXKR-003'], link, 'network interfaces');
  }
  const noSystemd = failed !== undefined && failed.result.code === 0 && failed.result.stdout.trim() === NO_SYSTEMD;
  const systemd = failed !== undefined && failed.result.code === 0 && /\d+ loaded units? listed/.test(failed.result.stdout);
  if (failed && systemd) addParsed(out, parseSystemctlFailed(failed.result.stdout, failed.parse));
  else if (failed && !noSystemd) {
    const why = failed.result.code === 0 ? `output not recognised (no "N loaded units listed" legend)` : `exit ${failed.result.code}: ${firstError(failed.result)}`;
    failedGaps(out, ['SXKR-003'], failed.parse.command, `${why}; systemd units not listed`, 'systemd units');
  }

  if (ctx.requiredServices.length > 0) {
    if (systemd) {
      const units = ctx.requiredServices;
      // is-active exits 3 when a unit is inactive: its answer is the printed states.
      const r = await runChecked(ctx, out, ['SXKR-003'], `systemctl is-active ${units.map(shellQuote).join(' ')}`, { okCodes: [0, 1, 2, 3, 4], component: 'required services' });
      if (r) addRequired(out, parseSystemctlIsActive(r.result.stdout, r.parse, units), ['SXKR-003'], r, 'required services');
    } else {
      // Without systemd (SysV init, containers) the honest check is whether the daemon runs.
      const runs = await Promise.all(ctx.requiredServices.map((name) => runFor(ctx, out, ['SXKR-003'], `pgrep -x ${shellQuote(name)}`)));
      ctx.requiredServices.forEach((name, i) => {
        const r = runs[i];
        if (!r) return;
        // pgrep: 0 with pids = running, 1 with nothing = not running; anything else is no answer.
        const pids = r.result.stdout.trim();
        const running = r.result.code === 0 && /^\d+(\s+\d+)*$/.test(pids);
        if (!running && !(r.result.code === 1 && !pids)) {
          failedGaps(out, ['SXKR-003'], r.parse.command, r.result.code === 0 ? `output not recognised ("${pids.slice(0, 60)}")` : `exit ${r.result.code}: ${firstError(r.result)}`, `service ${name}`);
          return;
        }
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
  await readIpmi(ctx, out);
}

/** What an IPMI reading gave, so a caller can fall back (the local source's hwmon) for the rest. */
export interface IpmiRead {
  powerFans: number;
  temperatures: number;
}

/**
 * In-band IPMI, the same three commands over SSH and on this host (the agent): `sdr elist` for
 * PSUs, fans and temperatures, `sensor` for the temperatures with the BMC's own limits (preferred
 * when it lists any), `sel elist` for the BMC's event log since the last inspection. Each one's
 * failure is a gap with its reason — unless another answered for the same readings: SDR
 * temperatures stand in for a failed `sensor`, their detail saying why no BMC limit is shown.
 */
export async function readIpmi(ctx: OsContext, out: OsCollection): Promise<IpmiRead> {
  const [sdr, sensor, sel] = await Promise.all([
    runFor(ctx, out, ['SXKR-004', 'SXKR-005'], 'ipmitool sdr elist', { timeoutMs: 60_000 }),
    runFor(ctx, out, [], 'ipmitool sensor', { timeoutMs: 60_000 }),
    runFor(ctx, out, ['SXKR-006'], 'ipmitool sel elist', { timeoutMs: 60_000 }),
  ]);
  let sensorTemps: ParseResult['measurements'] = [];
  let sensorWhy = sensor ? failureOf(sensor.result) : 'did not run';
  if (sensor && !sensorWhy) {
    sensorTemps = parseIpmiSensor(sensor.result.stdout, sensor.parse).measurements.filter((m) => m.check === 'SXKR-005');
    if (sensorTemps.length === 0) sensorWhy = `no temperature sensor recognised (first line: "${sensor.result.stdout.split('\n')[0]?.trim().slice(0, 120) ?? ''}")`;
  }
  const read: IpmiRead = { powerFans: 0, temperatures: sensorTemps.length };
  if (sdr) {
    const why = failureOf(sdr.result);
    if (why) failedGaps(out, sensorTemps.length > 0 ? ['SXKR-004'] : ['SXKR-004', 'SXKR-005'], sdr.parse.command, why);
    else {
      const parsed = parseIpmiSdr(sdr.result.stdout, sdr.parse);
      const sdrTemps = parsed.measurements.filter((m) => m.check === 'SXKR-005');
      const powerFans = parsed.measurements.filter((m) => m.check === 'SXKR-004');
      read.powerFans = powerFans.length;
      const temps = sensorTemps.length > 0 ? sensorTemps : sdrTemps.map((m) => ({ ...m, detail: clip(`${m.detail ? `${m.detail}; ` : ''}BMC limits not read (ipmitool sensor: ${sensorWhy})`, 2000) }));
      read.temperatures = temps.length;
      addRequired(out, { measurements: [...powerFans, ...temps], gaps: parsed.gaps }, sensorTemps.length > 0 ? ['SXKR-004'] : ['SXKR-004', 'SXKR-005'], sdr);
    }
  }
  if (sensorTemps.length > 0 && (!sdr || failureOf(sdr.result))) out.measurements.push(...sensorTemps);
  else if (sensorWhy && read.temperatures === 0 && sensor) failedGaps(out, ['SXKR-005'], sensor.parse.command, sensorWhy);
  // The BMC's event log holds hardware failures (PSU lost, fan failed) since the last inspection.
  if (sel) {
    const why = failureOf(sel.result) ?? unrecognisedLog(sel.result.stdout, LOG_LINE.ipmiSel);
    if (why) failedGaps(out, ['SXKR-006'], sel.parse.command, why, 'IPMI SEL');
    else addParsed(out, parseIpmiSel(sel.result.stdout, sel.parse, { since: ctx.logSince }));
  }
  return read;
}

/**
 * SMART health of every disk smartctl can talk to: `smartctl --scan` lists only devices with a
 * SMART-capable transport, so virtual disks (virtio, VMware) are not asked and not gaps.
 */
async function disks(ctx: OsContext, out: OsCollection): Promise<void> {
  // Without smartctl (exit 1 from `command -v`) no disk is asked; an empty scan is a host
  // without SMART-capable disks (virtual machines): an answer, not a failure.
  const scan = await runFor(ctx, out, [], 'command -v smartctl >/dev/null && smartctl --scan');
  if (!scan || scan.result.code !== 0) return;
  const commands = scan.result.stdout
    .split('\n')
    .map((line) => /^(\/dev\/\S+)(?:\s+-d\s+(\S+))?/.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => `smartctl -H ${m[2] ? `-d ${m[2]} ` : ''}${m[1]}`);
  const runs = await Promise.all(commands.map((c) => runChecked(ctx, out, ['SXKR-003'], c, { okCodes: SMARTCTL_ANSWERED, component: c.split(' ').pop()! })));
  runs.forEach((r, i) => {
    if (r) addRequired(out, parseSmartctl(r.result.stdout, r.parse), ['SXKR-003'], r, commands[i]!.split(' ').pop()!);
  });
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
    addLog(out, parseJournalJson(j.result.stdout, j.parse), j.result.stdout, LOG_LINE.journalJson, j.parse.command);
    return;
  }
  // Then the classic syslog file of the distribution (RHEL/SUSE: messages, Debian: syslog).
  const sc = 'for f in /var/log/messages /var/log/syslog; do if [ -r "$f" ]; then echo "$f"; tail -n 200000 "$f"; exit 0; fi; done; exit 1';
  // Syslog lines carry the host's local time without a zone: its UTC offset is read, never assumed.
  const [s, zone] = await Promise.all([runFor(ctx, out, ['SXKR-006'], sc, { timeoutMs: 60_000 }), runFor(ctx, out, [], 'date +%z')]);
  if (s && s.result.code === 0) {
    const [file, ...rest] = s.result.stdout.split('\n');
    const command = `tail -n 200000 ${file}`;
    const offset = zone && zone.result.code === 0 ? offsetMinutes(zone.result.stdout) : undefined;
    if (offset === undefined) {
      failedGaps(out, ['SXKR-006'], 'date +%z', `the host's UTC offset could not be read (${zone ? firstError(zone.result) || zone.result.stdout.trim() : 'no result'}): syslog times cannot be placed`, 'entry times');
    }
    addLog(out, parseSyslog(rest.join('\n'), { command, at: s.parse.at }, { since: ctx.logSince, utcOffsetMinutes: offset ?? 0 }), rest.join('\n'), LOG_LINE.syslog, command);
    return;
  }
  // Last the kernel ring buffer: it holds hardware and driver errors since boot.
  const why = await readDmesg(ctx, out);
  if (why) out.gaps.push({ check: 'SXKR-006', reason: `no readable log: journald has no journal, no /var/log/messages or /var/log/syslog, dmesg: ${why}`, command: DMESG_COMMAND });
}

export const DMESG_COMMAND = 'dmesg -x --time-format iso';

/**
 * The kernel ring buffer, the last log a Linux host has (no journal, no syslog file): hardware and
 * driver errors since boot. Returns why it could not be read (the caller words the gap), or
 * undefined when its entries (or a gap for unreadable output) were added.
 */
export async function readDmesg(ctx: OsContext, out: OsCollection): Promise<string | undefined> {
  const d = await runFor(ctx, out, ['SXKR-006'], DMESG_COMMAND, { timeoutMs: 60_000 });
  if (!d) return undefined;
  if (d.result.code !== 0) return firstError(d.result);
  // A running kernel's ring buffer always holds its boot messages: nothing printed is no answer.
  if (!d.result.stdout.trim()) {
    failedGaps(out, ['SXKR-006'], DMESG_COMMAND, failureOf(d.result) ?? 'printed nothing');
    return undefined;
  }
  addLog(out, parseDmesg(d.result.stdout, d.parse, { since: ctx.logSince }), d.result.stdout, LOG_LINE.dmesgIso, DMESG_COMMAND);
  return undefined;
}

/** A log's entries, unless its output is lines in no entry's format: then a gap, not a clean log. */
function addLog(out: OsCollection, parsed: ParseResult, text: string, entryLine: RegExp, command: string): void {
  const why = unrecognisedLog(text, entryLine);
  if (why) failedGaps(out, ['SXKR-006'], command, why);
  else addParsed(out, parsed);
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
