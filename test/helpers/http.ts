/**
 * HTTP from a chosen source address (every 127.0.0.0/8 address is this machine's loopback): the
 * log-in throttle is per source address, so a test needs a stranger at 127.0.0.2 beside the user at
 * 127.0.0.1. Cookies are kept in a small jar, as a browser would.
 */
import { request as httpRequest } from 'node:http';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  setCookies: string[];
  body: string;
}

export class CookieJar {
  readonly cookies = new Map<string, string>();
  take(setCookies: string[]): void {
    for (const c of setCookies) {
      const [pair] = c.split(';');
      const i = pair!.indexOf('=');
      const name = pair!.slice(0, i).trim();
      const value = pair!.slice(i + 1).trim();
      if (value === '' || /;\s*Max-Age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export function requestFrom(
  url: string,
  o: { method?: string; from?: string; headers?: Record<string, string>; body?: string; jar?: CookieJar } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.jar && o.jar.cookies.size) headers.cookie = o.jar.header();
  if (o.body !== undefined) headers['content-length'] = String(Buffer.byteLength(o.body));
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: o.method ?? 'GET', headers, ...(o.from ? { localAddress: o.from } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const setCookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
        o.jar?.take(setCookies);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, setCookies, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.on('error', reject);
    if (o.body !== undefined) req.write(o.body);
    req.end();
  });
}

/** The CSRF token a page embeds in its forms (`<input type="hidden" name="_csrf" value="…">`). */
export const csrfOf = (html: string): string => {
  const m = /name="_csrf" value="([^"]*)"/.exec(html);
  if (!m) throw new Error('no CSRF field in the page');
  return m[1]!;
};

/** The log-in form as a browser posts it: GET /login (cookie + token), then POST the fields. */
export async function postLoginForm(base: string, fields: Record<string, string>, o: { from?: string; jar?: CookieJar; headers?: Record<string, string>; csrf?: string | null } = {}): Promise<Answer> {
  const jar = o.jar ?? new CookieJar();
  const page = await requestFrom(`${base}/login`, { from: o.from, jar, headers: o.headers });
  const token = o.csrf === undefined ? csrfOf(page.body) : o.csrf;
  const body = new URLSearchParams({ ...fields, ...(token === null ? {} : { _csrf: token }) }).toString();
  return requestFrom(`${base}/login`, { method: 'POST', from: o.from, jar, body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...o.headers } });
}
