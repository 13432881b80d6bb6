import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_TIME_ZONE } from '../../../checks/index.js';
import { CHANNEL_KINDS, ValidationError, type ChannelInput, type ChannelKind, type ChannelView, type Lang } from '../../../schemas/index.js';
import { ApiError } from '../../errors.js';
import { html, type SafeHtml } from '../../html/index.js';
import type { ChannelActions } from '../../notify/channels/index.js';
import { formatTime } from '../../reports/index.js';
import { actorOf, redirectToLogin, requireViewer, type Viewer } from '../../users/index.js';
import { langOf, t } from '../i18n.js';
import { layout } from './layout.js';
import { refusalText } from './error-page.js';
import { refusalOf, refusalQuery } from '../../refusals.js';

/*
 * The notification channels page (/notify/channels): the channels the viewer may see, "send test"
 * on each, delete and add for those they may manage. Every post goes through ChannelActions — the
 * same rules, validation and audit as the API. Secrets are write-only here too: the page shows
 * which are set, never a value, and the form's secret fields are always empty.
 */

type Form = Record<string, string | string[] | undefined>;
const one = (f: Form, k: string): string | undefined => {
  const v = f[k];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s.trim() === '' ? undefined : s.trim();
};

const WORDS = {
  zh: {
    title: '通知渠道', name: '名称', kind: '类型', site: '站点', company: '全公司', target: '发送到', secrets: '密钥', limit: '频率限制', lastTest: '最近测试',
    test: '发送测试', remove: '删除', add: '添加渠道', save: '添加', none: '尚未配置通知渠道。', perMinute: '条/分钟', never: '未测试',
    url: 'Webhook 地址(含 key/token)', secret: '签名密钥(加签/签名校验/HMAC)', host: 'SMTP 服务器', port: '端口', security: '加密', user: '用户名', password: '密码',
    from: '发件人', to: '收件人(逗号分隔)', ca: '信任的 CA 证书(PEM,可选)', set: '已设置', result: '测试结果',
    outcome: { sent: '已送达', retry: '暂时失败(将重试)', dead: '被拒绝' },
  },
  en: {
    title: 'Notification channels', name: 'Name', kind: 'Kind', site: 'Site', company: 'company', target: 'Sends to', secrets: 'Secrets', limit: 'Rate limit', lastTest: 'Last test',
    test: 'Send test', remove: 'Delete', add: 'Add a channel', save: 'Add', none: 'No notification channel yet.', perMinute: '/min', never: 'not tested',
    url: 'Webhook URL (with its key/token)', secret: 'Signing secret (加签 / 签名校验 / HMAC)', host: 'SMTP server', port: 'Port', security: 'Security', user: 'User', password: 'Password',
    from: 'From', to: 'To (comma-separated)', ca: 'CA certificate to trust (PEM, optional)', set: 'set', result: 'Test result',
    outcome: { sent: 'delivered', retry: 'temporary failure (will retry)', dead: 'refused' },
  },
} as const;

const enc = encodeURIComponent;
const csrf = (v: Viewer) => html`<input type="hidden" name="_csrf" value="${v.csrf ?? ''}">`;
/** Whether the viewer may change this channel (the action layer decides; this only hides buttons). */
const manages = (v: Viewer, site: string | null) => (site === null ? v.role === 'admin' && v.sites === null : v.role !== 'customer' && (v.sites === null || v.sites.includes(site)));

export function channelsView(lang: Lang, viewer: Viewer, channels: ChannelView[], zoneOf: (site: string | null) => string, notice?: { error?: string; tested?: ChannelView }): SafeHtml {
  const w = WORDS[lang];
  const tested = notice?.tested?.lastTest;
  const rows = channels.map((c) => {
    const secrets = Object.entries(c.secrets).map(([k, s]) => `${k}: ${s.set ? w.set : '—'}`).join(', ');
    const last = c.lastTest ? html`<span class="outcome-${c.lastTest.outcome}">${w.outcome[c.lastTest.outcome]}</span> · ${formatTime(c.lastTest.at, zoneOf(c.site))}<br><small>${c.lastTest.detail}</small>` : w.never;
    const remove = manages(viewer, c.site)
      ? html`<form method="post" action="/notify/channels/${enc(c.name)}/delete" class="inline">${csrf(viewer)}<button type="submit" data-delete="${c.name}">${w.remove}</button></form>`
      : '';
    return html`<tr data-channel="${c.name}"><td>${c.name}</td><td>${c.kind}</td><td>${c.site ?? w.company}</td><td>${c.target}</td><td>${secrets}</td>
<td>${c.perMinute ? `${c.perMinute} ${w.perMinute}` : '—'}</td><td class="last-test">${last}</td>
<td><form method="post" action="/notify/channels/${enc(c.name)}/test" class="inline">${csrf(viewer)}<button type="submit" data-test="${c.name}">${w.test}</button></form>${remove}</td></tr>`;
  });
  const sites = viewer.sites ?? [];
  const siteChoice =
    viewer.role === 'admin' && viewer.sites === null
      ? html`<input name="site" placeholder="${w.company}">`
      : html`<select name="site">${sites.map((s) => html`<option>${s}</option>`)}</select>`;
  const form = html`<form method="post" action="/notify/channels" class="card" id="channel-form" autocomplete="off">${csrf(viewer)}<h2>${w.add}</h2>
<label>${w.kind} <select name="kind">${CHANNEL_KINDS.map((k) => html`<option>${k}</option>`)}</select></label>
<label>${w.name} <input name="name" required pattern="[a-z0-9][a-z0-9._\\-]{0,63}"></label><label>${w.site} ${siteChoice}</label>
<fieldset><legend>webhook · wecom · dingtalk · feishu</legend><label>${w.url} <input name="url" type="password"></label><label>${w.secret} <input name="secret" type="password"></label></fieldset>
<fieldset><legend>email</legend><label>${w.host} <input name="host"></label><label>${w.port} <input name="port" type="number" min="1" max="65535" placeholder="587"></label>
<label>${w.security} <select name="security"><option>starttls</option><option>tls</option><option>none</option></select></label>
<label>${w.user} <input name="user"></label><label>${w.password} <input name="password" type="password"></label><label>${w.from} <input name="from"></label><label>${w.to} <input name="to"></label></fieldset>
<label>${w.ca} <textarea name="ca" rows="3"></textarea></label><button type="submit">${w.save}</button></form>`;
  return html`${notice?.error ? html`<p class="error" role="alert">${notice.error}</p>` : ''}
${tested ? html`<p class="notice" id="test-result" role="status">${w.result} · ${notice!.tested!.name}: <strong class="outcome-${tested.outcome}">${w.outcome[tested.outcome]}</strong> — ${tested.detail}</p>` : ''}
${channels.length ? html`<table class="grid" id="channels"><thead><tr><th>${w.name}</th><th>${w.kind}</th><th>${w.site}</th><th>${w.target}</th><th>${w.secrets}</th><th>${w.limit}</th><th>${w.lastTest}</th><th></th></tr></thead><tbody>${rows}</tbody></table>` : html`<p>${w.none}</p>`}
${viewer.role === 'customer' ? '' : form}`;
}

