#!/usr/bin/env node
/**
 * `inspect` — the engineer's command: the six-check inspection form of this machine (--local),
 * of one SNMP device (--snmp), one BMC (--redfish), one IBM Power server through its HMC (--hmc), or of a whole site from its inventory file (--site).
 */
import { Command, Option } from 'commander';
import { canonicalTimeZone, DEFAULT_TIME_ZONE, evaluateReport, exitCodeFor, renderForm } from '../checks/index.js';
import { collectLocal } from '../checks/sources/local/index.js';
import { collectSnmp, type SnmpTarget } from '../checks/sources/snmp/index.js';
import { FIELD_KEY_ENV, collectHmcFromFlags, collectRedfishFromFlags, runSiteInspection, runUpload, terminalPasswordPrompt, writeExampleSiteFile, type UploadTarget } from '../checks/run/index.js';
import { XunjianError, parseDuration, type Lang, type Report } from '../schemas/index.js';
import { EXIT, runMain } from './exit.js';

interface InspectOptions {
  local?: boolean;
  snmp?: string;
  redfish?: string;
  bmcUser?: string;
  bmcAuth: 'session' | 'basic';
  bmcTimeout: string;
  pins?: string;
  hmc?: string;
  managedSystem?: string;
  hmcUser?: string;
  key?: string;
  knownHosts?: string;
  hostname?: string;
  site?: string;
  window?: string;
  lang: Lang;
  timeZone: string;
  json?: boolean;
  requireService: string[];
  community?: string;
  snmpVersion: '1' | '2c' | '3';
  v3User?: string;
  v3Level: 'noAuthNoPriv' | 'authNoPriv' | 'authPriv';
  v3AuthProtocol: 'sha' | 'md5';
  v3PrivProtocol: 'aes' | 'des';
  timeout: string;
  retries: string;
  concurrency: string;
  acceptNew?: boolean;
  group: string[];
  out: string;
  save: boolean;
  keep?: boolean;
  collector?: string;
  token?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function snmpTarget(hostPort: string, o: InspectOptions): SnmpTarget {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hostPort);
  if (!match) throw new XunjianError('USAGE', `--snmp expects HOST or HOST:PORT, got "${hostPort}"`);
  const community = o.community ?? process.env.XUNJIAN_SNMP_COMMUNITY;
  if (o.snmpVersion !== '3' && !community) throw new XunjianError('USAGE', '--community (or XUNJIAN_SNMP_COMMUNITY) is required for SNMP v1/v2c');
  if (o.snmpVersion === '3' && !o.v3User) throw new XunjianError('USAGE', '--v3-user is required for SNMP v3');
  return {
    host: match[1]!.replace(/^\[|\]$/g, ''),
    port: match[2] ? Number(match[2]) : 161,
    version: o.snmpVersion,
    ...(community ? { community } : {}),
    ...(o.snmpVersion === '3'
      ? {
          v3: {
            user: o.v3User!,
            level: o.v3Level,
            authProtocol: o.v3AuthProtocol,
            authKey: process.env.XUNJIAN_SNMP_AUTH_KEY ?? '',
            privProtocol: o.v3PrivProtocol,
            privKey: process.env.XUNJIAN_SNMP_PRIV_KEY ?? '',
          },
        }
      : {}),
    timeoutMs: parseDuration(o.timeout, '--timeout'),
    retries: Number(o.retries),
  };
}

function positiveInteger(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new XunjianError('USAGE', `${flag} expects a whole number ≥ 1, got "${value}"`);
  return n;
}

/** --collector/--token, falling back to the environment; undefined when no upload is asked for. */
function uploadTarget(o: { collector?: string; token?: string }): UploadTarget | undefined {
  const collector = o.collector ?? process.env.XUNJIAN_COLLECTOR_URL;
  if (!collector) return undefined;
  return { collector, token: o.token ?? process.env.XUNJIAN_TOKEN ?? '' };
}

/** The field key (sealing the saved inspection) from the environment, never a flag (it would show in ps). */
const fieldKeep = (o: { keep?: boolean }) => {
  const key = process.env[FIELD_KEY_ENV];
  return { keep: o.keep ?? false, ...(key ? { fieldKey: key } : {}) };
};

const io = () => ({
  stdout: process.stdout,
  stderr: process.stderr,
  ...(process.stdin.isTTY ? { prompt: terminalPasswordPrompt } : {}),
});

