import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, loadCollectorConfig, openDatabase } from '../../collector/index.js';
import { REDACT } from '../../collector/app.js';
import { realisticReport, startTestCollector, tempDir } from '../helpers/collector.js';

describe('collector configuration', () => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has documented defaults', () => {
    expect(loadCollectorConfig({}, {})).toEqual({
      listen: { host: '127.0.0.1', port: 8470 },
      dataDir: './data',
      durability: 'full',
      bodyLimit: 16 * 1024 * 1024,
      // behind a TLS proxy only when told: otherwise X-Forwarded-For would let a client pick its address
      trustProxy: false,
      retention: { rawDays: 90 },
      logLevel: 'info',
    });
  });

  it('layers file < environment < flags', () => {
    const file = join(dir, 'collector.yaml');
    writeFileSync(file, 'listen:\n  host: 0.0.0.0\n  port: 9000\nretention:\n  rawDays: 30\nlogLevel: warn\ndataDir: /srv/xunjian\n');
    const env = { XUNJIAN_CONFIG: file, XUNJIAN_PORT: '9100', XUNJIAN_LOG_LEVEL: 'debug', XUNJIAN_DURABILITY: 'normal' };
    expect(loadCollectorConfig({}, env)).toMatchObject({
      listen: { host: '0.0.0.0', port: 9100 }, retention: { rawDays: 30 }, logLevel: 'debug', durability: 'normal', dataDir: '/srv/xunjian',
    });
    expect(loadCollectorConfig({ port: '9200', retentionDays: '7', db: '/tmp/x.db' }, env)).toMatchObject({
      listen: { host: '0.0.0.0', port: 9200 }, retention: { rawDays: 7 }, dbPath: '/tmp/x.db',
    });
    const json = join(dir, 'collector.json');
    writeFileSync(json, JSON.stringify({ bodyLimit: 65536, tls: { cert: 'c.pem', key: 'k.pem' } }));
    expect(loadCollectorConfig({ config: json }, {})).toMatchObject({ bodyLimit: 65536, tls: { cert: 'c.pem', key: 'k.pem' } });
  });

  it('resolves secrets and the database URL from the environment into the configuration (the services read nothing else)', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const file = join(dir, 'secrets.yaml');
    writeFileSync(file, 'snmp:\n  credentialKey: from-the-file\n');
    expect(loadCollectorConfig({}, { XUNJIAN_SNMP_KEY: key, XUNJIAN_DATABASE_URL: 'postgres://x@db/xunjian' })).toMatchObject({
      snmp: { credentialKey: key }, storage: { url: 'postgres://x@db/xunjian' },
    });
    // The environment overrides the file, as for every other key.
    expect(loadCollectorConfig({ config: file }, { XUNJIAN_SNMP_KEY: key }).snmp?.credentialKey).toBe(key);
    expect(loadCollectorConfig({ config: file }, {}).snmp?.credentialKey).toBe('from-the-file');
  });

  it('names the offending key or file', () => {
    expect(() => loadCollectorConfig({ port: '70000' }, {})).toThrow(/\/listen\/port/);
    expect(() => loadCollectorConfig({ durability: 'sometimes' }, {})).toThrow(/\/durability/);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'listen: [1, 2\n');
    expect(() => loadCollectorConfig({ config: bad }, {})).toThrow(/cannot parse configuration file .*bad\.yaml/);
    const unknown = join(dir, 'unknown.yaml');
    writeFileSync(unknown, 'listen:\n  portt: 1\n');
    expect(() => loadCollectorConfig({ config: unknown }, {})).toThrow(/\/listen\/portt/);
    expect(() => loadCollectorConfig({ config: join(dir, 'none.yaml') }, {})).toThrow(/cannot read configuration file/);
  });

  it('serves HTTPS when a certificate and key are configured', async () => {
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    const c = await startTestCollector({ tls: { cert, key } });
    try {
      expect(c.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      // Node's fetch cannot be given a CA per request; use https.get with the certificate as CA.
      const https = await import('node:https');
      const body = await new Promise<string>((res, rej) => {
        https.get(`${c.url}/healthz`, { ca: readFileSync(cert) }, (r) => {
          let text = '';
          r.on('data', (d: Buffer) => (text += d.toString()));
          r.on('end', () => res(text));
        }).on('error', rej);
      });
      expect(JSON.parse(body).status).toBe('ok');
    } finally {
      await c.stop();
    }
    await expect(startTestCollector({ tls: { cert: join(dir, 'missing.pem'), key } })).rejects.toThrow(/cannot read TLS certificate or key/);
  });

  it('never logs the bearer token', async () => {
    let log = '';
    const stream = new Writable({ write(chunk, _enc, done) { log += chunk.toString(); done(); } });
    const db = openDatabase(join(dir, 'redact.db'));
    const app = await buildApp({
      db,
      logger: {
        level: 'trace',
        stream,
        redact: { paths: REDACT, censor: '[redacted]' },
        serializers: { req: (req: { headers: unknown; method: string; url: string }) => ({ method: req.method, url: req.url, headers: req.headers }) },
      },
    });
    const secret = (await app.repos.tokens.create({ name: 'agent', role: 'agent', site: 'acme' })).token;
    const res = await app.inject({ method: 'POST', url: '/api/v1/reports', headers: { authorization: `Bearer ${secret}` }, payload: realisticReport() });
    expect(res.statusCode).toBe(201);
    app.log.info({ token: secret, snmp: { community: 'public-secret' } }, 'explicit');
    await app.close();
    db.close();
    expect(log).toContain('[redacted]');
    expect(log).toContain('/api/v1/reports');
    expect(log).not.toContain(secret);
    expect(log).not.toContain('public-secret');
  });
});
