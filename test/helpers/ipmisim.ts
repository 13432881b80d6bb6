/**
 * A real IPMI-over-LAN BMC for tests: Debian's `ipmi_sim` (package openipmi) on a loopback UDP
 * port, run as `nobody` when the tests run as root, configured by the test — sensor data records
 * written in sdrcomp's text form and compiled with `sdrcomp`, sensor values, thresholds, SEL
 * events and FRU data set by ipmi_sim commands (man ipmi_sim_cmd), one admin user. Readiness is
 * awaited with a real `ipmitool -I lanplus … mc info`, never a sleep.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export interface IpmiSim {
  host: string;
  port: number;
  user: string;
  password: string;
  log(): string;
  stop(): Promise<void>;
}

export interface IpmiSimOptions {
  /** Sensor data records in sdrcomp's text form (the MC locator record is added). */
  sdrs: string;
  /** ipmi_sim commands run after the BMC is added and before it is enabled. */
  commands: string[];
  /** UDP ports to try, first free one wins. */
  ports: number[];
  user?: string;
  password?: string;
}

const MC_LOCATOR = `sdr type 18
	device_slave_address	0x20
	device_channel_number	0
	chassis			true
	ipmb_event_gen		false
	ipmb_event_recv		false
	fru_inventory		true
	sel			true
	sdr			true
	sensor			true
	entity_id		system_board
	entity_instance		1
	id_string		"xunjian-sim"
endsdr
`;

/** FRU data (IPMI Platform Management FRU spec v1.0): a common header and a product info area. */
export function fruBytes(p: { manufacturer: string; product: string; part: string; version: string; serial: string }): number[] {
  const field = (s: string) => [0xc0 | s.length, ...Buffer.from(s, 'ascii')];
  const body = [0x01, 0, 0x00, ...field(p.manufacturer), ...field(p.product), ...field(p.part), ...field(p.version), ...field(p.serial), ...field(''), ...field(''), 0xc1];
  while ((body.length + 1) % 8 !== 0) body.push(0);
  body[1] = (body.length + 1) / 8;
  const sum = (a: number[]) => a.reduce((x, y) => (x + y) & 0xff, 0);
  body.push((0x100 - sum(body)) & 0xff);
  const header = [0x01, 0, 0, 0, 1, 0, 0];
  header.push((0x100 - sum(header)) & 0xff);
  return [...header, ...body];
}

function ipmitool(sim: { port: number; user: string; password: string }, args: string[]): Promise<{ ok: boolean; out: string }> {
  return new Promise((resolve) =>
    execFile('ipmitool', ['-I', 'lanplus', '-C', '3', '-H', '127.0.0.1', '-p', String(sim.port), '-U', sim.user, '-E', '-N', '1', '-R', '1', ...args], { env: { ...process.env, IPMI_PASSWORD: sim.password }, timeout: 10_000 }, (e, out, err) =>
      resolve({ ok: !e, out: `${out}${err}` }),
    ),
  );
}

export async function startIpmiSim(opts: IpmiSimOptions): Promise<IpmiSim> {
  const user = opts.user ?? 'admin';
  const password = opts.password ?? 'ipmi-test-pw';
  const dir = mkdtempSync(join(tmpdir(), 'xunjian-ipmisim-'));
  chmodSync(dir, 0o777);
  writeFileSync(join(dir, 'main.sdrs'), `${MC_LOCATOR}\n${opts.sdrs}`);
  execFileSync('sdrcomp', ['-o', join(dir, 'main.bsdr'), join(dir, 'main.sdrs')]);
  const state = join(dir, 'state', 'ipmi_sim', 'xjsim');
  mkdirSync(state, { recursive: true });
  execFileSync('cp', [join(dir, 'main.bsdr'), join(state, 'sdr.20.main')]);
  execFileSync('chmod', ['-R', 'a+rwX', join(dir, 'state')]);
  writeFileSync(
    join(dir, 'sim.emu'),
    ['mc_setbmc 0x20', 'mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr', 'sel_enable 0x20 1000 0x0a', ...opts.commands, 'mc_enable 0x20', ''].join('\n'),
  );
  const asRoot = userInfo().uid === 0;
  let lastLog = '';
  for (const port of opts.ports) {
    writeFileSync(
      join(dir, 'lan.conf'),
      [
        'name "xjsim"',
        'set_working_mc 0x20',
        '  startlan 1',
        `    addr 127.0.0.1 ${port}`,
        '    priv_limit admin',
        '    allowed_auths_callback md5',
        '    allowed_auths_user md5',
        '    allowed_auths_operator md5',
        '    allowed_auths_admin md5',
        '    guid a123456789abcdefa123456789abcdef',
        '  endlan',
        `  user 2 true "${user}" "${password}" admin 10 md5`,
        '',
      ].join('\n'),
    );
    let log = '';
    const child: ChildProcess = spawn('ipmi_sim', ['-c', join(dir, 'lan.conf'), '-f', join(dir, 'sim.emu'), '-s', join(dir, 'state'), '-n'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      // A simulator has no business running as root: nobody can bind a port above 1024.
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
    let exited = false;
    child.once('exit', () => (exited = true));
    const deadline = Date.now() + 15_000;
    let ready = false;
    while (!exited && Date.now() < deadline) {
      if ((await ipmitool({ port, user, password }, ['mc', 'info'])).ok) {
        ready = true;
        break;
      }
    }
    if (ready) {
      return {
        host: '127.0.0.1',
        port,
        user,
        password,
        log: () => log,
        stop: async () => {
          if (!exited) {
            const gone = new Promise<void>((r) => child.once('exit', () => r()));
            child.kill('SIGTERM');
            await gone;
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    lastLog = log;
    if (!exited) child.kill('SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`ipmi_sim did not answer on any of ports ${opts.ports.join(', ')}: ${lastLog}`);
}
