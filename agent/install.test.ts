import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderUnit } from './install.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xj-install-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', resolve('bin/xunjian-agent.ts'), 'agent', ...args], { encoding: 'utf8' });

describe('systemd unit', () => {
  it('is hardened, runs as the dedicated user and may write only the spool and state', () => {
    const unit = renderUnit({ execStart: '/usr/bin/node /opt/x/xunjian.js agent run --config /etc/xunjian/agent.yaml', configPath: '/etc/xunjian/agent.yaml', spoolDir: '/var/spool/xunjian-agent', stateDir: '/var/lib/xunjian-agent', user: 'xunjian' });
    for (const line of [
      'User=xunjian',
      'NoNewPrivileges=yes',
      'ProtectSystem=strict',
      'ReadWritePaths=/var/spool/xunjian-agent /var/lib/xunjian-agent',
      'PrivateTmp=yes',
      'SupplementaryGroups=systemd-journal adm disk',
      'AmbientCapabilities=CAP_SYS_RAWIO',
      'KillSignal=SIGTERM',
      'ExecStart=/usr/bin/node /opt/x/xunjian.js agent run --config /etc/xunjian/agent.yaml',
    ]) expect(unit.split('\n')).toContain(line);
    const root = renderUnit({ execStart: 'x', configPath: '/c', spoolDir: '/s', stateDir: '/t', user: 'root' });
    expect(root).toContain('User=root');
    expect(root).not.toContain('AmbientCapabilities');
    expect(root).toContain('ProtectSystem=strict');
  });

  it('`agent install` writes it and `agent uninstall` removes it (real CLI, unit path in a temp dir)', () => {
    const config = join(dir, 'agent.yaml');
    writeFileSync(config, `collector: { url: "http://c:8470" }\nspool: { dir: ${join(dir, 'spool')} }\nstateDir: ${join(dir, 'state')}\n`);
    const unitPath = join(dir, 'xunjian-agent.service');
    const installed = cli('install', '--config', config, '--unit-path', unitPath, '--no-create-user', '--no-systemctl');
    expect(installed.status).toBe(0);
    const unit = readFileSync(unitPath, 'utf8');
    expect(unit).toContain(`ReadWritePaths=${join(dir, 'spool')} ${join(dir, 'state')}`);
    expect(unit).toMatch(new RegExp(`^ExecStart=\\S*node .*agent run --config ${config}$`, 'm'));
    const removed = cli('uninstall', '--unit-path', unitPath, '--no-systemctl');
    expect(removed.status).toBe(0);
    expect(existsSync(unitPath)).toBe(false);
  });

  it('`agent status` says when the agent has never run (exit 3) and `agent enroll` refuses a bad URL (exit 2)', () => {
    const config = join(dir, 'agent.yaml');
    writeFileSync(config, `collector: { url: "http://c:8470", token: t }\nspool: { dir: ${join(dir, 'spool')} }\nstateDir: ${join(dir, 'state')}\n`);
    const status = cli('status', '--config', config);
    expect(status.status).toBe(3);
    expect(status.stdout).toMatch(/has not run yet/);
    const enroll = cli('enroll', '--config', config, '--collector', 'c:8470', '--token', 't', '--site', 's');
    expect(enroll.status).toBe(2);
    expect(enroll.stderr).toMatch(/http\(s\) URL/);
  });
});
