import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { loadAgentConfig, startAgent, type AgentHandle } from '../agent/index.js';
import type { CheckResult, CollectorConfig, Report } from '../schemas/index.js';
import {
  TokensRepository,
  UsersRepository,
  createUser,
  dbPathOf,
  firstBindableSyslogPort,
  startCollector,
  syslogNotice,
  type IngestHooks,
  type RunningCollector,
} from '../collector/index.js';

/**
 * The single-machine start (`npm start`): the collector on its embedded SQLite, plus a real agent
 * on this host delivering to it through the same API every other agent uses. A composition of the
 * two programs, so it lives with the entry points rather than inside either of them. The first
 * inspection arrives after `firstWindow`, then one every `cadence`.
 */
export interface QuickstartOptions {
  site: string;
  /** CPU window of the first inspection, so a newcomer sees a populated site quickly. */
  firstWindow: string;
  cadence: string;
  /** Called once, after the first inspection of this host is stored (outside its transaction). */
  onFirstInspection?: (report: Report, results: CheckResult[]) => void;
  /**
   * Syslog ports tried in order when the configuration sets no `syslog` section: the standard 514
   * (needs root or CAP_NET_BIND_SERVICE), then 5514, which any user may bind. Tests pass free ports.
   */
  syslogPorts?: readonly number[];
}

export const QUICKSTART_SYSLOG_PORTS = [514, 5514] as const;

export interface Quickstart {
  collector: RunningCollector;
  /** The dashboard log-in made on the first start (no users yet): shown once, never stored in clear. */
  firstAdmin?: { name: string; password: string };
  agent: AgentHandle;
  agentConfigPath: string;
  /** One line for the terminal: where the syslog receiver listens, or that it is off and why. */
  syslog: string;
  close(): Promise<void>;
}

/**
 * `npm start` is a newcomer's first run, usually as a normal user who cannot bind 514: without a
 * configured `syslog` section take the first port of `ports` that can be bound (514 as root, else
 * 5514) or turn the receiver off, instead of logging a bind error. A configured port is used as
 * given (a failure to bind it is then the operator's to see).
 */
async function withSyslogPort(config: CollectorConfig, ports: readonly number[]): Promise<CollectorConfig> {
  if (config.syslog) return config;
  const host = '0.0.0.0';
  const port = (await firstBindableSyslogPort(ports, host)) ?? 0;
  return { ...config, syslog: { port, host, flushSeconds: 5, maxQueue: 10_000 } };
}

/** The agent token for this host: reused while the database still knows it, else made anew. */
async function selfToken(collector: RunningCollector, tokenFile: string, site: string): Promise<void> {
  const tokens = new TokensRepository(collector.app.store);
  if (existsSync(tokenFile) && (await tokens.verify(readFileSync(tokenFile, 'utf8').trim()))?.site === site) return;
  const { token } = await tokens.create({ name: `agent ${hostname()} (npm start)`, role: 'agent', site });
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
}

/** A fresh database has nobody who can log in to the dashboard: make `admin` with a generated password. */
async function firstAdminLogin(collector: RunningCollector): Promise<{ name: string; password: string } | undefined> {
  if ((await new UsersRepository(collector.app.store).list()).length > 0) return undefined;
  const { generated } = await createUser(dbPathOf(collector.app.config), { name: 'admin', role: 'admin', sites: [] });
  return generated ? { name: 'admin', password: generated } : undefined;
}

export async function startQuickstart(config: CollectorConfig, options: QuickstartOptions): Promise<Quickstart> {
  let told = false;
  const announce: IngestHooks = {
    afterResults(_device, results, report) {
      if (told || report.source !== 'agent' || report.site !== options.site || !options.onFirstInspection) return;
      told = true;
      // Hooks run inside the ingest transaction and must not throw: report after it commits.
      setImmediate(() => options.onFirstInspection?.(report, results));
    },
  };
  const tried = config.syslog ? [] : (options.syslogPorts ?? QUICKSTART_SYSLOG_PORTS);
  const effective = await withSyslogPort(config, tried);
  const collector = await startCollector(effective, { hooks: [announce] });
  try {
    const agentDir = resolve(config.dataDir, 'agent');
    mkdirSync(agentDir, { recursive: true, mode: 0o700 });
    const tokenFile = join(agentDir, 'token');
    await selfToken(collector, tokenFile, options.site);
    const agentConfigPath = join(agentDir, 'agent.yaml');
    writeFileSync(
      agentConfigPath,
      `# Written by \`xunjian start\`: the agent of this host, delivering to the collector beside it.\n${stringify({
        collector: { url: collector.url, tokenFile },
        site: options.site,
        cadence: options.cadence,
        window: options.firstWindow,
        spool: { dir: join(agentDir, 'spool') },
        stateDir: join(agentDir, 'state'),
      })}`,
    );
    const agent = await startAgent(loadAgentConfig(agentConfigPath, {}));
    const firstAdmin = await firstAdminLogin(collector);
    return {
      collector,
      agent,
      ...(firstAdmin ? { firstAdmin } : {}),
      agentConfigPath,
      syslog: syslogNotice(collector.app.syslog?.ports().udp ?? 0, effective.syslog?.port ?? 0, tried),
      async close() {
        await agent.stop();
        await collector.close();
      },
    };
  } catch (error) {
    await collector.close();
    throw error;
  }
}