/** Only the fields the form filled: an empty one is "not given", so the schema says "required" or fills its default. */
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** The form's fields as the API's ChannelInput: only the fields of the chosen kind. */
export function channelInputOf(f: Form): ChannelInput {
  const kind = (one(f, 'kind') ?? '') as ChannelKind;
  const site = one(f, 'site');
  const ca = one(f, 'ca');
  const base = { name: one(f, 'name') ?? '', kind, ...(site ? { site } : {}) };
  if (kind === 'email') {
    const port = one(f, 'port');
    const to = one(f, 'to')?.split(',').map((s) => s.trim()).filter(Boolean);
    const password = one(f, 'password');
    return {
      ...base,
      settings: defined({ host: one(f, 'host'), port: port && /^\d+$/.test(port) ? Number(port) : port, security: one(f, 'security'), user: one(f, 'user'), from: one(f, 'from'), to: to?.length ? to : undefined, ca }),
      secrets: password ? { password } : {},
    };
  }
  const secret = one(f, 'secret');
  const url = one(f, 'url');
  return { ...base, settings: ca ? { ca } : {}, secrets: { ...(url ? { url } : {}), ...(secret ? { secret } : {}) } };
}

/** Registers the page and its form posts inside the dashboard plugin (session, CSRF, form parser). */
export function channelPages(app: FastifyInstance, actions: () => ChannelActions): void {
  const page = (reply: FastifyReply, body: SafeHtml) => reply.type('text/html; charset=utf-8').send(body.markup);
  const back = (reply: FastifyReply, query = '') => reply.redirect(`/notify/channels${query}`, 303);
  /** A refused action comes back to the page with its refusal's key and arguments, like every other dashboard form. */
  const act = async (reply: FastifyReply, fn: () => unknown | Promise<unknown>, query = '') => {
    try {
      await fn();
      return back(reply, query);
    } catch (err) {
      if ((err instanceof ApiError && err.statusCode < 500) || err instanceof ValidationError) return back(reply, `?${refusalQuery(refusalOf(err))}`);
      throw err;
    }
  };
  const nameOf = (request: FastifyRequest) => (request.params as { name: string }).name;

  app.get('/notify/channels', async (request, reply) => {
    if (!request.viewer) return redirectToLogin(request, reply);
    const v = request.viewer;
    const lang = langOf(request);
    const q = request.query as { error?: string; tested?: string };
    const list = v.role === 'customer' ? [] : await actions().list(actorOf(request));
    const tested = q.tested ? list.find((c) => c.name === q.tested) : undefined;
    const title = WORDS[lang].title;
    if (v.role === 'customer') return page(reply.status(403), layout(lang, title, html`<p class="error" role="alert">${t(lang, 'customerNoChannels')}</p>`, v));
    const zones = new Map<string, string>();
    for (const c of list) if (c.site && !zones.has(c.site)) zones.set(c.site, await app.repos.sites.timeZoneOf(c.site));
    return page(reply, layout(lang, title, channelsView(lang, v, list, (site) => (site ? zones.get(site) ?? DEFAULT_TIME_ZONE : DEFAULT_TIME_ZONE), { ...(q.error !== undefined ? { error: refusalText(lang, q)! } : {}), ...(tested ? { tested } : {}) }), v));
  });

  app.post('/notify/channels', async (request, reply) => {
    requireViewer(request);
    return act(reply, () => actions().create(actorOf(request), channelInputOf((request.body ?? {}) as Form)));
  });

  app.post('/notify/channels/:name/test', async (request, reply) => {
    requireViewer(request);
    const name = nameOf(request);
    const link = `${request.protocol}://${request.host}/notify/channels`;
    return act(reply, () => actions().test(actorOf(request), name, { lang: langOf(request) }, link), `?tested=${enc(name)}`);
  });

  app.post('/notify/channels/:name/delete', async (request, reply) => {
    requireViewer(request);
    return act(reply, () => actions().remove(actorOf(request), nameOf(request)));
  });
}
