/** Several collectors on one PostgreSQL database: membership, target sharing, jobs run once. */
export { Cluster, CLUSTER_DEFAULTS, type ClusterOptions } from './cluster.js';
export { tryAcquire, release, type Lease } from './leases.js';
export { ownerOf } from './share.js';
export { migration096 } from './migration.js';
export { clusterService, CLUSTER_JOBS } from './service.js';
