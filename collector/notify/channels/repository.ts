import { Value } from '@sinclair/typebox/value';
import { CHANNEL_KIND_SCHEMAS, schemaIssues, ValidationError, type ChannelInput, type ChannelKind, type ChannelPatch, type ChannelView, type FieldIssue } from '../../../schemas/index.js';
import { conflict, notFound } from '../../errors.js';
import type { CredentialBox } from '../../poller/index.js';
import type { Store } from '../../storage/store.js';
import { KIND_LIMITS, targetOf, type ChannelConfig } from './kinds.js';
import { openSecrets, sealSecrets } from './secrets.js';

interface Row {
  id: number;
  name: string;
  kind: ChannelKind;
  site: string | null;
  settings: string;
  secrets_sealed: string;
  secret_names: string;
  target: string;
  created_at: number;
  updated_at: number;
  last_test_at: number | null;
  last_test_outcome: 'sent' | 'retry' | 'dead' | null;
  last_test_detail: string | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** Every secret field a kind may have, set or not (the view lists each with `set`). */
const secretFields = (kind: ChannelKind) => Object.keys((CHANNEL_KIND_SCHEMAS[kind].secrets as unknown as { properties: Record<string, unknown> }).properties);

function view(r: Row): ChannelView {
  const set = new Set(JSON.parse(r.secret_names) as string[]);
  return {
    name: r.name,
    kind: r.kind,
    site: r.site,
    settings: JSON.parse(r.settings) as Record<string, unknown>,
    secrets: Object.fromEntries(secretFields(r.kind).map((f) => [f, { set: set.has(f) }])),
    target: r.target,
    ...KIND_LIMITS[r.kind],
    ...(r.last_test_at !== null && r.last_test_outcome ? { lastTest: { at: iso(r.last_test_at), outcome: r.last_test_outcome, detail: r.last_test_detail ?? '' } } : {}),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/**
 * A channel's settings and secrets checked against its kind's schema (defaults filled), each
 * refusal naming `/body/settings/…` or `/body/secrets/…` — never echoing a value.
 */
function checked(kind: ChannelKind, settings: Record<string, unknown>, secrets: Record<string, string>): { settings: Record<string, unknown>; secrets: Record<string, string> } {
  const schemas = CHANNEL_KIND_SCHEMAS[kind];
  const s = Value.Default(schemas.settings, Value.Clone(settings)) as Record<string, unknown>;
  const issues: FieldIssue[] = [
    ...schemaIssues(schemas.settings, s).map((i) => ({ ...i, path: `/body/settings${i.path}` })),
    ...schemaIssues(schemas.secrets, secrets).map((i) => ({ ...i, path: `/body/secrets${i.path}` })),
  ];
  if (issues.length) throw new ValidationError(`${kind} channel`, issues);
  return { settings: s, secrets };
}

/** null removes a setting; "" removes an optional secret. */
const merged = <T>(base: Record<string, T>, change: Record<string, unknown> | undefined, remove: (v: unknown) => boolean) => {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(change ?? {})) {
    if (remove(v)) delete out[k];
    else out[k] = v;
  }
  return out;
};

/** The channels table: the only code that reads or writes it. */
export class ChannelsRepository {
  constructor(
    private readonly store: Store,
    private readonly box: CredentialBox,
  ) {}

  private async row(name: string): Promise<Row> {
    const r = await this.store.get<Row>('SELECT * FROM notify_channels WHERE name = ?', [name]);
    if (!r) throw notFound(`no channel ${name}`);
    return r;
  }

  /** The channel's site (null: global), for the access check before anything else is read. */
  async siteOf(name: string): Promise<string | null> {
    return (await this.row(name)).site;
  }

  async exists(name: string): Promise<boolean> {
    return (await this.store.get('SELECT 1 AS one FROM notify_channels WHERE name = ?', [name])) !== undefined;
  }

  async create(input: ChannelInput, now: number): Promise<ChannelView> {
    const { settings, secrets } = checked(input.kind, input.settings ?? {}, Object.fromEntries(Object.entries(input.secrets ?? {}).filter(([, v]) => v !== '')));
    if (await this.exists(input.name)) throw conflict(`a channel named ${input.name} already exists`, { key: 'channelExists', args: {} });
    await this.store.run('INSERT INTO notify_channels (name, kind, site, settings, secrets_sealed, secret_names, target, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', [
      input.name,
      input.kind,
      input.site ?? null,
      JSON.stringify(settings),
      sealSecrets(this.box, secrets),
      JSON.stringify(Object.keys(secrets).sort()),
      targetOf(input.kind, settings, secrets),
      now,
      now,
    ]);
    return this.get(input.name);
  }

  async update(name: string, patch: ChannelPatch, now: number): Promise<ChannelView> {
    const r = await this.row(name);
    const current = openSecrets(this.box, name, r.secrets_sealed);
    const { settings, secrets } = checked(
      r.kind,
      merged(JSON.parse(r.settings) as Record<string, unknown>, patch.settings, (v) => v === null),
      merged(current, patch.secrets, (v) => v === '') as Record<string, string>,
    );
    await this.store.run('UPDATE notify_channels SET settings = ?, secrets_sealed = ?, secret_names = ?, target = ?, updated_at = ? WHERE id = ?', [
      JSON.stringify(settings),
      sealSecrets(this.box, secrets),
      JSON.stringify(Object.keys(secrets).sort()),
      targetOf(r.kind, settings, secrets),
      now,
      r.id,
    ]);
    return this.get(name);
  }

  async remove(name: string): Promise<void> {
    await this.store.run('DELETE FROM notify_channels WHERE id = ?', [(await this.row(name)).id]);
  }

  async get(name: string): Promise<ChannelView> {
    return view(await this.row(name));
  }

  /** null: every channel; a site: the company's channels and that site's own. */
  async list(site: string | null): Promise<ChannelView[]> {
    const rows =
      site === null
        ? await this.store.all<Row>('SELECT * FROM notify_channels ORDER BY name')
        : await this.store.all<Row>('SELECT * FROM notify_channels WHERE site IS NULL OR site = ? ORDER BY name', [site]);
    return rows.map(view);
  }

  async names(): Promise<string[]> {
    return (await this.store.all<{ name: string }>('SELECT name FROM notify_channels ORDER BY name')).map((r) => r.name);
  }

  /** The channel with its secrets opened: for building it, never for an answer. */
  async config(name: string): Promise<ChannelConfig> {
    const r = await this.row(name);
    return { name: r.name, kind: r.kind, settings: JSON.parse(r.settings) as Record<string, unknown>, secrets: openSecrets(this.box, name, r.secrets_sealed) };
  }

  /** Cheap: whether a cached channel is still current (every change reseals with a fresh nonce). */
  async version(name: string): Promise<string | undefined> {
    const r = await this.store.get<{ settings: string; secrets_sealed: string }>('SELECT settings, secrets_sealed FROM notify_channels WHERE name = ?', [name]);
    return r && `${r.secrets_sealed}\n${r.settings}`;
  }

  async recordTest(name: string, at: number, outcome: 'sent' | 'retry' | 'dead', detail: string): Promise<void> {
    await this.store.run('UPDATE notify_channels SET last_test_at = ?, last_test_outcome = ?, last_test_detail = ? WHERE name = ?', [at, outcome, detail.slice(0, 1000), name]);
  }
}
