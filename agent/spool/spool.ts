/**
 * The durable spool: every report is a file of its own, committed (write temp → fsync → rename →
 * fsync dir) before any attempt to send it, and removed only after the collector's 2xx.
 *
 * File format (one entry, `<seq>.rpt`):
 *   XJSPOOL1 <sha256 hex of the rest> <byte length of the rest>\n
 *   <meta JSON on one line>\n
 *   <report JSON, sent to the collector byte for byte>
 * A torn write (power cut, kill -9) shows as a short length or a checksum mismatch; such an entry
 * is moved to `corrupt/` and logged, the others are delivered.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

const MAGIC = 'XJSPOOL1';
const ENTRY = /^(\d{15})\.rpt$/;

/** What the agent keeps beside a report: its id, when it was spooled, the log cursor it advanced to. */
export interface SpoolMeta {
  id: string;
  createdAt: number;
  logCursor?: unknown;
  /** Evictions this report tells the collector about (counted again if it is evicted itself). */
  evictionsTold?: number;
}

export interface SpoolEntry {
  seq: number;
  file: string;
  bytes: number;
  meta: SpoolMeta;
}

export type SpoolEvent =
  | { kind: 'corrupt'; file: string; reason: string }
  | { kind: 'evicted'; entry: SpoolEntry; reason: 'size' | 'age' }
  | { kind: 'rejected'; entry: SpoolEntry; reason: string };

export interface SpoolOptions {
  dir: string;
  maxBytes: number;
  maxAgeMs: number;
  /** Sequence numbers already used elsewhere (the log cursor record), so seq never goes back. */
  minSeq?: number;
  onEvent?: (e: SpoolEvent) => void;
  now?: () => number;
}

export class SpoolCorruptError extends Error {}

/** fsync a directory so a rename or unlink in it survives a power cut (a no-op where unsupported). */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw e;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The bytes of one spool file. */
export function encodeEntry(meta: SpoolMeta, body: string): Buffer {
  const rest = Buffer.from(`${JSON.stringify(meta)}\n${body}`, 'utf8');
  const sum = createHash('sha256').update(rest).digest('hex');
  return Buffer.concat([Buffer.from(`${MAGIC} ${sum} ${rest.length}\n`, 'ascii'), rest]);
}

/** Parses and verifies one spool file; throws SpoolCorruptError saying what is wrong. */
export function decodeEntry(bytes: Buffer): { meta: SpoolMeta; body: Buffer } {
  const nl = bytes.indexOf(0x0a);
  if (nl < 0 || nl > 200) throw new SpoolCorruptError('no header line (truncated or not a spool file)');
  const header = bytes.subarray(0, nl).toString('ascii').split(' ');
  if (header.length !== 3 || header[0] !== MAGIC) throw new SpoolCorruptError('bad header');
  const rest = bytes.subarray(nl + 1);
  const length = Number(header[2]);
  if (rest.length !== length) throw new SpoolCorruptError(`length ${rest.length} bytes, header says ${length} (torn write)`);
  const sum = createHash('sha256').update(rest).digest('hex');
  if (sum !== header[1]) throw new SpoolCorruptError('checksum mismatch');
  const metaEnd = rest.indexOf(0x0a);
  if (metaEnd < 0) throw new SpoolCorruptError('no meta line');
  let meta: SpoolMeta;
  try {
    meta = JSON.parse(rest.subarray(0, metaEnd).toString('utf8')) as SpoolMeta;
  } catch {
    throw new SpoolCorruptError('meta line is not JSON');
  }
  if (typeof meta.id !== 'string' || typeof meta.createdAt !== 'number') throw new SpoolCorruptError('meta line lacks id/createdAt');
  const body = rest.subarray(metaEnd + 1);
  try {
    JSON.parse(body.toString('utf8'));
  } catch {
    throw new SpoolCorruptError('report is not JSON');
  }
  return { meta, body };
}

export class Spool {
  readonly dir: string;
  readonly corruptDir: string;
  readonly rejectedDir: string;
  private readonly entries: SpoolEntry[] = [];
  private totalBytes = 0;
  /** Entries the sender has out to the collector right now (see hold). */
  private readonly sending = new Set<SpoolEntry>();
  private lastSeq: number;
  /**
   * The entry this process wrote last, with its report bytes: the sender usually takes it within a
   * second of the write, and reading it back (read, checksum, JSON parse) was a share of the agent's
   * CPU per cycle. Entries found on disk at start, or older ones, are read and verified as before.
   */
  private fresh: { entry: SpoolEntry; body: Buffer } | undefined;
  private readonly o: SpoolOptions;
  private readonly now: () => number;

