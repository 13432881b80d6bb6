import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Lang } from './common.js';
import { SiteName } from './names.js';

/*
 * Notification channels (collector/notify/channels): where a message goes — an SMTP server, a
 * generic webhook, or a WeCom / DingTalk / Feishu group robot. A channel is checked in two steps:
 * the envelope (name, kind, site) here, then its `settings` and `secrets` against the kind's own
 * schema below, so a refusal names `/body/settings/port`, not "expected union value".
 * Secrets are write-only: the API answers `{ set: true }` for each, never the value.
 */

export const CHANNEL_KINDS = ['email', 'webhook', 'wecom', 'dingtalk', 'feishu'] as const;
export const ChannelKind = Type.Union(CHANNEL_KINDS.map((k) => Type.Literal(k)));
export type ChannelKind = Static<typeof ChannelKind>;

/** Short ASCII names: they are typed on the command line (`notify test --channel NAME`) and sit in URLs. */
export const ChannelName = Type.String({
  pattern: '^[a-z0-9][a-z0-9._-]{0,63}$',
  description: 'lower-case letters, digits, dot, dash and underscore; at most 64; starts with a letter or digit',
});
export type ChannelName = Static<typeof ChannelName>;

const Pem = Type.String({ minLength: 1, maxLength: 20_000, pattern: '-----BEGIN CERTIFICATE-----', description: 'PEM CA certificate(s) to trust besides the system ones (a private CA or a self-signed server)' });
const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s<>@]+@[^\\s<>@]+$', description: 'an e-mail address' });
/** `ops@example.com` or `Xunjian 巡检 <ops@example.com>`. */
const From = Type.String({ minLength: 3, maxLength: 300, pattern: '^([^<>\\r\\n]*<[^\\s<>@]+@[^\\s<>@]+>|[^\\s<>@]+@[^\\s<>@]+)$', description: 'sender: an address, or "Name <address>"' });
const HttpsUrl = Type.String({ minLength: 8, maxLength: 2000, pattern: '^https?://[^\\s]+$', description: 'http(s) URL' });
const Secret = (description: string) => Type.String({ minLength: 1, maxLength: 1000, description });

export const EmailSettings = Type.Object(
  {
    host: Type.String({ minLength: 1, maxLength: 255, pattern: '^[^\\s/]+$', description: 'SMTP server name or address' }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 587 }),
    /** starttls: plain connection upgraded (required); tls: TLS from the first byte (465); none: never encrypted. */
    security: Type.Union([Type.Literal('starttls'), Type.Literal('tls'), Type.Literal('none')], { default: 'starttls' }),
    user: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
    from: From,
    /** Recipients when the message names none. */
    to: Type.Optional(Type.Array(Email, { minItems: 1, maxItems: 50 })),
    ca: Type.Optional(Pem),
  },
  { additionalProperties: false },
);
export type EmailSettings = Static<typeof EmailSettings>;
export const EmailSecrets = Type.Object({ password: Type.Optional(Secret('SMTP password')) }, { additionalProperties: false });
export type EmailSecrets = Static<typeof EmailSecrets>;

const HttpSettings = Type.Object(
  {
    ca: Type.Optional(Pem),
    /** How long to wait for the far end's answer before it counts as a timeout (retry); default 10 000. */
    timeoutMs: Type.Optional(Type.Integer({ minimum: 500, maximum: 60_000 })),
  },
  { additionalProperties: false },
);
export const WebhookSecrets = Type.Object(
  { url: HttpsUrl, secret: Type.String({ minLength: 16, maxLength: 1000, description: 'HMAC-SHA256 signing secret (at least 16 characters)' }) },
  { additionalProperties: false },
);
export type WebhookSecrets = Static<typeof WebhookSecrets>;
export const WecomSecrets = Type.Object(
  { url: Type.String({ ...HttpsUrl, pattern: '^https?://[^\\s]+[?&]key=[^&\\s]+', description: 'the robot webhook URL, with its key=' }) },
  { additionalProperties: false },
);
export type WecomSecrets = Static<typeof WecomSecrets>;
export const DingtalkSecrets = Type.Object(
  {
    url: Type.String({ ...HttpsUrl, pattern: '^https?://[^\\s]+[?&]access_token=[^&\\s]+', description: 'the robot webhook URL, with its access_token=' }),
    secret: Type.Optional(Secret('加签 secret (SEC…), when the robot signs requests')),
  },
  { additionalProperties: false },
);
export type DingtalkSecrets = Static<typeof DingtalkSecrets>;
export const FeishuSecrets = Type.Object(
  { url: HttpsUrl, secret: Type.Optional(Secret('签名校验 secret, when the robot checks signatures')) },
  { additionalProperties: false },
);
export type FeishuSecrets = Static<typeof FeishuSecrets>;

