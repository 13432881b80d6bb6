import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_SITE_FILE, SiteFileError, loadSiteFile, parseSiteFile, writeExampleSiteFile } from './site-file.js';

function errorOf(text: string): SiteFileError {
  try {
    parseSiteFile(text, 'hq.yaml');
  } catch (e) {
    if (e instanceof SiteFileError) return e;
    throw e;
  }
  throw new Error('expected a SiteFileError');
}

describe('site file', () => {
  it("a server's hmc: takes its own auth or the file's ssh.auth, never a password, and needs one", () => {
    const base = `site: hq\nssh: { user: root, auth: { key_file: /keys/id } }\nservers:\n`;
    const site = parseSiteFile(
      `${base}  - { name: p1, host: 10.0.0.1, hmc: { host: 10.0.9.5, user: hmcviewer, managed_system: Server-9117-MMA-SN10ACFDE } }\n` +
        `  - { name: p2, host: 10.0.0.2, hmc: { host: 10.0.9.5, user: hscroot, managed_system: 9117-MMA*10ACFDE, auth: { password_env: HMC_PW } } }\n`,
      '/sites/hq.yaml',
    );
    expect(site.servers[0]!.hmc).toMatchObject({ user: 'hmcviewer', auth: { key_file: '/keys/id' } });
    expect(site.servers[1]!.hmc).toMatchObject({ managed_system: '9117-MMA*10ACFDE', auth: { password_env: 'HMC_PW' } });
    expect(errorOf(`${base}  - { host: h, hmc: { host: x, user: u, managed_system: m, auth: { password: secret } } }\n`).message).toMatch(/\/servers\/0\/hmc\/auth\/password: secrets are never stored/);
    expect(errorOf(`${base}  - { host: h, hmc: { host: x, user: u } }\n`).message).toMatch(/managed_system/);
    expect(errorOf(`site: hq\nservers:\n  - { host: h, user: u, auth: { agent: true }, hmc: { host: x, user: u, managed_system: m } }\n`).message).toMatch(/\/servers\/0\/hmc: no HMC authentication/);
  });

  it('the example written by `inspect init` is a valid site', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xunjian-site-'));
    const path = join(dir, 'hq.yaml');
    writeExampleSiteFile(path);
    expect(readFileSync(path, 'utf8')).toBe(EXAMPLE_SITE_FILE);
    const site = loadSiteFile(path);
    expect(site.site.site).toBe('hq');
    expect(site.servers.map((s) => [s.name, s.port, s.user])).toEqual([
      ['db01', 22, 'root'],
      ['app01', 22, 'inspect'],
      ['aix01', 2222, 'root'],
    ]);
    expect(site.servers[1]!.auth).toEqual({ password_env: 'APP01_PASSWORD' });
    expect(site.servers[0]!.auth.key_file).toMatch(/\.ssh\/id_ed25519$/);
    expect(site.snmpDevices.map((d) => [d.name, d.kind])).toEqual([
      ['core-sw1', 'switch'],
      ['fw1', 'firewall'],
      ['ups1', 'ups'],
    ]);
    expect(site.snmpDevices[1]!.snmp.version).toBe('3');
    expect(() => writeExampleSiteFile(path)).toThrow(/already exists/);
  });

  it("the site's time zone: an IANA name, spelled canonically; anything else names its line", () => {
    const base = `site: hq\nssh: { user: root, auth: { agent: true } }\nservers:\n  - host: a\n`;
    expect(parseSiteFile(`${base}time_zone: europe/london\n`, 'hq.yaml').site.time_zone).toBe('Europe/London');
    expect(parseSiteFile(base, 'hq.yaml').site.time_zone).toBeUndefined();
    const e = errorOf(`${base}time_zone: Mars/Olympus\n`);
    expect(e.issues[0]).toMatchObject({ path: '/time_zone', line: 5 });
    expect(e.message).toMatch(/"Mars\/Olympus" is not an IANA time zone name/);
  });

  it('the contract number: one line of printable characters, at most 100; anything else names its line', () => {
    const base = `site: hq\nssh: { user: root, auth: { agent: true } }\nservers:\n  - host: a\n`;
    expect(parseSiteFile(`${base}contract_no: 沪银维字(2026)第017号\n`, 'hq.yaml').site.contract_no).toBe('沪银维字(2026)第017号');
    expect(parseSiteFile(base, 'hq.yaml').site.contract_no).toBeUndefined();
    expect(parseSiteFile(EXAMPLE_SITE_FILE, 'hq.yaml').site.contract_no).toBe('HT-2026-017');
    for (const bad of ['"HT-1\\nHT-2"', '"HT\\u202e710"', `"${'X'.repeat(101)}"`, '""']) {
      const e = errorOf(`${base}contract_no: ${bad}\n`);
      expect(e.issues[0], bad).toMatchObject({ path: '/contract_no', line: 5 });
    }
  });

  it('names the line and field of a wrong type', () => {
    const e = errorOf(['site: hq', 'ssh: { user: root, auth: { agent: true } }', 'servers:', '  - host: a', '  - host: b', '    port: nope', ''].join('\n'));
    expect(e.issues[0]).toMatchObject({ path: '/servers/1/port', line: 6 });
    expect(e.message).toMatch(/^hq\.yaml:6: \/servers\/1\/port: /);
  });

  it('says the naming rules in words, never as a regular expression', () => {
    const text = 'site: "h q"\nssh: { user: root, auth: { password_env: "1X" } }\nservers:\n  - { name: "db 01", host: 10.0.0.1 }\n';
    const err = (() => {
      try {
        parseSiteFile(text);
      } catch (e) {
        return e as Error;
      }
      return undefined;
    })();
    expect(err?.message).toContain('site.yaml:4: /servers/0/name: a name is one word: no spaces, slashes or backslashes');
    expect(err?.message).toContain('site.yaml:1: /site: a site name starts with a letter or digit');
    expect(err?.message).toContain('/ssh/auth/password_env: an environment variable name holds only letters, digits and "_"');
    expect(err?.message).not.toMatch(/Expected string to match|\^\[/);
  });

  it('refuses a password written in the file and says what to do instead', () => {
    const e = errorOf(['site: hq', 'servers:', '  - host: a', '    user: root', '    auth:', '      password: hunter2', ''].join('\n'));
    expect(e.issues[0]).toMatchObject({ path: '/servers/0/auth/password', line: 6 });
    expect(e.message).toMatch(/password_env/);
    expect(e.message).not.toMatch(/hunter2/);
  });

  it('refuses two authentication methods, missing credentials, duplicate names and unknown group members', () => {
    const e = errorOf(
      [
        'site: hq',
        'servers:',
        '  - host: a',
        '    user: root',
        '    auth: { agent: true, password_env: PW }',
        '  - host: b',
        '    user: root',
        'network:',
        '  - host: a',
        'groups:',
        '  g: [a, zz]',
        '',
      ].join('\n'),
    );
    const byPath = Object.fromEntries(e.issues.map((i) => [i.path, i]));
    const messagesAt = (path: string) => e.issues.filter((i) => i.path === path).map((i) => i.message);
    expect(byPath['/servers/0/auth']).toMatchObject({ line: 5, message: expect.stringMatching(/one authentication method/) });
    expect(byPath['/servers/1']).toMatchObject({ line: 6, message: expect.stringMatching(/no SSH authentication/) });
    expect(messagesAt('/network/0')).toEqual([
      expect.stringMatching(/"a" is used twice \(first at \/servers\/0\)/),
      expect.stringMatching(/no SNMP credentials/),
    ]);
    expect(byPath['/groups/g/1']).toMatchObject({ line: 11, message: expect.stringMatching(/"zz"/) });
  });

  it('reports YAML syntax errors with their line', () => {
    const e = errorOf('site: hq\nservers:\n  - host: a\n   bad: [\n');
    expect(e.issues[0]!.line).toBeGreaterThanOrEqual(3);
  });

  it('validates threshold overrides with the shared schema', () => {
    const e = errorOf(['site: hq', 'thresholds:', '  site:', '    SXKR-001: { avgMax: 150 }', ''].join('\n'));
    expect(e.issues[0]).toMatchObject({ path: '/thresholds/site/SXKR-001/avgMax', line: 4 });
  });
});
