import { describe, expect, it } from 'vitest';
import { NOTIFY_EVENTS } from '../../schemas/index.js';
import { foldInto, renderMessage, type MessageFacts } from './catalogue.js';
import { backoffMs, ChannelPacer } from './pacing.js';

const facts: MessageFacts = {
  kind: 'ticket.opened',
  site: 'acme',
  customer: '示例银行',
  zone: 'Asia/Shanghai',
  ticketId: 12,
  device: 'core-sw1',
  subject: 'SXKR-004',
  priority: 'P1',
  symptom: 'PSU 2 failed',
  due: Date.parse('2026-11-28T12:00:00Z'),
  link: 'https://xunjian.example/sites/acme/tickets/12',
};

describe('the message catalogue', () => {
  it('says what happened in Chinese and in English, with customer, device, check, priority, deadline and link', () => {
    const zh = renderMessage('zh', facts);
    expect(zh.title).toBe('[P1] 新故障单 #12：core-sw1 设备电源及风扇检查');
    expect(zh.lines).toEqual(['客户: 示例银行', '设备: core-sw1', '检查项: SXKR-004 设备电源及风扇检查', '优先级: P1', '时限: 2026-11-28 20:00 +08:00', '故障现象: PSU 2 failed']);
    const en = renderMessage('en', { ...facts, kind: 'deadline.near', deadline: 'response', fraction: 0.8 });
    expect(en.title).toBe('[P1] Ticket #12: 80% of the response time used');
    expect(en.lines).toContain('Deadline (response): 2026-11-28 20:00 +08:00');
    expect(en.link).toBe(facts.link);
  });

  it('words a symptom the ingest wrote in the reader\'s language: its check, and a source\'s words', () => {
    const symptom = 'SXKR-004 设备电源及风扇检查: core-sw1:22: connection refused';
    expect(renderMessage('zh', { ...facts, symptom }).lines.at(-1)).toBe('故障现象: SXKR-004 设备电源及风扇检查: core-sw1:22：连接被拒绝');
    expect(renderMessage('en', { ...facts, symptom }).lines.at(-1)).toBe('Symptom: SXKR-004 Power supplies and fans: core-sw1:22: connection refused');
  });

  it('has a title for every event in both languages', () => {
    for (const kind of NOTIFY_EVENTS) {
      for (const lang of ['zh', 'en'] as const) expect(renderMessage(lang, { ...facts, kind, month: '2026-11', yearEnd: '2026-12-31', requestId: 3, step: 1 }).title).not.toMatch(/undefined|^\s*$/);
    }
  });

  it('folds a storm into one message that counts every event and lists the first twenty', () => {
    let m: ReturnType<typeof foldInto> | ReturnType<typeof renderMessage> = renderMessage('en', facts);
    for (let n = 2; n <= 40; n++) m = foldInto('en', m, n, { ...facts, ticketId: 100 + n, device: `port${n}` }, 'https://x/sites/acme/tickets');
    expect(m.title).toBe('40 notices: [P1] New ticket #12: core-sw1 Power supplies and fans');
    expect(m.lines).toHaveLength(21);
    expect(m.lines[20]).toBe('… and 20');
    expect(m.link).toBe('https://x/sites/acme/tickets');
  });
});

describe('pacing', () => {
  it('lets a WeCom robot burst 20 messages, then one every 3 s of the clock', () => {
    const pacer = new ChannelPacer();
    const robot = { name: 'ops-group', kind: 'wecom' as const };
    for (let i = 0; i < 20; i++) expect(pacer.take(robot, 0)).toBe(0);
    expect(pacer.take(robot, 0)).toBe(3000);
    expect(pacer.take(robot, 3000)).toBe(0);
  });
  it('backs off 5 s doubling up to 15 min, or longer when the vendor says so', () => {
    expect([1, 2, 3, 4, 9, 20].map((a) => backoffMs(a))).toEqual([5000, 10000, 20000, 40000, 900000, 900000]);
    expect(backoffMs(1, 60_000)).toBe(60_000);
  });
});