/** Per kind: the schema of its settings (not secret) and of its secrets (sealed at rest). */
export const CHANNEL_KIND_SCHEMAS: Record<ChannelKind, { settings: TSchema; secrets: TSchema }> = {
  email: { settings: EmailSettings, secrets: EmailSecrets },
  webhook: { settings: HttpSettings, secrets: WebhookSecrets },
  wecom: { settings: HttpSettings, secrets: WecomSecrets },
  dingtalk: { settings: HttpSettings, secrets: DingtalkSecrets },
  feishu: { settings: HttpSettings, secrets: FeishuSecrets },
};

const Loose = Type.Record(Type.String(), Type.Unknown(), { description: "checked against the kind's own schema" });
const SecretValues = Type.Record(Type.String(), Type.String(), { description: "write-only; checked against the kind's own schema" });

export const ChannelInput = Type.Object(
  {
    name: ChannelName,
    kind: ChannelKind,
    /** Absent: a channel of the whole company (global admins only); else one site's own. */
    site: Type.Optional(SiteName()),
    settings: Type.Optional(Loose),
    secrets: Type.Optional(SecretValues),
  },
  { additionalProperties: false },
);
export type ChannelInput = Static<typeof ChannelInput>;

/** Settings given replace the stored ones field by field; a secret given replaces that secret. */
export const ChannelPatch = Type.Object(
  { settings: Type.Optional(Loose), secrets: Type.Optional(SecretValues) },
  { additionalProperties: false, minProperties: 1 },
);
export type ChannelPatch = Static<typeof ChannelPatch>;

export const ChannelTestInput = Type.Object(
  {
    lang: Type.Optional(Lang),
    /** E-mail channels: send the test here instead of the channel's recipients. */
    to: Type.Optional(Type.Array(Email, { minItems: 1, maxItems: 10 })),
  },
  { additionalProperties: false },
);
export type ChannelTestInput = Static<typeof ChannelTestInput>;

export const ChannelParams = Type.Object({ name: ChannelName });
export type ChannelParams = Static<typeof ChannelParams>;

export const DeliveryOutcome = Type.Union([Type.Literal('sent'), Type.Literal('retry'), Type.Literal('dead')]);
export type DeliveryOutcome = Static<typeof DeliveryOutcome>;

/** What the API shows: never a secret, only which are set; the target without its token. */
export const ChannelView = Type.Object({
  name: Type.String(),
  kind: ChannelKind,
  site: Type.Union([Type.String(), Type.Null()]),
  settings: Type.Record(Type.String(), Type.Unknown()),
  secrets: Type.Record(Type.String(), Type.Object({ set: Type.Boolean() })),
  /** Where it sends, without path or query (they carry the robot's token): `https://oapi.dingtalk.com`, `smtp.example.com:587`. */
  target: Type.String(),
  /** The vendor's limit the sender must respect (robots: 20 a minute). */
  perMinute: Type.Optional(Type.Integer()),
  minIntervalMs: Type.Optional(Type.Integer()),
  lastTest: Type.Optional(Type.Object({ at: Type.String(), outcome: DeliveryOutcome, detail: Type.String() })),
  createdAt: Type.String(),
  updatedAt: Type.String(),
});
export type ChannelView = Static<typeof ChannelView>;

export const ChannelTestResult = Type.Object({
  channel: Type.String(),
  outcome: DeliveryOutcome,
  /** Why (retry/dead) or what the server said (sent); never a secret. */
  detail: Type.String(),
  afterMs: Type.Optional(Type.Integer()),
  messageId: Type.String(),
});
export type ChannelTestResult = Static<typeof ChannelTestResult>;
