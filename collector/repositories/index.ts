import type { Db } from '../storage/db.js';
import { DevicesRepository } from './devices.js';
import { ReportsRepository } from './reports.js';
import { ResultsRepository } from './results.js';
import { SitesRepository } from './sites.js';
import { TokensRepository } from './tokens.js';

export * from './devices.js';
export * from './reports.js';
export * from './results.js';
export * from './sites.js';
export * from './tokens.js';
export { iso } from './json.js';

/** One repository per aggregate; nothing else in the collector core writes SQL. */
export interface Repositories {
  sites: SitesRepository;
  devices: DevicesRepository;
  tokens: TokensRepository;
  reports: ReportsRepository;
  results: ResultsRepository;
}

export function createRepositories(db: Db): Repositories {
  return {
    sites: new SitesRepository(db),
    devices: new DevicesRepository(db),
    tokens: new TokensRepository(db),
    reports: new ReportsRepository(db),
    results: new ResultsRepository(db),
  };
}
