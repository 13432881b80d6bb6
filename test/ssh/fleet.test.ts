/**
 * The test SSH hosts themselves (port 2285 belongs to this file): a session runs in an empty HOME,
 * so no rc file of the machine's user runs before a command (root's ~/.bashrc here runs
 * `pyenv init`, whose lock made parallel sessions wait up to a minute), and a host's own session
 * environment applies beside it (sshd keeps only the first SetEnv line).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openSshSession } from '../../checks/sources/ssh/session.js';
import { startSshdFleet, type SshdFleet } from '../helpers/sshd.js';

let fleet: SshdFleet;
beforeAll(async () => {
  fleet = await startSshdFleet([2285], { sessionEnv: () => ({ XJ_FLEET_MARK: 'set-by-the-test', PATH: '/usr/bin:/bin' }) });
}, 60_000);
afterAll(async () => fleet?.stop());

describe('test SSH hosts', () => {
  it('run commands in an empty HOME with the session environment the test set', async () => {
    const knownHosts = join(fleet.dir, 'fleet_known_hosts');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(knownHosts, fleet.knownHosts());
    const session = await openSshSession({ host: '127.0.0.1', port: 2285, user: fleet.user, privateKeyPath: fleet.clientKeyPath, knownHostsPath: knownHosts });
    try {
      const r = await session.exec('echo "$HOME"; echo "$XJ_FLEET_MARK"; echo "$PATH"');
      expect(r.code).toBe(0);
      expect(r.stdout.split('\n')).toEqual([join(fleet.dir, 'home'), 'set-by-the-test', '/usr/bin:/bin']);
      expect(readdirSync(join(fleet.dir, 'home'))).toEqual([]);
    } finally {
      session.close();
    }
  });
});
