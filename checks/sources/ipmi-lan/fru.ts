import type { DeviceIdentity } from '../../../schemas/index.js';
import { clip, lines } from '../parsers/index.js';

/**
 * `ipmitool fru print` → the equipment record's vendor, model and serial: the first FRU device
 * (the builtin one, ID 0) that names them. Product fields win over board and chassis fields, as
 * the product area describes the server as sold; `Device not present` devices say nothing.
 */
export function parseIpmiFru(text: string): Pick<DeviceIdentity, 'vendor' | 'model' | 'serial'> {
  const fields = new Map<string, string>();
  let device = 0;
  for (const line of lines(text)) {
    if (/^FRU Device Description/i.test(line)) {
      device++;
      if (device > 1 && fields.size > 0) break;
      continue;
    }
    const m = /^\s*([A-Za-z][A-Za-z ]+?)\s*:\s*(.*\S)\s*$/.exec(line);
    if (m && !fields.has(m[1]!)) fields.set(m[1]!, m[2]!);
  }
  const pick = (...keys: string[]) => {
    for (const k of keys) {
      const v = fields.get(k);
      if (v && !/^(n\/?a|none|to be filled.*|0+)$/i.test(v)) return clip(v, 200);
    }
    return undefined;
  };
  const out: Pick<DeviceIdentity, 'vendor' | 'model' | 'serial'> = {};
  const vendor = pick('Product Manufacturer', 'Board Mfg');
  const model = pick('Product Name', 'Board Product', 'Product Part Number', 'Chassis Part Number');
  const serial = pick('Product Serial', 'Chassis Serial', 'Board Serial');
  if (vendor) out.vendor = vendor;
  if (model) out.model = model;
  if (serial) out.serial = serial;
  return out;
}