  /** Opens (creating) the spool and recovers it: torn temp files and corrupt entries go aside. */
  constructor(o: SpoolOptions) {
    this.o = o;
    this.dir = o.dir;
    this.corruptDir = join(o.dir, 'corrupt');
    this.rejectedDir = join(o.dir, 'rejected');
    this.now = o.now ?? Date.now;
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.lastSeq = o.minSeq ?? 0;
    this.recover();
    this.enforceLimits();
  }

  private recover(): void {
    for (const name of readdirSync(this.dir).sort()) {
      const path = join(this.dir, name);
      if (name.endsWith('.tmp')) {
        // Never committed (the rename did not happen): the producer did not consider it spooled.
        this.setAsideFile(name, 'uncommitted temporary file (interrupted write)');
        continue;
      }
      const match = ENTRY.exec(name);
      if (!match) continue;
      const seq = Number(match[1]);
      this.lastSeq = Math.max(this.lastSeq, seq);
      let decoded;
      try {
        decoded = decodeEntry(readFileSync(path));
      } catch (e) {
        this.setAsideFile(name, e instanceof SpoolCorruptError ? e.message : `unreadable: ${(e as Error).message}`);
        continue;
      }
      const bytes = statSync(path).size;
      this.entries.push({ seq, file: path, bytes, meta: decoded.meta });
      this.totalBytes += bytes;
    }
  }

  private setAsideFile(name: string, reason: string): void {
    mkdirSync(this.corruptDir, { recursive: true, mode: 0o700 });
    renameSync(join(this.dir, name), join(this.corruptDir, name));
    fsyncDir(this.dir);
    this.o.onEvent?.({ kind: 'corrupt', file: join(this.corruptDir, name), reason });
  }

  /** Commits a report durably. Returns once it would survive a power cut. */
  write(body: string, meta: Omit<SpoolMeta, 'createdAt'> & { createdAt?: number }): SpoolEntry {
    const seq = Math.max(this.lastSeq + 1, this.now());
    this.lastSeq = seq;
    const full: SpoolMeta = { ...meta, createdAt: meta.createdAt ?? this.now() };
    const bytes = encodeEntry(full, body);
    const name = `${String(seq).padStart(15, '0')}.rpt`;
    const tmp = join(this.dir, `${name}.tmp`);
    const fd = openSync(tmp, 'w', 0o600);
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // Make room before the new file appears, so the spool on disk never exceeds its bound,
    // not even for the moment between the rename and the eviction.
    this.makeRoomFor(bytes.length);
    const file = join(this.dir, name);
    renameSync(tmp, file);
    fsyncDir(this.dir);
    const entry: SpoolEntry = { seq, file, bytes: bytes.length, meta: full };
    // The report's bytes follow the header line and the meta line (JSON: no raw newline in it).
    this.fresh = { entry, body: bytes.subarray(bytes.indexOf(0x0a, bytes.indexOf(0x0a) + 1) + 1) };
    this.entries.push(entry);
    this.totalBytes += entry.bytes;
    this.enforceLimits();
    return entry;
  }

  private makeRoomFor(incoming: number): void {
    this.evictOldest(() => (this.totalBytes + incoming > this.o.maxBytes ? 'size' : undefined));
  }

  /** Evicts oldest first while over the size bound, and every entry older than the age bound. */
  enforceLimits(): SpoolEntry[] {
    const oldestAllowed = this.now() - this.o.maxAgeMs;
    return this.evictOldest((e) => (this.totalBytes > this.o.maxBytes ? 'size' : e.meta.createdAt < oldestAllowed ? 'age' : undefined));
  }

