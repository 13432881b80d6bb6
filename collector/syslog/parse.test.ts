import { describe, expect, it } from 'vitest';
import { parseSyslog, TcpFramer } from './parse.js';

const received = new Date(2026, 10, 28, 12, 0, 0);

describe('parseSyslog', () => {
  it.each([
    // RFC 5424 §6.5 examples
    ['<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - BOM\'su root\' failed for lonvick on /dev/pts/8', { severity: 'critical', facility: 4, hostname: 'mymachine.example.com', app: 'su', format: '5424' }, "BOM'su root' failed for lonvick on /dev/pts/8"],
    ['<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] An application event log entry...', { severity: 'notice', facility: 20, app: 'evntslog' }, 'An application event log entry...'],
    ['<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [a@1 x="q\\]z"][b@2 y="1"]', { severity: 'notice' }, ''],
    // RFC 3164 §5.4 example
    ["<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8", { severity: 'critical', hostname: 'mymachine', app: 'su', format: '3164' }, "su: 'su root' failed for lonvick on /dev/pts/8"],
    // Cisco IOS without a BSD header: the whole rest is the message, the time is the receipt's
    ['<187>42: *Mar  1 00:01:02.123: %LINK-3-UPDOWN: Interface Gi1/0/3, changed state to down', { severity: 'error', facility: 23, format: '3164' }, '42: *Mar  1 00:01:02.123: %LINK-3-UPDOWN: Interface Gi1/0/3, changed state to down'],
  ])('%s', (text, fields, message) => {
    const m = parseSyslog(text, received);
    expect(m).toMatchObject({ ...fields, message });
  });

  it('reads the 5424 time and gives a BSD time the receipt year (the year before when ahead)', () => {
    expect(parseSyslog('<11>1 2026-11-28T10:20:00.000Z h a - - - x', received)!.at.toISOString()).toBe('2026-11-28T10:20:00.000Z');
    expect(parseSyslog('<11>Nov 28 10:15:02 h x: y', received)!.at.getFullYear()).toBe(2026);
    expect(parseSyslog('<11>Dec 31 23:59:59 h x: y', received)!.at.getFullYear()).toBe(2025);
    expect(parseSyslog('<11>1 - h a - - - x', received)!.at).toEqual(received);
  });

  it('refuses text without a valid PRI', () => {
    expect(parseSyslog('hello', received)).toBeUndefined();
    expect(parseSyslog('<192>x', received)).toBeUndefined();
  });
});

describe('TcpFramer', () => {
  it('splits octet-counted and newline frames across chunk boundaries', () => {
    const f = new TcpFramer();
    const a = '<11>1 - h a - - - first';
    const wire = Buffer.from(`${a.length} ${a}<12>second\n<13>third\r\n<14>fou`);
    const out: string[] = [];
    for (let i = 0; i < wire.length; i += 7) out.push(...f.push(wire.subarray(i, i + 7)));
    out.push(...f.end());
    expect(out).toEqual([a, '<12>second', '<13>third', '<14>fou']);
  });

  it('cuts an overlong unterminated line instead of growing without bound', () => {
    const f = new TcpFramer(100);
    expect(f.push(Buffer.from(`<11>${'x'.repeat(200)}`))).toEqual([`<11>${'x'.repeat(96)}`]);
  });
});
