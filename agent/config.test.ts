import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { enroll, loadAgentConfig, readToken } from './config.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xj-agent-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('loadAgentConfig', () => {
  it('fills the defaults and resolves durations', () => {
    const path = join(dir, 'agent.yaml');
    writeFileSync(path, 'collector:\n  url: http://collector:8470/\n  token: t0k3n\nsite: bank-a\n');
    const c = loadAgentConfig(path, {});
    expect(c).toMatchObject({
      collectorUrls: ['http://collector:8470'],
      token: 't0k3n',
      tokenFile: undefined,
      site: 'bank-a',
      cadenceMs: 300_000,
      windowMs: 300_000,
      sampleEveryMs: 5_000,
      spoolDir: '/var/spool/xunjian-agent',
      spoolMaxBytes: 256 * 1024 * 1024,
      spoolMaxAgeMs: 30 * 86_400_000,
      stateDir: '/var/lib/xunjian-agent',
      requiredServices: [],
    });
    expect(c.checks).toHaveLength(6);
  });

  it('lets XUNJIAN_AGENT_* override the file, lists comma-separated', () => {
    const path = join(dir, 'agent.yaml');
    writeFileSync(path, 'collector: { url: "http://a:1" }\ncadence: 5m\n');
    const c = loadAgentConfig(path, {
      XUNJIAN_AGENT_COLLECTOR_URL: 'https://b:2',
      XUNJIAN_AGENT_CADENCE: '1s',
      XUNJIAN_AGENT_CHECKS: 'SXKR-001, SXKR-002',
      XUNJIAN_AGENT_REQUIRED_SERVICES: 'sshd,cron',
      XUNJIAN_AGENT_SPOOL_MAX_BYTES: '4096',
      XUNJIAN_AGENT_STATE_DIR: join(dir, 'state'),
    });
    expect(c).toMatchObject({ collectorUrls: ['https://b:2'], cadenceMs: 1000, checks: ['SXKR-001', 'SXKR-002'], requiredServices: ['sshd', 'cron'], spoolMaxBytes: 4096 });
    expect(c.tokenFile).toBe(join(dir, 'state', 'token'));
  });

  it('takes several collectors, as a YAML list or comma-separated in XUNJIAN_AGENT_COLLECTOR_URL', () => {
    const path = join(dir, 'agent.yaml');
    writeFileSync(path, 'collector:\n  url: [http://a:8470/, "https://b:8470"]\n');
    expect(loadAgentConfig(path, {}).collectorUrls).toEqual(['http://a:8470', 'https://b:8470']);
    expect(loadAgentConfig(path, { XUNJIAN_AGENT_COLLECTOR_URL: 'https://c:1, https://d:2' }).collectorUrls).toEqual(['https://c:1', 'https://d:2']);
    writeFileSync(path, 'collector:\n  url: []\n');
    expect(() => loadAgentConfig(path, {})).toThrow(/collector/);
    writeFileSync(path, 'collector:\n  url: [http://a:8470, ftp://b]\n');
    expect(() => loadAgentConfig(path, {})).toThrow(/collector/);
  });

  it.each([
    ['no collector', 'site: x\n', /collector/],
    ['a bad duration', 'collector: { url: "http://a" }\ncadence: soon\n', /cadence/],
    ['an unknown key', 'collector: { url: "http://a" }\ncadense: 5m\n', /cadense|additional/i],
    ['an unknown check', 'collector: { url: "http://a" }\nchecks: [SXKR-009]\n', /checks/],
    ['not YAML', 'collector: [\n', /YAML/],
  ])('refuses %s with a message naming it', (_name, text, message) => {
    const path = join(dir, 'agent.yaml');
    writeFileSync(path, text);
    expect(() => loadAgentConfig(path, {})).toThrow(message);
  });
});

describe('enroll', () => {
  it('stores the token 0600 outside the config and records collector and site', () => {
    const configPath = join(dir, 'etc', 'agent.yaml');
    const stateDir = join(dir, 'state');
    mkdirSync(join(dir, 'etc'));
    // A config naming its state dir keeps the token there.
    writeFileSync(configPath, `stateDir: ${stateDir}\ncadence: 1m\ncollector: { url: "http://old", token: inline }\n`);
    const r = enroll({ configPath, collectorUrl: 'http://c:8470', token: 'sekret ', site: 'bank-b' });
    expect(r.tokenFile).toBe(join(stateDir, 'token'));
    expect(statSync(r.tokenFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(r.tokenFile, 'utf8')).toBe('sekret\n');
    const written = parse(readFileSync(configPath, 'utf8'));
    expect(written).toEqual({ stateDir, cadence: '1m', collector: { url: 'http://c:8470', tokenFile: r.tokenFile }, site: 'bank-b' });
    const c = loadAgentConfig(configPath, {});
    expect(readToken(c)).toBe('sekret');
  });

  it('records several collectors given comma-separated as a list', () => {
    const configPath = join(dir, 'agent.yaml');
    enroll({ configPath, collectorUrl: 'http://c1:8470, http://c2:8470', token: 't', site: 's', tokenFile: join(dir, 'token') });
    expect(parse(readFileSync(configPath, 'utf8')).collector.url).toEqual(['http://c1:8470', 'http://c2:8470']);
    expect(loadAgentConfig(configPath, {}).collectorUrls).toEqual(['http://c1:8470', 'http://c2:8470']);
    expect(() => enroll({ configPath, collectorUrl: 'http://c1:8470,c2:8470', token: 't', site: 's' })).toThrow(/c2:8470/);
  });

  it('refuses a URL that is not http(s)', () => {
    expect(() => enroll({ configPath: join(dir, 'a.yaml'), collectorUrl: 'collector:8470', token: 't', site: 's' })).toThrow(/http/);
  });
});
