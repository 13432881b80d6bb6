/**
 * Debian's Net-SNMP agent (`snmpd`) on a loopback port with SNMPv3 users configured in a temp dir:
 * `xjpriv` (authPriv, SHA + AES) and `xjauth` (authNoPriv, SHA). Nothing outside the temp dir is
 * read or written (-C, SNMP_PERSISTENT_DIR). Readiness is a real v3 GET, never a sleep.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SnmpSession } from '../../checks/sources/snmp/index.js';

export const V3_USERS = {
  priv: { user: 'xjpriv', authKey: 'xunjian-auth-8421', privKey: 'xunjian-priv-1937' },
  auth: { user: 'xjauth', authKey: 'xunjian-auth-5530' },
} as const;

export interface Snmpd {
  host: string;
  port: number;
  stop(): Promise<void>;
  log(): string;
}

const PORTS = Array.from({ length: 100 }, (_, i) => 16100 + i);

export async function startSnmpd(sysName = 'v3-lab'): Promise<Snmpd> {
  const dir = mkdtempSync(join(tmpdir(), 'xunjian-snmpd-'));
  const persist = join(dir, 'persist');
  mkdirSync(persist);
  const logFile = join(dir, 'snmpd.log');
  const log = () => {
    try {
      return readFileSync(logFile, 'utf8');
    } catch {
      return '';
    }
  };
  for (const port of [...PORTS].sort(() => Math.random() - 0.5).slice(0, 10)) {
    const conf = join(dir, 'snmpd.conf');
    writeFileSync(
      conf,
      [
        `agentAddress udp:127.0.0.1:${port}`,
        `createUser ${V3_USERS.priv.user} SHA "${V3_USERS.priv.authKey}" AES "${V3_USERS.priv.privKey}"`,
        `createUser ${V3_USERS.auth.user} SHA "${V3_USERS.auth.authKey}"`,
        `rouser ${V3_USERS.priv.user} priv`,
        `rouser ${V3_USERS.auth.user} auth`,
        `sysName ${sysName}`,
        'sysLocation xunjian test',
        '',
      ].join('\n'),
    );
    const child: ChildProcess = spawn('snmpd', ['-f', '-C', '-c', conf, '-Lf', logFile, '-p', join(dir, 'snmpd.pid'), '-m', ''], {
      env: { ...process.env, SNMP_PERSISTENT_DIR: persist, MIBS: '' },
      stdio: 'ignore',
    });
    let exited = false;
    child.once('exit', () => (exited = true));
    const deadline = Date.now() + 20_000;
    while (!exited && Date.now() < deadline) {
      const s = new SnmpSession({ host: '127.0.0.1', port, version: '3', level: 'authPriv', ...V3_USERS.priv, timeoutMs: 300, retries: 0 });
      const ok = await s.get(['1.3.6.1.2.1.1.5.0']).then(
        () => true,
        () => false,
      );
      s.close();
      if (ok) {
        return {
          host: '127.0.0.1',
          port,
          log,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) {
              await new Promise<void>((resolve) => {
                const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
                child.once('exit', () => {
                  clearTimeout(kill);
                  resolve();
                });
                child.kill('SIGTERM');
              });
            }
            rmSync(dir, { recursive: true, force: true });
          },
        };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!exited) child.kill('SIGKILL');
    // exited: the port was probably taken; try another
  }
  const text = log();
  rmSync(dir, { recursive: true, force: true });
  throw new Error(`snmpd did not start: ${text.slice(-2000)}`);
}
