#!/usr/bin/env node
/**
 * `inspect` — the engineer's command: the six-check inspection form of this machine (--local),
 * of one SNMP device (--snmp), or of a whole site from its inventory file (--site).
 */
import { Command, Option } from 'commander';
import { evaluateReport, exitCodeFor, renderForm } from '../checks/index.js';
import { collectLocal } from '../checks/sources/local/index.js';
import { collectSnmp, type SnmpTarget } from '../checks/sources/snmp/index.js';
import { XunjianError, parseDuration, type Lang, type Report } from '../schemas/index.js';
import { EXIT, runMain } from './exit.js';

interface InspectOptions {
  local?: boolean;
  snmp?: string;
  window: string;
  lang: Lang;
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

async function inspectOne(o: InspectOptions): Promise<number> {
  const modes = [o.local, o.snmp].filter(Boolean).length;
  if (modes !== 1) throw new XunjianError('USAGE', 'say what to inspect: --local, or --snmp HOST (or a site: inspect site FILE)');
  const windowMs = parseDuration(o.window, '--window');
  let report: Report;
  if (o.local) {
    report = (await collectLocal({ windowMs, requiredServices: o.requireService })).report;
  } else {
    report = await collectSnmp(snmpTarget(o.snmp!, o), { windowMs });
  }
  const overrides = o.requireService.length ? { site: { 'SXKR-003': { requiredServices: o.requireService } } } : undefined;
  const results = evaluateReport(report, overrides, { lang: o.lang });
  process.stdout.write(o.json ? `${JSON.stringify({ report, results }, null, 2)}\n` : `${renderForm(report, results, o.lang)}\n`);
  return exitCodeFor(results.map((r) => r.verdict));
}

const program = new Command('inspect')
  .description('Inspect a device and print the SXKR-001…006 inspection form (巡检表)')
  .option('--local', 'inspect the machine this runs on')
  .option('--snmp <host[:port]>', 'inspect one network device or UPS over SNMP')
  .option('--window <duration>', 'CPU sampling window (e.g. 10s, 5m)', '10s')
  .addOption(new Option('--lang <lang>', 'language of the form').choices(['zh', 'en']).default('zh'))
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
  .exitOverride()
  .action(async (o: InspectOptions) => {
    process.exitCode = await inspectOne(o);
  });

program.addHelpText(
  'after',
  `
Exit codes: ${EXIT.normal} all normal · ${EXIT.abnormal} something abnormal · ${EXIT.unknown} nothing abnormal but something unknown · ${EXIT.usage} usage error · ${EXIT.internal} internal error

Examples:
  inspect --local --window 10s
  inspect --local --lang en --json > form.json
  inspect --snmp 10.0.0.2 --community public
  XUNJIAN_SNMP_AUTH_KEY=… XUNJIAN_SNMP_PRIV_KEY=… inspect --snmp core-sw:161 --snmp-version 3 --v3-user monitor`,
);

await runMain('inspect', async () => {
  await program.parseAsync(process.argv);
  return process.exitCode as number | undefined;
});
