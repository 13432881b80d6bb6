/**
 * `xunjian collector notify test --channel NAME` end to end: the real command code in a child
 * process, a real database (either engine) holding sealed channels, and the robots' stand-in on loopback.
 * (spawn, not spawnSync: the stand-in answers from this process's event loop.)
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelsRepository, channelBox } from '../../../collector/notify/channels/index.js';
import { COLLECTOR_CLI, freshTestStorage, tempDir, type TestStorage } from '../../helpers/collector.js';
import { startNotifyEndpoints, type NotifyEndpoints } from '../../helpers/notify-endpoints.js';
import { nodeEntry } from '../../helpers/node-entry.js';

const dir = tempDir('xunjian-notify-cli-');
let storage: TestStorage;
const KEY = randomBytes(32).toString('hex');
const WECOM_KEY = 'cli-wecom-key-31ab';
const DING_TOKEN = 'cli-ding-token-77';
const WRONG_SECRET = 'SECcli-wrong-secret';

let ep: NotifyEndpoints;

function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = { ...process.env };
  delete clean.XUNJIAN_SNMP_KEY;
  const child = spawn(process.execPath, [...nodeEntry(COLLECTOR_CLI), 'collector', ...args, ...storage.storageFlags], { env: { ...clean, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

beforeAll(async () => {
  ep = await startNotifyEndpoints({ wecomKeys: [WECOM_KEY], dingtalk: { [DING_TOKEN]: 'SECright-secret' } });
  storage = await freshTestStorage(dir);
  const store = await storage.open();
  try {
    const channels = new ChannelsRepository(store, channelBox({ snmp: { credentialKey: KEY, pollerEnabled: false, concurrency: 1 } }));
    await channels.create({ name: 'hq-wecom', kind: 'wecom', site: 'hq', settings: { ca: ep.cert.cert }, secrets: { url: ep.wecomUrl(WECOM_KEY) } }, Date.now());
    await channels.create({ name: 'hq-dingtalk', kind: 'dingtalk', site: 'hq', settings: { ca: ep.cert.cert }, secrets: { url: ep.dingtalkUrl(DING_TOKEN), secret: WRONG_SECRET } }, Date.now());
  } finally {
    await store.close();
  }
});
afterAll(async () => {
  await ep?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('collector notify test', () => {
  it('sends a test message through the named channel and exits 0', async () => {
    const r = await cli(['notify', 'test', '--channel', 'hq-wecom', '--lang', 'en'], { XUNJIAN_SNMP_KEY: KEY });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^hq-wecom: sent: WeCom robot at 127\.0\.0\.1:\d+ errcode 0/);
    const got = ep.received.filter((x) => x.vendor === 'wecom').at(-1)!;
    expect((got.body.markdown as { content: string }).content).toContain('Xunjian channel test: hq-wecom');
    expect(r.stdout + r.stderr).not.toContain(WECOM_KEY);
  });

  it('a refused signature exits 1 with the vendor\'s code and no secret; --json prints the result', async () => {
    const r = await cli(['notify', 'test', '--channel', 'hq-dingtalk', '--json'], { XUNJIAN_SNMP_KEY: KEY });
    expect(r.code).toBe(1);
    const result = JSON.parse(r.stdout);
    expect(result).toMatchObject({ channel: 'hq-dingtalk', outcome: 'dead', detail: expect.stringMatching(/310000/) });
    for (const s of [WRONG_SECRET, DING_TOKEN]) expect(r.stdout + r.stderr).not.toContain(s);
  });

  it('an unknown channel is a usage error naming the channels', async () => {
    const unknown = await cli(['notify', 'test', '--channel', 'nope'], { XUNJIAN_SNMP_KEY: KEY });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no channel nope \(channels: hq-dingtalk, hq-wecom\)/);
  });

  it('without the credential key it says how to set one', async () => {
    const keyless = await cli(['notify', 'test', '--channel', 'hq-wecom']);
    expect(keyless.code).not.toBe(0);
    expect(keyless.stdout + keyless.stderr).toMatch(/XUNJIAN_SNMP_KEY/);
  });
});