  /**
   * Evicts entries oldest first while `reasonFor` gives a reason, passing over the entries being
   * sent: the collector may be storing one right now, and a report it stores was not lost. Only
   * when those are all that is left can the spool hold more than its bound, by the reports in flight.
   */
  private evictOldest(reasonFor: (oldest: SpoolEntry) => 'size' | 'age' | undefined): SpoolEntry[] {
    const evicted: SpoolEntry[] = [];
    for (const entry of [...this.entries]) {
      if (this.sending.has(entry)) continue;
      const reason = reasonFor(entry);
      if (!reason) break;
      this.drop(entry);
      evicted.push(entry);
      this.o.onEvent?.({ kind: 'evicted', entry, reason });
    }
    return evicted;
  }

  /** The sender holds an entry while the collector has it, so no eviction takes it meanwhile. */
  hold(entry: SpoolEntry): void {
    if (this.entries.includes(entry)) this.sending.add(entry);
  }

  /** The attempt is over (delivered, refused or failed): the entry may be evicted again. */
  release(entry: SpoolEntry): void {
    this.sending.delete(entry);
  }

  private drop(entry: SpoolEntry, durably = true): void {
    const i = this.entries.indexOf(entry);
    if (i < 0) return;
    this.entries.splice(i, 1);
    this.sending.delete(entry);
    this.totalBytes -= entry.bytes;
    if (this.fresh?.entry === entry) this.fresh = undefined;
    try {
      unlinkSync(entry.file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    if (durably) fsyncDir(this.dir);
  }

  /** Oldest entry still queued. */
  oldest(): SpoolEntry | undefined {
    return this.entries[0];
  }

  /** Every queued entry, oldest first. */
  list(): readonly SpoolEntry[] {
    return this.entries;
  }

  has(entry: SpoolEntry): boolean {
    return this.entries.includes(entry);
  }

  /** The report bytes of an entry: the one just written from memory, any other read from disk and verified again. */
  readBody(entry: SpoolEntry): Buffer {
    if (this.fresh?.entry === entry) return this.fresh.body;
    return decodeEntry(readFileSync(entry.file)).body;
  }

  /**
   * Delivered (2xx): the entry leaves the spool. Without an fsync of the directory: should a
   * power cut undo the unlink, the report is sent again and the collector answers "duplicate"
   * (the id makes a resend idempotent) — nothing is counted or lost. An eviction or a rejection,
   * which the ledger counts, stays durable.
   */
  remove(entry: SpoolEntry): void {
    this.drop(entry, false);
  }

  /** The collector refused it for good (400/413/415): keep it in rejected/ for a person, stop sending. */
  reject(entry: SpoolEntry, reason: string): void {
    const i = this.entries.indexOf(entry);
    if (i < 0) return;
    this.entries.splice(i, 1);
    this.totalBytes -= entry.bytes;
    if (this.fresh?.entry === entry) this.fresh = undefined;
    mkdirSync(this.rejectedDir, { recursive: true, mode: 0o700 });
    const name = entry.file.slice(this.dir.length + 1);
    if (existsSync(entry.file)) renameSync(entry.file, join(this.rejectedDir, name));
    fsyncDir(this.dir);
    this.o.onEvent?.({ kind: 'rejected', entry, reason });
  }

  /** A corrupt entry found at send time goes aside like one found at start. */
  setAside(entry: SpoolEntry, reason: string): void {
    const i = this.entries.indexOf(entry);
    if (i < 0) return;
    this.entries.splice(i, 1);
    this.totalBytes -= entry.bytes;
    if (this.fresh?.entry === entry) this.fresh = undefined;
    if (existsSync(entry.file)) this.setAsideFile(entry.file.slice(this.dir.length + 1), reason);
  }

  get depth(): number {
    return this.entries.length;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  get highestSeq(): number {
    return this.lastSeq;
  }
}

/** Counts what is in a spool directory without opening it (for `agent status`, read-only). */
export function spoolDepth(dir: string): { depth: number; bytes: number; corrupt: number; rejected: number } {
  const count = (d: string) => (existsSync(d) ? readdirSync(d).length : 0);
  let depth = 0;
  let bytes = 0;
  if (existsSync(dir)) {
    for (const name of readdirSync(dir)) {
      if (!ENTRY.test(name)) continue;
      depth += 1;
      try {
        bytes += statSync(join(dir, name)).size;
      } catch {
        /* delivered meanwhile */
      }
    }
  }
  return { depth, bytes, corrupt: count(join(dir, 'corrupt')), rejected: count(join(dir, 'rejected')) };
}