async function inspect(o: InspectOptions): Promise<number> {
  const modes = [o.local, o.snmp, o.redfish, o.hmc, o.site].filter(Boolean).length;
  if (modes !== 1) throw new XunjianError('USAGE', 'say what to inspect: --local, --snmp HOST, --redfish HOST, --hmc HOST, or --site FILE (write one with: inspect init)');
  if (o.site) {
    return runSiteInspection(
      {
        site: o.site,
        // Per device, devices in parallel: 5 s keeps a 100-device site near half a minute.
        windowMs: parseDuration(o.window ?? '5s', '--window'),
        concurrency: positiveInteger(o.concurrency, '--concurrency'),
        acceptNew: o.acceptNew ?? false,
        groups: o.group,
        lang: o.lang,
        json: o.json ?? false,
        out: o.save ? o.out : undefined,
        upload: uploadTarget(o),
        ...fieldKeep(o),
      },
      io(),
    );
  }
  const windowMs = parseDuration(o.window ?? '10s', '--window');
  let report: Report;
  if (o.local) {
    report = (await collectLocal({ windowMs, requiredServices: o.requireService })).report;
  } else if (o.redfish) {
    report = await collectRedfishFromFlags(o.redfish, {
      ...(o.bmcUser ? { user: o.bmcUser } : {}),
      auth: o.bmcAuth,
      acceptNew: o.acceptNew ?? false,
      ...(o.pins ? { pins: o.pins } : {}),
      timeoutMs: parseDuration(o.bmcTimeout, '--bmc-timeout'),
      env: process.env,
    });
  } else if (o.hmc) {
    report = await collectHmcFromFlags(o.hmc, {
      ...(o.managedSystem ? { managedSystem: o.managedSystem } : {}),
      ...(o.hmcUser ? { user: o.hmcUser } : {}),
      ...(o.key ? { key: o.key } : {}),
      ...(o.knownHosts ? { knownHosts: o.knownHosts } : {}),
      ...(o.hostname ? { hostname: o.hostname } : {}),
      acceptNew: o.acceptNew ?? false,
      timeoutMs: parseDuration(o.bmcTimeout, '--bmc-timeout'),
      env: process.env,
    });
  } else {
    report = await collectSnmp(snmpTarget(o.snmp!, o), { windowMs });
  }
  const overrides = o.requireService.length ? { site: { 'SXKR-003': { requiredServices: o.requireService } } } : undefined;
  const zone = canonicalTimeZone(o.timeZone);
  if (!zone) throw new XunjianError('USAGE', `--time-zone must be an IANA time zone such as Asia/Shanghai, got "${o.timeZone}"`);
  const results = evaluateReport(report, overrides, { lang: o.lang, timeZone: zone });
  process.stdout.write(o.json ? `${JSON.stringify({ report, results }, null, 2)}\n` : `${renderForm(report, results, o.lang, zone)}\n`);
  return exitCodeFor(results.map((r) => r.verdict));
}

const program = new Command('inspect')
  .description('Inspect a device and print the SXKR-001…006 inspection form (巡检表)')
  .option('--local', 'inspect the machine this runs on')
  .option('--snmp <host[:port]>', 'inspect one network device or UPS over SNMP')
  .option('--redfish <host[:port]>', "inspect one server's management controller (iLO, XCC, iDRAC…) over Redfish; password from XUNJIAN_BMC_PASSWORD")
  .option('--bmc-user <user>', '--redfish: BMC user (or XUNJIAN_BMC_USER)')
  .addOption(new Option('--bmc-auth <mode>', '--redfish: session (log in and out) or basic').choices(['session', 'basic']).default('session'))
  .option('--bmc-timeout <duration>', '--redfish: timeout per request; --hmc: per login and per command', '10s')
  .option('--pins <file>', '--redfish: pinned BMC certificates (default ~/.ssh/known_bmc_certs)')
  .option('--hmc <host[:port]>', 'inspect one IBM Power server through its HMC over SSH (with --managed-system)')
  .option('--managed-system <name>', "--hmc: the server's name on the HMC, or its type-model*serial")
  .option('--hmc-user <user>', '--hmc: HMC user (or XUNJIAN_HMC_USER; default hscroot); password from XUNJIAN_HMC_PASSWORD')
  .option('--key <file>', '--hmc: private key file (else the ssh-agent, else XUNJIAN_HMC_PASSWORD)')
  .option('--known-hosts <file>', '--hmc: known_hosts file (default ~/.ssh/known_hosts)')
  .option('--hostname <name>', "--hmc: the server's name in the form (default: the managed system's)")
  .option('--site <file>', 'inspect a whole site from its inventory (hq → hq.yaml, sites/hq.yaml)')
  .option('--window <duration>', 'CPU sampling window per device (default 10s; 5s with --site)')
  .addOption(new Option('--lang <lang>', 'language of the form').choices(['zh', 'en']).default('zh'))
  .option('--time-zone <zone>', "one device: the IANA time zone its form's times print in (--site: the inventory's time_zone)", DEFAULT_TIME_ZONE)
  .option('--json', 'print the report and results as JSON (schemas InspectionForm)')
  .option('--require-service <name>', 'a service that must be running (repeatable)', collect, [])
  .option('--community <community>', 'SNMP v1/v2c community (or XUNJIAN_SNMP_COMMUNITY)')
  .addOption(new Option('--snmp-version <v>', 'SNMP version').choices(['1', '2c', '3']).default('2c'))
  .option('--v3-user <user>', 'SNMPv3 user (keys from XUNJIAN_SNMP_AUTH_KEY / XUNJIAN_SNMP_PRIV_KEY)')
  .addOption(new Option('--v3-level <level>', 'SNMPv3 security level').choices(['noAuthNoPriv', 'authNoPriv', 'authPriv']).default('authPriv'))
  .addOption(new Option('--v3-auth-protocol <p>').choices(['sha', 'md5']).default('sha'))
  .addOption(new Option('--v3-priv-protocol <p>').choices(['aes', 'des']).default('aes'))
  .option('--timeout <duration>', 'SNMP timeout per request', '2s')
  .option('--retries <n>', 'SNMP retries per request', '1')
  .option('--concurrency <n>', '--site: devices inspected at once', '16')
  .option('--accept-new', '--site, --redfish, --hmc: trust and record host keys and BMC certificates seen for the first time')
  .option('--group <name>', '--site: only the devices of this group (repeatable)', collect, [])
  .option('--out <dir>', '--site: folder for the report files', 'inspections')
  .option('--no-save', '--site: do not write the report files')
  .option('--keep', '--site: keep the saved inspection after a successful upload (removed by default)')
  .option('--collector <url>', '--site: upload the inspection to this collector, or the first of several that answers (comma-separated; or XUNJIAN_COLLECTOR_URL)')
  .option('--token <token>', 'collector token of an engineer (or XUNJIAN_TOKEN, which keeps it out of ps)')
  .enablePositionalOptions()
  .exitOverride()
  .action(async (o: InspectOptions) => {
    process.exitCode = await inspect(o);
  });

