/** Every built-in Redfish profile loads and is detected from what its vendor's BMC says. */
import { describe, expect, it } from 'vitest';
import { RedfishProfileError } from './errors.js';
import { builtinRedfishProfiles, detectRedfishProfile, parseRedfishProfile } from './profiles.js';

describe('Redfish profiles', () => {
  it('loads every profile, unique names, generic last', () => {
    const names = builtinRedfishProfiles().map((p) => p.name);
    expect(names).toEqual(['dell-idrac', 'hpe-ilo', 'lenovo-xcc', 'generic']);
  });

  it.each([
    [{ rootOem: ['Hpe'] }, 'hpe-ilo'],
    [{ rootOem: ['Hp'] }, 'hpe-ilo'],
    [{ rootOem: [], vendor: 'Dell' }, 'dell-idrac'],
    [{ rootOem: [], manufacturer: 'Lenovo' }, 'lenovo-xcc'],
    [{ rootOem: [], manufacturer: 'IBM' }, 'lenovo-xcc'],
    [{ rootOem: [], manufacturer: 'Contoso' }, 'generic'],
  ])('%j → %s', (hints, name) => expect(detectRedfishProfile(hints).name).toBe(name));

  it('refuses a profile that does not fit the schema or whose pattern does not compile', () => {
    expect(() => parseRedfishProfile('name: x\ndetect: {}\nprefer: newest\n', 'x.yaml')).toThrow(RedfishProfileError);
    expect(() => parseRedfishProfile('name: x\ndetect: {}\nlogs: { include: "(" }\n', 'x.yaml')).toThrow(/logs.include is not a valid regular expression/);
    expect(parseRedfishProfile('name: x\ndetect: {}\n', 'x.yaml')).toMatchObject({ prefer: 'legacy', expand: true, logs: { include: '.*', repairedFlags: [], maxEntries: 1000 } });
  });
});
