import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { loadAgentConfig, startAgent, type AgentHandle } from '../agent/index.js';
import type { CheckResult, CollectorConfig, Report } from '../schemas/index.js';
import type { IngestHooks } from './ingest/hooks.js';
import { TokensRepository } from './repositories/index.js';
import { dbPathOf, startCollector, type RunningCollector } from './server.js';
import { UsersRepository, createUser } from './users/index.js';

/**
 * The single-machine start (`npm start`): the collector on its embedded SQLite, plus a real agent
 * on this host delivering to it through the same API every other agent uses. The first
 * inspection arrives after `firstWindow`, then one every `cadence`.
 */
export interface QuickstartOptions {
  site: string;
  /** CPU window of the first inspection, so a newcomer sees a populated site quickly. */
  firstWindow: string;
  cadence: string;
  /** Called once, after the first inspection of this host is stored (outside its transaction). */
  onFirstInspection?: (report: Report, results: CheckResult[]) => void;
}

export interface Quickstart {
  collector: RunningCollector;
  /** The dashboard log-in made on the first start (no users yet): shown once, never stored in clear. */
  firstAdmin?: { name: string; password: string };
  agent: AgentHandle;
  agentConfigPath: string;
  close(): Promise<void>;
}

/** The agent token for this host: reused while the database still knows it, else made anew. */
function selfToken(collector: RunningCollector, tokenFile: string, site: string): void {
  const tokens = new TokensRepository(collector.db);
  if (existsSync(tokenFile) && tokens.verify(readFileSync(tokenFile, 'utf8').trim())?.site === site) return;
  const { token } = tokens.create({ name: `agent ${hostname()} (npm start)`, role: 'agent', site });
  writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
}

/** A fresh database has nobody who can log in to the dashboard: make `admin` with a generated password. */
async function firstAdminLogin(collector: RunningCollector): Promise<{ name: string; password: string } | undefined> {
  if (new UsersRepository(collector.db).list().length > 0) return undefined;
  const { generated } = await createUser(dbPathOf(collector.app.config), { name: 'admin', role: 'admin', sites: [] });
  return generated ? { name: 'admin', password: generated } : undefined;
}

export async function startQuickstart(config: CollectorConfig, options: QuickstartOptions): Promise<Quickstart> {
  let told = false;
  const announce: IngestHooks = {
    afterResults(_tx, _device, results, report) {
      if (told || report.source !== 'agent' || report.site !== options.site || !options.onFirstInspection) return;
      told = true;
      // Hooks run inside the ingest transaction and must not throw: report after it commits.
      setImmediate(() => options.onFirstInspection?.(report, results));
    },
  };
  const collector = await startCollector(config, { hooks: [announce] });
  try {
    const agentDir = resolve(config.dataDir, 'agent');
    mkdirSync(agentDir, { recursive: true, mode: 0o700 });
    const tokenFile = join(agentDir, 'token');
    selfToken(collector, tokenFile, options.site);
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
