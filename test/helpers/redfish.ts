/**
 * A Redfish service for tests and benchmarks: a real HTTPS server (Node's https, a self-signed
 * certificate made by openssl for each server) answering `GET /redfish/v1/<path>` from a mockup
 * folder of `<path>/index.json` files — the DMTF's public-rackmount1 in ../shared/testdata/redfish,
 * optionally changed by a variant (test/redfish/variants/<name>/variant.json). It does what a BMC
 * does around the data: sessions (POST SessionService/Sessions → X-Auth-Token and Location,
 * DELETE to end), basic auth, 401 for anything else, `$expand=.($levels=1)` on collections, and
 * injected failures (an HTTP status, or no answer at all) per path. It counts every request.
 *
 *   const bmc = await startRedfishMockup({ mockupDir, users: { admin: 'pw' } });
 *   … { host: '127.0.0.1', port: bmc.port, user: 'admin', password: 'pw' } …
 *   await bmc.stop();
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

export type Doc = Record<string, unknown>;

/** A change to the mockup: renamed resource paths, removed ones, merged or replaced bodies. */
export interface Variant {
  /** Path prefix (below /redfish/v1/) → new prefix; applied to keys and every @odata.id. */
  rename?: Record<string, string>;
  /** Resources (and everything below them) that this BMC does not have. */
  remove?: string[];
  /** Resource → object merged into it (RFC 7386: null deletes a key; arrays are replaced). */
  merge?: Record<string, Doc>;
  /** Resource → its whole body (a resource this BMC adds). */
  set?: Record<string, Doc>;
}

/** Every index.json of a mockup folder, keyed by its URL path (`/redfish/v1/Chassis/1U`). */
export function loadMockup(dir: string): Map<string, Doc> {
  const tree = new Map<string, Doc>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name === 'index.json') {
        const rel = relative(dir, d).split('\\').join('/');
        tree.set(rel ? `/redfish/v1/${rel}` : '/redfish/v1', JSON.parse(readFileSync(p, 'utf8')) as Doc);
      }
    }
  };
  walk(dir);
  return tree;
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Doc = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Doc) } : {};
  for (const [k, v] of Object.entries(patch as Doc)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

const full = (p: string) => (p.startsWith('/redfish/v1') ? p : `/redfish/v1/${p}`).replace(/\/+$/, '');

export function applyVariant(tree: Map<string, Doc>, v: Variant): Map<string, Doc> {
  let out = new Map(tree);
  for (const gone of (v.remove ?? []).map(full)) for (const k of [...out.keys()]) if (k === gone || k.startsWith(`${gone}/`)) out.delete(k);
  for (const [path, patch] of Object.entries(v.merge ?? {})) {
    const k = full(path);
    if (!out.has(k)) throw new Error(`variant merges into ${k}, which the mockup does not have`);
    out.set(k, mergePatch(out.get(k), patch) as Doc);
  }
  for (const [path, body] of Object.entries(v.set ?? {})) out.set(full(path), body);
  for (const [from, to] of Object.entries(v.rename ?? {})) {
    const a = full(from);
    const b = full(to);
    const renamed = new Map<string, Doc>();
    for (const [k, doc] of out) {
      const key = k === a || k.startsWith(`${a}/`) ? b + k.slice(a.length) : k;
      renamed.set(key, JSON.parse(JSON.stringify(doc).split(`"${a}`).join(`"${b}`).split(`${a}/`).join(`${b}/`)) as Doc);
    }
    out = renamed;
  }
  return out;
}

export interface RedfishMockup {
  host: string;
  port: number;
  /** sha256 fingerprint of this server's certificate (as Node prints it). */
  fingerprint: string;
  /** Requests answered, by method and path (query included). */
  requests: string[];
  /** Sessions open now. */
  openSessions(): number;
  /** Paths answering with this status from now on (e.g. 500, 404). */
  fail: Map<string, number>;
  /** Paths that never answer (a hung BMC). */
  hang: Set<string>;
  stop(): Promise<void>;
}

export interface MockupOptions {
  mockupDir?: string;
  tree?: Map<string, Doc>;
  users?: Record<string, string>;
  /** Reuse a key and certificate (the changed-certificate test starts a second one without). */
  tls?: { key: string; cert: string };
  port?: number;
}

export function makeCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'xunjian-bmc-cert-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=bmc.test'], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function expandMembers(doc: Doc, tree: Map<string, Doc>): Doc {
  if (!Array.isArray(doc.Members)) return doc;
  return { ...doc, Members: (doc.Members as Doc[]).map((m) => tree.get(full(String(m['@odata.id'] ?? ''))) ?? m) };
}

