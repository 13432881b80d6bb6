import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { DeviceIdentity, validate } from '../../schemas/index.js';
import { linuxIdentity, parseOsRelease } from '../../checks/sources/local/identity.js';
import { localIdentity } from '../../checks/sources/local/index.js';

/**
 * This VM has no SMBIOS in sysfs, so the reader runs here on directories laid out as the kernel
 * exports them (drivers/firmware/dmi-id.c: one file per string, a newline after it) and as
 * os-release(5) describes its file.
 */
const root = mkdtempSync(join(os.tmpdir(), 'xunjian-identity-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function host(name: string, dmi: Record<string, string>, osRelease: Record<string, string>) {
  const dir = join(root, name);
  mkdirSync(join(dir, 'dmi'), { recursive: true });
  for (const [file, value] of Object.entries(dmi)) writeFileSync(join(dir, 'dmi', file), `${value}\n`);
  for (const [file, text] of Object.entries(osRelease)) writeFileSync(join(dir, file), text);
  return { dmi: join(dir, 'dmi'), osRelease: [join(dir, 'etc-os-release'), join(dir, 'usr-lib-os-release')], dockerenv: join(dir, '.dockerenv') };
}

describe('Linux identity from sysfs and os-release', () => {
  test('an IBM server: vendor, model and serial from SMBIOS, the distribution from os-release', async () => {
    const paths = host(
      'x3650',
      { sys_vendor: 'IBM', product_name: 'System x3650 M4 -[7915AC1]-', product_serial: 'KQ6R4PL' },
      { 'etc-os-release': 'NAME="Red Hat Enterprise Linux Server"\nVERSION="7.9 (Maipo)"\nID="rhel"\nVERSION_ID="7.9"\nPRETTY_NAME="Red Hat Enterprise Linux Server 7.9 (Maipo)"\n' },
    );
    const id = await linuxIdentity(paths);
    validate(DeviceIdentity, id, 'identity');
    expect(id).toMatchObject({ kind: 'server', vendor: 'IBM', model: 'System x3650 M4 -[7915AC1]-', serial: 'KQ6R4PL', os: 'Red Hat Enterprise Linux Server 7.9', version: os.release() });
    expect(id.hostname).toBe(os.hostname());
  });

  test('placeholders name nothing, a root-only serial is not known, os-release falls back to /usr/lib', async () => {
    const paths = host(
      'whitebox',
      { sys_vendor: 'To be filled by O.E.M.', product_name: 'Default string' },
      { 'usr-lib-os-release': "NAME='Debian GNU/Linux'\nVERSION_ID=\"12\"\n" },
    );
    const id = await linuxIdentity(paths);
    expect(id.vendor).toBeUndefined();
    expect(id.model).toBeUndefined();
    expect(id.serial).toBeUndefined();
    expect(id.os).toBe('Debian GNU/Linux 12');
  });

  test('no SMBIOS and no os-release: the kernel names the OS; a container says it is one', async () => {
    const paths = host('container', {}, {});
    expect((await linuxIdentity(paths)).os).toBe(`${os.type()} ${os.release()}`);
    writeFileSync(paths.dockerenv, '');
    expect((await linuxIdentity(paths)).model).toBe('Docker Container');
  });

  test('os-release: quotes, escapes inside double quotes, comments and blank lines', () => {
    expect(parseOsRelease('# comment\n\nNAME="Ubuntu"\nVERSION_ID=22.04\nPRETTY_NAME="say \\"hi\\" \\$HOME"\nBAD LINE\n')).toEqual({
      NAME: 'Ubuntu',
      VERSION_ID: '22.04',
      PRETTY_NAME: 'say "hi" $HOME',
    });
  });

  test('this host: the same identity the agent reports, read without running a command', async () => {
    const id = await localIdentity();
    validate(DeviceIdentity, id, 'identity');
    expect(id.hostname).toBe(os.hostname());
    expect(id.os).toBeTruthy();
  });
});
