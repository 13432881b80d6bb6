import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { readBranding } from './branding.js';
import { CollectorConfig, XunjianError, parseWithDefaults } from '../schemas/index.js';

/** Command-line flags of `xunjian collector` (all optional; they beat environment and file). */
export interface CollectorFlags {
  config?: string;
  host?: string;
  port?: string | number;
  dataDir?: string;
  db?: string;
  /** postgres://… : the shared PostgreSQL database instead of the SQLite file. */
  databaseUrl?: string;
  durability?: string;
  bodyLimit?: string | number;
  tlsCert?: string;
  tlsKey?: string;
  retentionDays?: string | number;
  logLevel?: string;
  /** The key sealing stored secrets (SNMP/BMC credentials, channel secrets): from XUNJIAN_SNMP_KEY, never a command-line flag. */
  credentialKey?: string;
}

/** Environment variable → flag it stands for. */
export const ENVIRONMENT: Record<string, keyof CollectorFlags> = {
  XUNJIAN_CONFIG: 'config',
  XUNJIAN_HOST: 'host',
  XUNJIAN_PORT: 'port',
  XUNJIAN_DATA_DIR: 'dataDir',
  XUNJIAN_DB: 'db',
  XUNJIAN_DATABASE_URL: 'databaseUrl',
  XUNJIAN_DURABILITY: 'durability',
  XUNJIAN_BODY_LIMIT: 'bodyLimit',
  XUNJIAN_TLS_CERT: 'tlsCert',
  XUNJIAN_TLS_KEY: 'tlsKey',
  XUNJIAN_RETENTION_DAYS: 'retentionDays',
  XUNJIAN_LOG_LEVEL: 'logLevel',
  XUNJIAN_SNMP_KEY: 'credentialKey',
};

type Loose = Record<string, unknown>;

function readConfigFile(path: string): Loose {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new XunjianError('CONFIG', `cannot read configuration file ${path}: ${(cause as Error).message}`, { cause });
  }
  try {
    const value: unknown = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
    if (value === null || value === undefined) return {};
    if (typeof value !== 'object' || Array.isArray(value)) throw new Error('the top level must be a mapping');
    return value as Loose;
  } catch (cause) {
    throw new XunjianError('CONFIG', `cannot parse configuration file ${path}: ${(cause as Error).message}`, { cause });
  }
}

const num = (v: string | number | undefined): number | string | undefined =>
  v === undefined ? undefined : typeof v === 'number' ? v : /^\d+$/.test(v.trim()) ? Number(v) : v;

function overlay(target: Loose, flags: CollectorFlags): void {
  const section = (key: string): Loose => {
    const current = target[key];
    if (current && typeof current === 'object' && !Array.isArray(current)) return current as Loose;
    const fresh: Loose = {};
    target[key] = fresh;
    return fresh;
  };
  if (flags.host !== undefined) section('listen').host = flags.host;
  if (flags.port !== undefined) section('listen').port = num(flags.port);
  if (flags.dataDir !== undefined) target.dataDir = flags.dataDir;
  if (flags.db !== undefined) target.dbPath = flags.db;
  if (flags.databaseUrl !== undefined) section('storage').url = flags.databaseUrl;
  if (flags.credentialKey !== undefined) section('snmp').credentialKey = flags.credentialKey;
  if (flags.durability !== undefined) target.durability = flags.durability;
  if (flags.bodyLimit !== undefined) target.bodyLimit = num(flags.bodyLimit);
  if (flags.tlsCert !== undefined) section('tls').cert = flags.tlsCert;
  if (flags.tlsKey !== undefined) section('tls').key = flags.tlsKey;
  if (flags.retentionDays !== undefined) section('retention').rawDays = num(flags.retentionDays);
  if (flags.logLevel !== undefined) target.logLevel = flags.logLevel;
}

/** Defaults < file < environment (XUNJIAN_*) < flags; the result is validated (ValidationError names the key). */
export function loadCollectorConfig(flags: CollectorFlags = {}, env: NodeJS.ProcessEnv = process.env): CollectorConfig {
  const fromEnv: CollectorFlags = {};
  for (const [name, key] of Object.entries(ENVIRONMENT)) {
    const value = env[name];
    if (value !== undefined && value !== '') (fromEnv as Record<string, string>)[key] = value;
  }
  const file = flags.config ?? fromEnv.config;
  const merged: Loose = file ? readConfigFile(file) : {};
  // A logo named relative to the configuration file is found beside it, wherever the collector starts.
  const branding = merged.branding as Loose | undefined;
  if (file && branding && typeof branding.logo === 'string' && branding.logo && !isAbsolute(branding.logo)) branding.logo = resolve(dirname(file), branding.logo);
  overlay(merged, fromEnv);
  overlay(merged, flags);
  const config = parseWithDefaults(CollectorConfig, merged, 'collector configuration');
  // A missing, oversized or mistyped logo is found now, with its path and why, not on the first page.
  readBranding(config);
  return config;
}

/** The database file a configuration points at. */
export const dbPathOf = (config: CollectorConfig): string => config.dbPath ?? join(config.dataDir, 'xunjian.db');

/** Where the collector's data lives: the PostgreSQL URL when one is configured, else the SQLite file. */
export const storageOf = (config: CollectorConfig): string => config.storage?.url ?? dbPathOf(config);
