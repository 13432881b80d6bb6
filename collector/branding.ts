import { AsyncLocalStorage } from 'node:async_hooks';
import { readFileSync, statSync } from 'node:fs';
import { XunjianError, type CollectorConfig } from '../schemas/index.js';

/** The largest logo accepted: a header image, not a photograph. */
export const LOGO_MAX_BYTES = 256 * 1024;

export type LogoType = 'image/png' | 'image/jpeg' | 'image/svg+xml';

/** The service company's name and logo, read once when the collector starts. */
export interface Branding {
  company: string | null;
  logo: { bytes: Buffer; type: LogoType } | null;
}

/** No configuration: the product's own name only. */
export const NO_BRANDING: Branding = { company: null, logo: null };

/** The image's type from its first bytes (never from the file name alone). */
function sniff(bytes: Buffer): LogoType | null {
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'image/jpeg';
  // An SVG: optional BOM, XML declaration, comments and doctype, then the <svg> element.
  const head = bytes.subarray(0, 4096).toString('utf8').replace(/^\uFEFF/, '');
  if (/^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]/i.test(head)) return 'image/svg+xml';
  return null;
}

const EXTENSIONS: Record<LogoType, RegExp> = { 'image/png': /\.png$/i, 'image/jpeg': /\.jpe?g$/i, 'image/svg+xml': /\.svg$/i };

/** Reads and checks the logo file: it exists, is small, and is the PNG, JPEG or SVG its name says. */
function readLogo(path: string): NonNullable<Branding['logo']> {
  const fail = (why: string, cause?: unknown): never => {
    throw new XunjianError('CONFIG', `branding.logo ${path}: ${why}`, cause === undefined ? undefined : { cause });
  };
  let size = 0;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) fail('is not a file');
    size = stat.size;
  } catch (cause) {
    if (cause instanceof XunjianError) throw cause;
    fail(`cannot be read (${(cause as NodeJS.ErrnoException).code ?? (cause as Error).message})`, cause);
  }
  if (size > LOGO_MAX_BYTES) fail(`is ${Math.ceil(size / 1024)} KB; a logo may be at most ${LOGO_MAX_BYTES / 1024} KB`);
  if (size === 0) fail('is empty');
  const bytes = readFileSync(path);
  const type = sniff(bytes);
  if (!type) fail('is not a PNG, JPEG or SVG image');
  if (!EXTENSIONS[type!].test(path)) fail(`holds ${type} but its name does not end in ${type === 'image/svg+xml' ? '.svg' : type === 'image/png' ? '.png' : '.jpg or .jpeg'}`);
  return { bytes, type: type! };
}

/** The configured branding, checked; a bad logo is a configuration error naming the file and why. */
export function readBranding(config: Pick<CollectorConfig, 'branding'>): Branding {
  const b = config.branding;
  if (!b) return NO_BRANDING;
  return { company: b.company?.trim() || null, logo: b.logo ? readLogo(b.logo) : null };
}

/**
 * The branding of the collector answering the current request. The page frame is a pure function
 * called from every page; rather than thread the branding through each of them, the dashboard
 * runs each request inside its collector's branding (two collectors in one process keep theirs).
 */
const current = new AsyncLocalStorage<Branding>();
export const brandingNow = (): Branding => current.getStore() ?? NO_BRANDING;
export const withBranding = <T>(branding: Branding, fn: () => T): T => current.run(branding, fn);
