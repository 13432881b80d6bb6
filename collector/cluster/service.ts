import fp from 'fastify-plugin';
import { Cluster, CLUSTER_DEFAULTS } from './cluster.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** This collector among the others on one database: target shares, jobs run once. */
    cluster: Cluster;
  }
}

/** The jobs that run in one collector of several (their leases are let go when this one stops). */
export const CLUSTER_JOBS = ['retention', 'silence-scan', 'notify-scan'] as const;

/** The `cluster` service: membership from the app's start to its close. */
export const clusterService = fp(
  async (app) => {
    const cluster = new Cluster(app.store, { ...CLUSTER_DEFAULTS, ...app.config.cluster });
    app.decorate('cluster', cluster);
    app.addHook('onReady', () => cluster.start());
    app.addHook('onClose', () => cluster.stop(CLUSTER_JOBS));
  },
  { name: 'cluster' },
);
