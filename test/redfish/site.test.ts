/**
 * Combined sources in `inspect --site`: real sshd servers (ports 2370–2371 belong to this file)
 * for CPU, memory, file systems and OS logs, and the DMTF mockup over HTTPS as their management
 * controllers for power, fans, temperatures, hardware modules and hardware logs — or, for an older
 * server, ipmi_sim over IPMI-over-LAN (UDP 9630–9632). Every value's
 * command says where it came from; a controller that cannot be read leaves its checks unknown
 * while the OS's checks are still measured. Skipped, saying so, without the shared mockup.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectSite, parseSiteFile, SiteFileError, type SiteInspection } from '../../checks/run/index.js';
import { mockupPresent, PUBLIC_RACKMOUNT, startRedfishMockup, type RedfishMockup } from '../helpers/redfish.js';
import { startIpmiSim, type IpmiSim } from '../helpers/ipmisim.js';
import { startSshdFleet, type SshdFleet } from '../helpers/sshd.js';

const present = mockupPresent();
if (!present) console.warn(`combined SSH + Redfish suite skipped: ${PUBLIC_RACKMOUNT} is not here`);

describe.skipIf(!present)('a site whose servers have management controllers', () => {
  let fleet: SshdFleet;
  let bmc: RedfishMockup;
  let ipmi: IpmiSim;
  let dir: string;
  let inspection: SiteInspection;
  const device = (name: string) => inspection.devices.find((d) => d.device.name === name)!;
  const result = (name: string, check: string) => device(name).results.find((r) => r.check === check)!;

  beforeAll(async () => {
    [fleet, bmc, ipmi] = await Promise.all([
      startSshdFleet([2370, 2371]),
      startRedfishMockup({ mockupDir: PUBLIC_RACKMOUNT, users: { admin: 'pw' } }),
      startIpmiSim({
        sdrs: readFileSync(join(import.meta.dirname, '../ipmi-lan/bmc.sdrs'), 'utf8'),
        commands: ['sensor_add 0x20 0 1 0x01 0x01', 'sensor_set_value 0x20 0 1 24 0', 'sensor_set_threshold 0x20 0 1 settable 111000 50 42 38 00 00 00', 'sensor_add 0x20 0 8 0x08 0x6f', 'sensor_set_bit_clr_rest 0x20 0 8 0 1 0', 'sensor_set_bit 0x20 0 8 1 1 0'],
        ports: [9630, 9631, 9632],
        password: 'ipmi-pw',
      }),
    ]);
    dir = mkdtempSync(join(tmpdir(), 'xunjian-site-bmc-'));
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, fleet.knownHosts());
    const site = {
      site: 'bmcsite',
      ssh: { user: fleet.user, auth: { key_file: fleet.clientKeyPath }, known_hosts: knownHosts, timeout_s: 10 },
      servers: [
        { name: 'app01', host: '127.0.0.1', port: 2370, bmc: { host: '127.0.0.1', port: bmc.port, user: 'admin', password_env: 'XJ_TEST_BMC_PW' } },
        { name: 'app02', host: '127.0.0.1', port: 2371, bmc: { host: '127.0.0.1', port: 1, user: 'admin', password_env: 'XJ_TEST_BMC_PW', timeout_s: 2 } },
        { name: 'app03', host: '127.0.0.1', port: 2371, bmc: { host: '127.0.0.1', port: bmc.port, user: 'admin', password_env: 'XJ_TEST_BMC_UNSET' } },
        { name: 'old01', host: '127.0.0.1', port: 2370, bmc: { protocol: 'ipmi', host: '127.0.0.1', port: ipmi.port, user: 'admin', password_env: 'XJ_TEST_IPMI_PW', cipher_suite: 3 } },
      ],
      thresholds: { site: { 'SXKR-001': { avgMax: 100, peakMax: 100 }, 'SXKR-002': { usedMax: 100 }, 'SXKR-003': { fsUsedMax: 100 } } },
    };
    const file = join(dir, 'bmcsite.yaml');
    writeFileSync(file, stringify(site));
    inspection = await inspectSite(parseSiteFile(readFileSync(file, 'utf8'), file), {
      windowMs: 1000,
      acceptNew: true,
      lang: 'en',
      env: { ...process.env, XJ_TEST_BMC_PW: 'pw', XJ_TEST_IPMI_PW: 'ipmi-pw' },
    });
  }, 120_000);
  afterAll(async () => {
    await Promise.all([fleet?.stop(), bmc?.stop(), ipmi?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('takes CPU and memory from SSH and power, fans, temperatures from the BMC, each with its command', () => {
    const d = device('app01');
    expect(d.report.source).toBe('ssh');
    const cpu = d.report.measurements.find((m) => m.metric === 'cpu.avg')!;
    expect(cpu.command).not.toMatch(/^GET https/);
    const psu = d.report.measurements.find((m) => m.metric === 'psu.state')!;
    expect(psu.command).toBe(`GET https://127.0.0.1:${bmc.port}/redfish/v1/Chassis/1U/Power`);
    expect(result('app01', 'SXKR-001').verdict).toBe('normal');
    expect(result('app01', 'SXKR-004').verdict).toBe('abnormal');
    expect(result('app01', 'SXKR-005').verdict).toBe('normal');
    // The OS's "no IPMI here" is not a gap any more: the BMC answered for SXKR-004/005.
    expect(d.report.gaps.filter((g) => g.check === 'SXKR-004' || g.check === 'SXKR-005')).toEqual([]);
    // SXKR-003 holds both: file systems over SSH and the drive the BMC reports in Warning.
    const modules = result('app01', 'SXKR-003');
    expect(modules.verdict).toBe('abnormal');
    expect(modules.components.some((c) => c.command?.startsWith('df'))).toBe(true);
    expect(modules.components.find((c) => c.verdict === 'abnormal')!.component).toBe('drive SATA Bay 2');
    expect(d.report.identity).toMatchObject({ serial: '437XR1138R2' });
    // The certificate was pinned beside known_hosts.
    expect(readFileSync(join(dir, 'known_bmc_certs'), 'utf8')).toContain(bmc.fingerprint);
  });

  it('an unreachable controller: hardware checks unknown with the reason, CPU and memory still measured', () => {
    expect(result('app02', 'SXKR-001').verdict).toBe('normal');
    expect(result('app02', 'SXKR-004').verdict).toBe('unknown');
    expect(result('app02', 'SXKR-004').reason).toMatch(/BMC 127\.0\.0\.1:1 unreachable/);
    expect(result('app02', 'SXKR-003').verdict).toBe('unknown');
    expect(device('app02').failed).toBe(false);
  });

  it('a password variable that is not set: the hardware checks say which', () => {
    expect(result('app03', 'SXKR-005').reason).toContain('environment variable XJ_TEST_BMC_UNSET (password of admin on BMC 127.0.0.1) is not set');
    expect(result('app03', 'SXKR-002').verdict).toBe('normal');
  });

  it('an older server over IPMI on the LAN: its failed PSU from ipmitool, CPU from SSH', () => {
    expect(result('old01', 'SXKR-004').verdict).toBe('abnormal');
    expect(result('old01', 'SXKR-004').components.find((c) => c.verdict === 'abnormal')).toMatchObject({ component: 'PS1 Status' });
    expect(result('old01', 'SXKR-004').commands.join(' ')).toContain(`ipmitool -I lanplus -H 127.0.0.1 -p ${ipmi.port} -U admin sdr elist`);
    expect(result('old01', 'SXKR-005').verdict).toBe('normal');
    expect(result('old01', 'SXKR-001').verdict).toBe('normal');
  });

  it('refuses a BMC password written into the site file', () => {
    const text = stringify({ site: 's', ssh: { user: 'u', auth: { agent: true } }, servers: [{ host: 'h', bmc: { host: 'b', user: 'admin', password: 'x', password_env: 'P' } }] });
    expect(() => parseSiteFile(text, 's.yaml')).toThrow(SiteFileError);
    expect(() => parseSiteFile(text, 's.yaml')).toThrow(/secrets are never stored in the site file/);
  });
});