export async function startRedfishMockup(opts: MockupOptions): Promise<RedfishMockup> {
  const tree = opts.tree ?? loadMockup(opts.mockupDir ?? '');
  const users = opts.users ?? { admin: 'password' };
  const tls = opts.tls ?? makeCertificate();
  const sessions = new Map<string, string>();
  const requests: string[] = [];
  const fail = new Map<string, number>();
  const hang = new Set<string>();
  const send = (res: import('node:http').ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    const text = body === undefined ? '' : JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'odata-version': '4.0', ...headers });
    res.end(text);
  };
  const server: Server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://bmc');
    const path = full(decodeURIComponent(url.pathname));
    requests.push(`${req.method} ${req.url}`);
    if (hang.has(path)) return; // never answers
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const failing = fail.get(path);
      if (failing) return send(res, failing, { error: { code: 'Base.1.0.GeneralError', message: `injected ${failing}` } });
      if (req.method === 'POST' && path === '/redfish/v1/SessionService/Sessions') {
        let creds: { UserName?: string; Password?: string } = {};
        try {
          creds = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof creds;
        } catch {
          return send(res, 400, { error: { message: 'not JSON' } });
        }
        if (!creds.UserName || users[creds.UserName] !== creds.Password) return send(res, 401, { error: { message: 'bad credentials' } });
        const id = randomBytes(8).toString('hex');
        const token = randomBytes(16).toString('hex');
        sessions.set(token, id);
        return send(res, 201, { '@odata.id': `/redfish/v1/SessionService/Sessions/${id}`, Id: id, UserName: creds.UserName }, {
          'x-auth-token': token,
          location: `/redfish/v1/SessionService/Sessions/${id}`,
        });
      }
      // The service root and $metadata answer without credentials, as the Redfish spec requires.
      const open = path === '/redfish/v1' || path === '/redfish/v1/odata' || path === '/redfish/v1/$metadata';
      const token = req.headers['x-auth-token'];
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '');
      const [u, p] = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':') : [];
      const authed = (typeof token === 'string' && sessions.has(token)) || (u !== undefined && users[u] === p);
      if (!open && !authed) return send(res, 401, { error: { message: 'authentication required' } });
      if (req.method === 'DELETE' && path.startsWith('/redfish/v1/SessionService/Sessions/')) {
        const id = path.split('/').pop();
        for (const [t, sid] of sessions) if (sid === id) sessions.delete(t);
        return send(res, 204);
      }
      if (req.method !== 'GET') return send(res, 405, { error: { message: 'method not allowed' } });
      const doc = tree.get(path);
      if (!doc) return send(res, 404, { error: { code: 'Base.1.0.ResourceMissingAtURI', message: `${path} not found` } });
      send(res, 200, url.searchParams.has('$expand') ? expandMembers(doc, tree) : doc);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { X509Certificate } = await import('node:crypto');
  return {
    host: '127.0.0.1',
    port: (server.address() as AddressInfo).port,
    fingerprint: new X509Certificate(tls.cert).fingerprint256,
    requests,
    openSessions: () => sessions.size,
    fail,
    hang,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The public DMTF mockup this repository tests against, when it is present beside the project. */
export const PUBLIC_RACKMOUNT = join(new URL('../../../shared/testdata/redfish/public-rackmount1', import.meta.url).pathname);
export const mockupPresent = () => existsSync(join(PUBLIC_RACKMOUNT, 'index.json'));
