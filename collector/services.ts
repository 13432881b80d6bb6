import type { FastifyPluginAsync } from 'fastify';
import { clusterService } from './cluster/service.js';
import { notifyChannelsService } from './notify/channels/service.js';
import { notifyService } from './notify/plugin.js';
import { bmcPollerService, credentialsService, snmpPollerService } from './poller/services.js';
import { syslogService } from './syslog/index.js';
import { silenceScanService } from './tickets/silence-scan.js';

/* ================================================================================================
 * THE SERVICE LIST — what the collector runs besides answering requests, registered before the
 * routes. Each is a named plugin (fastify-plugin) that declares the services it needs: fastify
 * refuses to start when one is missing or comes later. A service decorates the app with what the
 * routes use (app.snmpTargets, app.poller…); routes start no job of their own.
 * ============================================================================================== */
export const SERVICES: FastifyPluginAsync[] = [
  clusterService,
  credentialsService,
  snmpPollerService,
  bmcPollerService,
  silenceScanService,
  syslogService,
  notifyChannelsService,
  notifyService,
];
