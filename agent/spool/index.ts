export { Spool, SpoolCorruptError, decodeEntry, encodeEntry, fsyncDir, spoolDepth } from './spool.js';
export type { SpoolEntry, SpoolEvent, SpoolMeta, SpoolOptions } from './spool.js';