program
  .command('init')
  .description('write a commented example site inventory to FILE (default site.yaml)')
  .argument('[file]', 'where to write it', 'site.yaml')
  .option('--force', 'overwrite an existing file')
  .exitOverride()
  .action((file: string, o: { force?: boolean }) => {
    writeExampleSiteFile(file, { force: o.force ?? false });
    process.stderr.write(`wrote ${file}: fill in the devices, then run: inspect --site ${file}\n`);
  });

program
  .command('upload')
  .description('upload saved inspections (inspection.json, its folder, or inspect --json output) to the collector')
  .argument('<files...>', 'inspection files or folders under ./inspections')
  .option('--collector <url>', 'the collector, or several comma-separated (or XUNJIAN_COLLECTOR_URL)')
  .option('--token <token>', 'collector token of an engineer (or XUNJIAN_TOKEN)')
  .option('--site <name>', 'the site, for forms that do not name one (inspect --local --json)')
  .option('--keep', 'keep a saved inspection (inspection.json[.enc]) after it was uploaded')
  .addOption(new Option('--lang <lang>', 'language of the messages').choices(['zh', 'en']).default('zh'))
  .exitOverride()
  .action(async (files: string[], o: { collector?: string; token?: string; site?: string; lang: Lang; keep?: boolean }) => {
    const upload = uploadTarget(o);
    if (!upload) throw new XunjianError('USAGE', 'say where to upload: --collector URL (or XUNJIAN_COLLECTOR_URL)');
    process.exitCode = await runUpload(files, { ...(o.site ? { site: o.site } : {}), lang: o.lang, upload, ...fieldKeep(o) }, io());
  });

program.addHelpText(
  'after',
  `
Exit codes: ${EXIT.normal} all normal · ${EXIT.abnormal} something abnormal · ${EXIT.unknown} nothing abnormal but something unknown · ${EXIT.usage} usage error · ${EXIT.internal} internal error · ${EXIT.uploadFailed} inspected but not uploaded (saved; see inspect upload)

Examples:
  inspect --local --window 10s
  inspect --local --lang en --json > form.json
  inspect --snmp 10.0.0.2 --community public
  XUNJIAN_BMC_PASSWORD=… inspect --redfish 10.0.0.50 --bmc-user admin --accept-new
  inspect --hmc hmc01 --managed-system Server-9117-MMA-SN10ACFDE --key ~/.ssh/id_hmc --accept-new
  inspect init hq.yaml
  inspect --site hq --accept-new
  XUNJIAN_TOKEN=… inspect --site hq --collector https://collector:8443
  XUNJIAN_TOKEN=… inspect upload inspections/hq-2026-11-28 --collector https://collector:8443
  XUNJIAN_SNMP_AUTH_KEY=… XUNJIAN_SNMP_PRIV_KEY=… inspect --snmp core-sw:161 --snmp-version 3 --v3-user monitor`,
);

await runMain('inspect', async () => {
  await program.parseAsync(process.argv);
  return process.exitCode as number | undefined;
});
