import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createToken, realisticReport, spawnCollector, tempDir, type CollectorProcess } from '../helpers/collector.js';

/**
 * TLS end to end: `xunjian collector serve --tls-cert --tls-key` (the real CLI, a child process)
 * with a self-signed certificate made by openssl for this test. Reports go in over HTTPS only;
 * the same port does not answer cleartext HTTP, and a client that does not trust the
 * certificate is refused by its own TLS check.
 */
describe('HTTPS when a certificate is configured', () => {
  const dir = tempDir();
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  let collector: CollectorProcess;
  let agent: string;

  beforeAll(async () => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
      '-days', '1', '-subj', '/CN=xunjian-test', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const dbPath = join(dir, 'xunjian.db');
    agent = createToken(dbPath, 'agent', 'acme');
    collector = await spawnCollector(dbPath, ['--tls-cert', cert, '--tls-key', key]);
  });
  afterAll(async () => {
    await collector?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  /** One HTTPS request trusting `ca` (Node's fetch takes no CA per request). */
  function post(path: string, body: unknown, ca?: Buffer): Promise<{ status: number; body: any }> {
    return new Promise((resolve, reject) => {
      const req = https.request(`${collector.url}${path}`, {
        method: 'POST', ...(ca ? { ca } : {}),
        headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json' },
      }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      });
      req.on('error', reject);
      req.end(JSON.stringify(body));
    });
  }

  it('announces an https URL and stores a report sent over TLS', async () => {
    expect(collector.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await post('/api/v1/reports', realisticReport({ id: 'rpt-tls-0001' }), readFileSync(cert));
    expect(res).toMatchObject({ status: 201, body: { stored: true, id: 'rpt-tls-0001' } });
  });

  it('does not answer cleartext HTTP on its port', async () => {
    const url = collector.url.replace('https:', 'http:');
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });

  it('is refused by a client that does not trust the certificate', async () => {
    await expect(post('/api/v1/reports', realisticReport())).rejects.toThrow(/self[- ]signed|unable to verify/i);
  });
});
