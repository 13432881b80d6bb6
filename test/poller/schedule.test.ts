/**
 * The poller's limits, observed at the devices: each "device" is a real UDP socket that receives
 * the collector's SNMP requests and never answers, so a poll lasts its target's timeout × attempts.
 * The requests each socket received show the concurrency limit (how many devices are asked at
 * once) and each target's own timeout and retries. No wall-clock time is asserted.
 */
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCollector, until, type TestCollector } from '../helpers/collector.js';

interface SilentDevice {
  socket: Socket;
  port: number;
  /** Requests received so far. */
  requests: number;
}

async function silentDevice(): Promise<SilentDevice> {
  const socket = createSocket('udp4');
  const device: SilentDevice = { socket, port: 0, requests: 0 };
  socket.on('message', () => device.requests++);
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  device.port = socket.address().port;
  return device;
}

let c: TestCollector;
let admin: string;
const devices: SilentDevice[] = [];

beforeAll(async () => {
  c = await startTestCollector({ snmp: { credentialKey: randomBytes(32).toString('hex'), pollerEnabled: true, concurrency: 2 }, silenceScanSeconds: 0 });
  admin = c.token('admin', null);
});
afterAll(async () => {
  await c?.stop();
  for (const d of devices) d.socket.close();
});

async function register(site: string, device: SilentDevice, extra: Record<string, unknown>): Promise<number> {
  const res = await c.request('POST', `/api/v1/sites/${site}/snmp-targets`, {
    token: admin,
    body: { host: '127.0.0.1', port: device.port, community: 'public', intervalS: 3600, ...extra },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

const target = async (site: string, id: number) =>
  (await (await c.request('GET', `/api/v1/sites/${site}/snmp-targets/${id}`, { token: admin })).json()) as { lastPollAt?: string; lastResult?: string; lastError?: string };

describe('poller limits', () => {
  it('polls at most snmp.concurrency devices at once; the others wait for a free slot, not for each other', async () => {
    const four = await Promise.all([0, 1, 2, 3].map(() => silentDevice()));
    devices.push(...four);
    // One attempt of 1.5 s each: a slot frees only when a poll has timed out.
    const ids: number[] = [];
    for (const [i, d] of four.entries()) ids.push(await register('limits', d, { name: `sw-${i}`, timeoutMs: 1500, retries: 0 }));
    // Whenever more than two devices have been asked, polls must have finished to free the slots:
    // asked − finished ≤ 2 (a poll records its result before its slot is given to the next).
    for (const asked of [3, 4]) {
      await until(`${asked} devices asked`, () => (four.filter((d) => d.requests > 0).length >= asked ? true : undefined));
      // Counted before the finished ones are read: polls only ever finish, so this errs safe.
      const seen = four.filter((d) => d.requests > 0).length;
      const finished = (await Promise.all(ids.map((id) => target('limits', id)))).filter((t) => t.lastPollAt).length;
      expect(seen - finished).toBeLessThanOrEqual(2);
    }
    // Each device was asked exactly once (retries 0): the queue moved on as slots freed.
    expect(four.map((d) => d.requests)).toEqual([1, 1, 1, 1]);
  });

  it('uses each target’s own timeout and retries: the number of attempts at the device, and the reason', async () => {
    const [patient, hasty] = await Promise.all([silentDevice(), silentDevice()]);
    devices.push(patient!, hasty!);
    const patientId = await register('retries', patient!, { name: 'patient', timeoutMs: 100, retries: 3 });
    const hastyId = await register('retries', hasty!, { name: 'hasty', timeoutMs: 100, retries: 0 });
    const [p, h] = await Promise.all(
      [patientId, hastyId].map(async (id) => {
        await c.app.poller!.whenPolled(id);
        return target('retries', id);
      }),
    );
    expect(p).toMatchObject({ lastResult: 'unreachable', lastError: expect.stringMatching(/within 100 ms after 3 retries/) });
    expect(h).toMatchObject({ lastResult: 'unreachable', lastError: expect.stringMatching(/within 100 ms after 0 retries/) });
    // The first GET (sysDescr, sysObjectID, …) went out 1 + retries times, then the poll gave up.
    expect(patient!.requests).toBe(4);
    expect(hasty!.requests).toBe(1);
  });
});
