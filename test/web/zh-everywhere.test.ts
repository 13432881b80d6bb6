import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHECK_IDS, DEVICE_KINDS, INSPECTION_STATUSES, MAINTENANCE_STATUSES, PART_DISPOSITIONS, TICKET_STATUSES } from '../../schemas/index.js';
import { STEP_NAMES } from '../../collector/tickets/lifecycle.js';
import { CHECKS, KIND_TERMS, VERDICT_LABELS } from '../../checks/index.js';
import * as terms from '../../collector/terms.js';
import { TERM_KEYS, t } from '../../collector/web/i18n.js';
import { WORD_KEYS, word } from '../../collector/reports/labels.js';
import { hashPassword, UsersRepository } from '../../collector/users/index.js';
import { realisticReport } from '../helpers/collector.js';
import { CookieJar, requestFrom } from '../helpers/http.js';
import { requestMaintenance, seedSite, type SeededSite } from '../reports/seed.js';

/*
 * Every page a person reaches from the dashboard, and every report, read in Chinese by each role:
 * no enum printed raw (a status, a step, a kind, a role, a verdict), no key of the word catalogue,
 * and no source's English framing ("connection refused") outside the quotes that mark a device's
 * own words. The pages are found by following the links, so a page added later is read too.
 */

/** Words that are codes, never Chinese text: every enum of the record. */
const ENUMS = [
  ...TICKET_STATUSES.filter((s) => s !== 'open'),
  ...MAINTENANCE_STATUSES,
  ...INSPECTION_STATUSES,
  ...PART_DISPOSITIONS,
  ...STEP_NAMES,
  ...DEVICE_KINDS.filter((k) => k !== 'ups'),
  'normal', 'abnormal', 'unknown', 'open',
  'admin', 'engineer', 'customer',
  'fixed', 'not_fixed', 'partly_fixed',
  'response', 'onsite', 'resolution',
];
const ENUM_WORD = new RegExp(`(?<![\\w./-])(?:${[...new Set(ENUMS)].map((e) => e.replace(/[-_]/g, '[-_]')).join('|')})(?![\\w./-])`);
/** The English framing of sources' failure messages (checks/source-phrases.ts words them in Chinese). */
const SOURCE_ENGLISH = /connection refused|timed out connecting|command not found|no SNMP answer|printed nothing|authentication failed/;
/** The dashboard's catalogue keys look like camelCase words; one printed raw is a missing lookup. */
const CATALOGUE_KEY = /(?<![\w./-])[a-z]+[A-Z][a-zA-Z]+(?![\w./-])/;

