import type { FastifyInstance } from 'fastify';
import { ChannelInput, ChannelPatch, validate, type ChannelTestInput, type ChannelTestResult, type ChannelView } from '../../../schemas/index.js';
import { forbidden, notFound } from '../../errors.js';
import { auditBy } from '../../identity/index.js';
import type { Actor } from '../../users/index.js';
import { channelDirectory } from './directory.js';
import { ChannelsRepository } from './repository.js';
import { testMessage } from './test-message.js';
import type { ChannelDirectory } from './types.js';

/*
 * Who may do what with channels — one rule for the API and the dashboard:
 * - a company channel (no site: the SMTP relay, the service desk's robot) is created, changed and
 *   deleted by a global admin only;
 * - a site's own channel (the customer's WeCom group) by an engineer or admin of that site;
 * - engineers and admins see, and may test, the company's channels and their sites' own;
 * - a channel of another site answers exactly like one that does not exist (404).
 * Customers have no access: the routes refuse their role.
 */

const seesSite = (a: Actor, site: string) => a.sites === null || a.sites.includes(site);

export class ChannelActions {
  readonly channels: ChannelsRepository;
  readonly directory: ChannelDirectory & { close(): void };

  constructor(private readonly app: Pick<FastifyInstance, 'db' | 'store' | 'config' | 'clock' | 'credentialBox'>) {
    // The box the credentials service made from the configuration's key.
    const box = app.credentialBox;
    this.channels = new ChannelsRepository(app.store, box);
    this.directory = channelDirectory(app.store, box);
  }

  private assertRole(a: Actor): void {
    if (a.role !== 'engineer' && a.role !== 'admin') throw forbidden('notification channels need the role engineer or admin', { key: 'roleNeeded', args: { roles: ['engineer', 'admin'] } });
  }

  private assertManage(a: Actor, site: string | null): void {
    this.assertRole(a);
    if (site === null) {
      if (a.role !== 'admin' || a.sites !== null) throw forbidden('a company channel (no site) is managed by a global admin; give a site for a site\'s own channel', { key: 'companyChannelAdmin', args: {} });
    } else if (!seesSite(a, site)) {
      throw forbidden(`${a.name} may not manage channels of site ${site}`, { key: 'notYourSite', args: {} });
    }
  }

  /** The channel's site after the visibility check: another site's channel is "no channel". */
  private async visible(a: Actor, name: string): Promise<string | null> {
    this.assertRole(a);
    const site = await this.channels.siteOf(name);
    if (site !== null && !seesSite(a, site)) throw notFound(`no channel ${name}`);
    return site;
  }

  async list(a: Actor): Promise<ChannelView[]> {
    this.assertRole(a);
    if (a.sites === null) return this.channels.list(null);
    const seen = new Map<string, ChannelView>();
    for (const site of a.sites) for (const c of await this.channels.list(site)) seen.set(c.name, c);
    return [...seen.values()].sort((x, y) => x.name.localeCompare(y.name));
  }

  async get(a: Actor, name: string): Promise<ChannelView> {
    await this.visible(a, name);
    return this.channels.get(name);
  }

  /** `input` is checked here as well as at the API's edge: the dashboard's form posts come this way too. */
  async create(a: Actor, input: ChannelInput): Promise<ChannelView> {
    this.assertRole(a);
    validate(ChannelInput, input, 'channel');
    this.assertManage(a, input.site ?? null);
    const now = this.app.clock().getTime();
    return this.app.store.transaction(async () => {
      const made = await this.channels.create(input, now);
      await auditBy(this.app.store, a, { action: 'notify-channel.create', site: made.site, subject: `channel ${made.name}`, detail: detailOf({ kind: input.kind, settings: made.settings, secrets: input.secrets }) }, now);
      return made;
    });
  }

  async update(a: Actor, name: string, patch: ChannelPatch): Promise<ChannelView> {
    const site = await this.visible(a, name);
    validate(ChannelPatch, patch, 'channel change');
    this.assertManage(a, site);
    const now = this.app.clock().getTime();
    return this.app.store.transaction(async () => {
      const changed = await this.channels.update(name, patch, now);
      await auditBy(this.app.store, a, { action: 'notify-channel.update', site, subject: `channel ${name}`, detail: detailOf(patch) }, now);
      return changed;
    });
  }

  async remove(a: Actor, name: string): Promise<void> {
    const site = await this.visible(a, name);
    this.assertManage(a, site);
    const now = this.app.clock().getTime();
    await this.app.store.transaction(async () => {
      await this.channels.remove(name);
      await auditBy(this.app.store, a, { action: 'notify-channel.delete', site, subject: `channel ${name}` }, now);
    });
  }

  /** Sends one test message now and records the outcome on the channel (shown on the page). */
  async test(a: Actor, name: string, input: ChannelTestInput, link?: string): Promise<ChannelTestResult> {
    await this.visible(a, name);
    return sendTest(this.channels, this.directory, name, input, this.app.clock(), link);
  }
}

/** The test send shared by the API, the page and the CLI. */
export async function sendTest(channels: ChannelsRepository, directory: ChannelDirectory, name: string, input: ChannelTestInput, at: Date, link?: string): Promise<ChannelTestResult> {
  const channel = await directory.get(name);
  if (!channel) throw notFound(`no channel ${name}`);
  const message = testMessage(name, input.lang ?? 'zh', at, { ...(link ? { link } : {}), ...(input.to ? { to: input.to } : {}) });
  const result = await channel.send(message);
  const detail = result.outcome === 'sent' ? (result.detail ?? 'accepted') : result.reason;
  await channels.recordTest(name, at.getTime(), result.outcome, detail);
  return { channel: name, outcome: result.outcome, detail, ...(result.outcome === 'retry' && result.afterMs !== undefined ? { afterMs: result.afterMs } : {}), messageId: message.id };
}

/** The audit line of a change: settings as given, secrets by name only. */
function detailOf(change: { kind?: string; settings?: Record<string, unknown>; secrets?: Record<string, string> }): string {
  const parts: string[] = [];
  if (change.kind) parts.push(`kind: ${change.kind}`);
  if (change.settings) parts.push(`settings: ${JSON.stringify(Object.fromEntries(Object.entries(change.settings).map(([k, v]) => [k, k === 'ca' && v ? '(certificate)' : v])))}`);
  if (change.secrets) parts.push(`secrets: ${Object.keys(change.secrets).sort().join(', ')} (changed)`);
  const text = parts.join('; ');
  return text.length > 2000 ? `${text.slice(0, 1999)}…` : text;
}
