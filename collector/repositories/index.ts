import type { Store } from '../storage/store.js';
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

export function createRepositories(store: Store): Repositories {
  return {
    sites: new SitesRepository(store),
    devices: new DevicesRepository(store),
    tokens: new TokensRepository(store),
    reports: new ReportsRepository(store),
    results: new ResultsRepository(store),
  };
}
