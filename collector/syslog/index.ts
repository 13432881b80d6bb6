/** The syslog receiver: UDP/TCP, RFC 5424 and 3164, error-or-worse entries ingested per device as SXKR-006. */
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import { principalOf } from '../auth.js';
import { forbidden } from '../errors.js';
import { SyslogReceiver } from './receiver.js';

export { SyslogReceiver, type SyslogOptions } from './receiver.js';
export { canBindSyslog, firstBindableSyslogPort, syslogNotice } from './port.js';
export { SiteNetworks, RefusedSenders, SenderRate, type Refusal, type RefusedSender } from './senders.js';
export { parseSyslog, TcpFramer, SEVERITIES, ERROR_OR_WORSE, type SyslogMessage } from './parse.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** undefined when `syslog.port` is 0. */
    syslog: SyslogReceiver | undefined;
  }
}

/**
 * The `syslog` service: starts the receiver with the server (onReady) and stops it, flushing, on
 * close. After the pollers: it maps senders to their SNMP targets.
 */
export const syslogService = fp(
  (async (app) => {
  const { port, host, flushSeconds, maxQueue, sites, ratePerSecond, tls } = { port: 514, host: '0.0.0.0', flushSeconds: 5, maxQueue: 10_000, ...app.config.syslog };
  const receiver =
    port === 0
      ? undefined
      : new SyslogReceiver(app, { port, host, flushMs: flushSeconds * 1000, maxQueue, ...(sites ? { sites } : {}), ...(ratePerSecond ? { ratePerSecond } : {}), ...(tls ? { tls } : {}) });
  app.decorate('syslog', receiver);
  if (receiver) {
    app.addHook('onReady', async () => receiver.start());
    app.addHook('onClose', async () => receiver.stop());
  }
  }) satisfies FastifyPluginAsync,
  { name: 'syslog', dependencies: ['snmp-poller'] },
);

/** `GET /api/v1/syslog/senders`: what the receiver could not attach to a device. */
export const syslogRoutes: FastifyPluginAsync = async (app) => {
  const receiver = app.syslog;
  app.get(
    '/api/v1/syslog/senders',
    {
      config: { auth: { roles: ['admin'] } },
      schema: {
        tags: ['syslog'],
        summary: 'Senders whose syslog was attached to no device (unknown, ambiguous, outside the site networks, over the rate), newest first',
      },
    },
    async (request) => {
      // Senders belong to no site yet: only a global admin may see them.
      if (principalOf(request).site !== null) throw forbidden('only a global admin token (no --site) may list syslog senders');
      return { listening: receiver !== undefined, senders: receiver?.refused.list() ?? [] };
    },
  );
};
