import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { BmcPoller } from './bmc-poller.js';
import { BmcTargetsRepository } from './bmc-repository.js';
import { CredentialBox, parseCredentialKey } from './crypto.js';
import { Poller } from './poller.js';
import { SnmpTargetsRepository } from './repository.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The key sealing SNMP communities, BMC passwords and channel secrets at rest, resolved once. */
    credentialBox: CredentialBox;
    snmpTargets: SnmpTargetsRepository;
    /** undefined when `snmp.pollerEnabled` is false. */
    poller: Poller | undefined;
    bmcTargets: BmcTargetsRepository;
    /** undefined when `snmp.pollerEnabled` is false. */
    bmcPoller: BmcPoller | undefined;
  }
}

const settingsOf = (snmp: { pollerEnabled?: boolean; concurrency?: number } | undefined) => ({ pollerEnabled: true, concurrency: 16, ...snmp });

/** The credential key: `snmp.credentialKey` (the config loader puts XUNJIAN_SNMP_KEY there) — read here and nowhere else in the server. */
export const credentialsService = fp(
  async (app) => {
    app.decorate('credentialBox', new CredentialBox(parseCredentialKey(app.config.snmp?.credentialKey)));
  },
  { name: 'credentials' },
);

/** SNMP targets and their poller (started when the app is ready, stopped on close); its share of targets is the cluster's. */
export const snmpPollerService = fp(
  (async (app) => {
    const settings = settingsOf(app.config.snmp);
    const targets = new SnmpTargetsRepository(app.store, app.credentialBox);
    const poller = settings.pollerEnabled ? new Poller(app, targets, { concurrency: settings.concurrency }) : undefined;
    app.decorate('snmpTargets', targets);
    app.decorate('poller', poller);
    if (poller) {
      app.addHook('onReady', async () => poller.start());
      app.addHook('onClose', async () => poller.stop());
    }
    app.metrics.gauge('xunjian_snmp_targets', 'SNMP targets registered', async () => (await app.store.get<{ n: number }>('SELECT count(*) AS n FROM snmp_targets'))!.n, 'tenant');
  }) satisfies FastifyPluginAsync,
  { name: 'snmp-poller', dependencies: ['credentials', 'cluster'] },
);

/** BMC/HMC targets and their own poller, so a slow BMC never holds a switch's turn. */
export const bmcPollerService = fp(
  (async (app) => {
    const settings = settingsOf(app.config.snmp);
    const targets = new BmcTargetsRepository(app.store, app.credentialBox);
    const poller = settings.pollerEnabled ? new BmcPoller(app, targets, { concurrency: settings.concurrency }) : undefined;
    app.decorate('bmcTargets', targets);
    app.decorate('bmcPoller', poller);
    if (poller) {
      app.addHook('onReady', async () => poller.queue.start());
      app.addHook('onClose', async () => poller.queue.stop());
    }
  }) satisfies FastifyPluginAsync,
  { name: 'bmc-poller', dependencies: ['credentials', 'cluster'] },
);
