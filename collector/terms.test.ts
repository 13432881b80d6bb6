import { describe, expect, it } from 'vitest';
import { auditActionText, KIND_TERMS, kindTerm, term, TICKET_STATUS_TERMS } from './terms.js';
import { eventNote } from './web/pages/ticket-notes.js';

describe('the record’s terms', () => {
  it('words a code from its table, and shows a code the table does not hold as it is', () => {
    expect(term('zh', TICKET_STATUS_TERMS, 'on_site')).toBe('已到场');
    expect(term('en', TICKET_STATUS_TERMS, 'on_site')).toBe('on site');
    expect(term('zh', KIND_TERMS, 'toString')).toBe('toString');
    expect(kindTerm('zh', 'other')).toBe('其他');
    expect(kindTerm('zh', 'hologram')).toBe('hologram');
  });

  it('words audited actions from what they are done to and what was done', () => {
    expect(auditActionText('zh', 'inspection.sign')).toEqual({ text: '巡检记录 · 签字', known: true });
    expect(auditActionText('en', 'ticket.on-site')).toEqual({ text: 'ticket · on site', known: true });
    expect(auditActionText('zh', 'notify.rule.add')).toEqual({ text: '通知 · 添加', known: true });
    expect(auditActionText('zh', 'login')).toEqual({ text: '登录', known: true });
    expect(auditActionText('zh', 'ticket.teleport')).toEqual({ text: 'ticket.teleport', known: false });
  });

  it('words the collector’s own notes on a ticket, times in the site’s zone; a person’s note as written', () => {
    expect(eventNote('zh', { event: 'recovered', by: 'system', note: 'normal again (report rpt-1)' }, 'Asia/Shanghai')).toBe('恢复正常（报告 rpt-1）');
    expect(eventNote('zh', { event: 'recovered', by: 'system', note: 'heard from again at 2026-11-30T17:00:00.000Z' }, 'Asia/Shanghai')).toBe('2026-12-01 01:00 +08:00 恢复联系');
    expect(eventNote('zh', { event: 'responded', by: 'Wang Gong', note: 'normal again (report rpt-1)' }, 'Asia/Shanghai')).toBe('normal again (report rpt-1)');
  });
});