const unescape = (s: string) =>
  s.replace(/&#(\d+);/g, (_m, n: string) => String.fromCharCode(Number(n))).replace(/&#x([0-9a-f]+);/gi, (_m, n: string) => String.fromCharCode(parseInt(n, 16)))
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');

/**
 * What a person reads on a page: the text, and the words of titles, placeholders, labels and
 * buttons' values. Not read as words: scripts, styles, commands (`<code>`), a device's own words
 * in quotes, form values a person typed, and the language switch ("English").
 */
export function readableText(html: string): string {
  const attrs = [...html.matchAll(/\s(?:title|placeholder|aria-label|alt)="([^"]*)"/g)].map((m) => m[1]!);
  const submits = [...html.matchAll(/<input[^>]*type="(?:submit|button)"[^>]*value="([^"]*)"/g)].map((m) => m[1]!);
  const body = html
    .replace(/<script[\s\S]*?<\/script>/g, ' ')
    .replace(/<style[\s\S]*?<\/style>/g, ' ')
    .replace(/<code[\s\S]*?<\/code>/g, ' ')
    .replace(/<textarea[\s\S]*?<\/textarea>/g, ' ')
    .replace(/<option[^>]*>/g, ' ')
    .replace(/<[^>]+>/g, ' ');
  return unescape([body, ...attrs, ...submits].join(' ')).replace(/“[^”]*”/g, ' ').replace(/\s+/g, ' ');
}

let s: SeededSite;
const pagesRead = new Map<string, number>();

beforeAll(async () => {
  s = await seedSite();
  // A gap worded by a source: the SSH failure a Chinese reader must read in Chinese.
  const gap = realisticReport({ hostname: 'db02', at: new Date('2026-11-27T10:00:00.000Z') });
  gap.gaps = [{ check: 'SXKR-005', reason: 'db02:22: connection refused', command: 'ssh db02' }];
  gap.measurements = gap.measurements.filter((m) => m.check !== 'SXKR-005');
  s.clock.now = new Date('2026-11-27T10:00:00.000Z');
  expect((await s.collector.request('POST', '/api/v1/reports', { token: s.collector.agentFor('acme', 'db02'), body: gap })).status).toBe(201);
  await requestMaintenance(s);
  expect((await s.collector.request('POST', '/api/v1/sites/acme/inspections/2026-11/sign', { token: s.tokens.engineer, body: {} })).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await s?.collector.stop();
});

/** Follows every same-site link from `start` (GET pages and HTML reports), at most `limit` pages. */
async function crawl(token: string, start: string[], limit = 120, lang: 'zh' | 'en' = 'zh'): Promise<Map<string, string>> {
  const seen = new Map<string, string>();
  const queue = [...start];
  while (queue.length && seen.size < limit) {
    const path = queue.shift()!;
    if (seen.has(path)) continue;
    // The reader's language as the dashboard keeps it between pages: the xj_lang cookie.
    const res = await s.collector.request('GET', path, { token, headers: { cookie: `xj_lang=${lang}` } });
    const type = res.headers.get('content-type') ?? '';
    const body = await res.text();
    seen.set(path, type.startsWith('text/html') ? body : '');
    if (!type.startsWith('text/html')) continue;
    for (const m of body.matchAll(/href="([^"#]*)"/g)) {
      const link = unescape(m[1]!);
      if (!link.startsWith('/') || link.startsWith('//')) continue;
      if (new RegExp(`[?&]lang=${lang === 'zh' ? 'en' : 'zh'}\\b`).test(link) || /\/logout|\/static\/|format=(?:pdf|csv|xlsx|json)|\/docs/.test(link)) continue;
      if (link.startsWith('/api/') && !/\/reports\/\w+/.test(link)) continue;
      if (!seen.has(link)) queue.push(link);
    }
  }
  return seen;
}

/**
 * The Chinese of the catalogue: every run of Chinese characters in its words. On an English page a
 * run of Chinese that is one of these is a word left untranslated; Chinese a person typed (a
 * symptom, a maintenance purpose) is theirs and stays.
 */
function catalogueChinese(): Set<string> {
  const tables = Object.values(terms).filter((v): v is Record<string, { zh: string; en: string }> => typeof v === 'object' && v !== null);
  const zh = [
    ...TERM_KEYS.map((k) => t('zh', k)),
    ...WORD_KEYS.map((k) => word('zh', k)),
    ...tables.flatMap((table) => Object.values(table).map((w) => w.zh)),
    ...Object.values(KIND_TERMS).map((w) => w.zh),
    ...Object.values(VERDICT_LABELS).map((w) => w.zh),
    ...CHECKS.map((c) => c.name.zh),
  ];
  return new Set(zh.flatMap((w) => w.match(/[\u4e00-\u9fff]+/g) ?? []).filter((run) => run.length >= 2));
}

const REPORTS = ['inspection?month=2026-11', 'products', 'performance?month=2026-11', 'faults?month=2026-11', 'health?quarter=2026-Q4', 'summary?year=2026'];

describe('every page and report in Chinese', () => {
  for (const role of ['admin', 'engineer', 'customer'] as const) {
    it(`${role}: no enum, catalogue key or source English left on any page or report`, async () => {
      const token = s.tokens[role];
      const start = ['/', '/sites/acme/review?month=2026-11', '/sites/acme/tickets', '/sites/acme/maintenance', '/sites/acme/reports', ...REPORTS.map((r) => `/api/v1/sites/acme/reports/${r}`)];
      const pages = await crawl(token, start);
      pagesRead.set(role, pages.size);
      const found: string[] = [];
      for (const [path, html] of pages) {
        if (!html) continue;
        const text = readableText(html);
        for (const [what, pattern] of [['enum', ENUM_WORD], ['catalogue key', CATALOGUE_KEY], ['source English', SOURCE_ENGLISH]] as const) {
          const m = pattern.exec(text);
          if (m) found.push(`${path}: ${what} "${m[0]}" in …${text.slice(Math.max(0, m.index - 60), m.index + 60)}…`);
        }
      }
      expect(found, found.join('\n')).toEqual([]);
      // The walk reached the pages that matter: a device, a ticket, a review cell, the maintenance request.
      const paths = [...pages.keys()].join('\n');
      expect(paths).toMatch(/\/sites\/acme\/devices\/db0\d/);
      expect(paths).toMatch(/\/sites\/acme\/tickets\/\d+/);
      expect(paths).toMatch(/\/sites\/acme\/maintenance\/\d+/);
      expect(pages.size).toBeGreaterThan(20);
    }, 240_000);
  }

  it('English: no word of the catalogue left in Chinese on any page or report', async () => {
    const chinese = catalogueChinese();
    expect(chinese.has('已到场')).toBe(true);
    const start = ['/?lang=en', '/sites/acme/review?month=2026-11&lang=en', '/sites/acme/tickets?lang=en', '/sites/acme/maintenance?lang=en', '/sites/acme/reports?lang=en', ...REPORTS.map((r) => `/api/v1/sites/acme/reports/${r}${r.includes('?') ? '&' : '?'}lang=en`)];
    const pages = await crawl(s.tokens.engineer, start, 120, 'en');
    const found: string[] = [];
    for (const [path, html] of pages) {
      if (!html) continue;
      const text = readableText(html);
      for (const m of text.matchAll(/[\u4e00-\u9fff]+/g)) if (chinese.has(m[0])) found.push(`${path}: "${m[0]}" in …${text.slice(Math.max(0, m.index - 60), m.index + 60)}…`);
    }
    expect(found, found.join('\n')).toEqual([]);
    expect(pages.size).toBeGreaterThan(20);
  }, 240_000);

  it('the source reason reads in Chinese on the review cell', async () => {
    const res = await s.collector.request('GET', '/sites/acme/cell?month=2026-11&device=db02&check=SXKR-005&fragment=1', { token: s.tokens.engineer });
    const text = readableText(await res.text());
    expect(text).toContain('db02:22：连接被拒绝');
  });

  it('the checks would catch a raw enum, a catalogue key and a source’s English', () => {
    expect(readableText('<td>on_site</td>')).toMatch(ENUM_WORD);
    expect(readableText('<td title="rolled_back">x</td>')).toMatch(ENUM_WORD);
    expect(readableText('<p>overdueTickets</p>')).toMatch(CATALOGUE_KEY);
    expect(readableText('<p>db02:22: connection refused</p>')).toMatch(SOURCE_ENGLISH);
    expect(readableText('<p>来源报告：“connection refused”</p>')).not.toMatch(SOURCE_ENGLISH);
    expect(readableText('<code>systemctl is-active</code><p>db01</p>')).not.toMatch(ENUM_WORD);
    expect(CHECK_IDS.length).toBe(6);
  });
});

describe('a refused form action reads in the reader\'s language, and a crafted link says nothing of its own', () => {
  /** A person's dashboard session (cookies and CSRF token) reading Chinese. */
  async function session(name: string, role: 'engineer' | 'customer'): Promise<{ jar: CookieJar; csrf: string }> {
    await new UsersRepository(s.collector.store).create({ name, role, passwordHash: await hashPassword(`${name}-pass-1`), sites: ['acme'] });
    const jar = new CookieJar();
    const res = await requestFrom(`${s.collector.url}/login`, { method: 'POST', jar, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, password: `${name}-pass-1` }) });
    expect(res.status).toBe(200);
    jar.cookies.set('xj_lang', 'zh');
    return { jar, csrf: (JSON.parse(res.body) as { csrf: string }).csrf };
  }
  /** Posts a dashboard form and reads the page it comes back to: the refusal's words, and the redirect. */
  async function refused(who: { jar: CookieJar; csrf: string }, path: string, fields: Record<string, string>): Promise<{ location: string; error: string; text: string }> {
    const post = await requestFrom(`${s.collector.url}${path}`, { method: 'POST', jar: who.jar, body: new URLSearchParams({ ...fields, _csrf: who.csrf }).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(post.status).toBe(303);
    const location = String(post.headers.location);
    const page = await requestFrom(`${s.collector.url}${location}`, { jar: who.jar });
    expect(page.status).toBe(200);
    const error = unescape(/<p class="error" role="alert">([^<]*)<\/p>/.exec(page.body)?.[1] ?? '');
    return { location, error, text: readableText(page.body) };
  }
  const noEnglish = (text: string) => {
    for (const pattern of [ENUM_WORD, CATALOGUE_KEY]) expect(pattern.exec(text)?.[0]).toBeUndefined();
  };

  it('a maintenance rejection without a note, and a ticket step out of order, are refused in Chinese', async () => {
    const customer = await session('zhou', 'customer');
    const engineer = await session('qian', 'engineer');
    const [m] = (await (await s.collector.request('GET', '/api/v1/maintenance?site=acme', { token: s.tokens.engineer })).json()) as { id: number; status: string }[];
    expect(m!.status).toBe('requested');
    const reject = await refused(customer, `/sites/acme/maintenance/${m!.id}/reject`, { note: '  ' });
    expect(reject.location).toMatch(/[?&]error=rejectionNote$/);
    expect(reject.error).toBe('操作未完成：拒绝维护申请需要填写原因。');
    noEnglish(reject.text);

    const open = (await (await s.collector.request('GET', '/api/v1/tickets?site=acme&status=open', { token: s.tokens.engineer })).json()) as { id: number }[];
    expect(open.length).toBeGreaterThan(0);
    const step = await refused(engineer, `/sites/acme/tickets/${open[0]!.id}/step/close`, { note: '' });
    expect(step.location).toContain('error=ticketStep&error.step=close&error.status=open');
    expect(step.error).toBe('操作未完成：故障单当前为“待响应”，不能执行“关闭”。');
    noEnglish(step.text);
    // The API keeps its English message for its clients.
    const api = await s.collector.request('POST', `/api/v1/tickets/${open[0]!.id}/close`, { token: s.tokens.engineer, body: {} });
    expect(api.status).toBe(409);
    expect(((await api.json()) as { message: string }).message).toMatch(/^cannot close a ticket that is open/);
  });

  it('a link with text of its own in ?error= shows the bare "操作未完成", never the text', async () => {
    const who = await session('sun', 'engineer');
    const open = (await (await s.collector.request('GET', '/api/v1/tickets?site=acme&status=open', { token: s.tokens.engineer })).json()) as { id: number }[];
    for (const crafted of ['<script>alert(1)</script>', 'Your account is locked, call 123', '您的账号已被锁定，请致电123']) {
      for (const query of [`error=${encodeURIComponent(crafted)}`, `error=ticketStep&error.step=close&error.status=${encodeURIComponent(crafted)}`]) {
        const page = await requestFrom(`${s.collector.url}/sites/acme/tickets/${open[0]!.id}?${query}`, { jar: who.jar });
        expect(page.status).toBe(200);
        expect(/<p class="error" role="alert">([^<]*)<\/p>/.exec(page.body)?.[1]).toBe('操作未完成');
        expect(page.body).not.toContain('Your account');
        expect(page.body).not.toContain('<script>alert');
        expect(page.body).not.toContain('&lt;script&gt;');
        expect(page.body).not.toContain('锁定');
      }
    }
  });
});
