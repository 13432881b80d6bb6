import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../schemas/index.js';
import { badRequest, conflict, forbidden, notFound } from '../../errors.js';
import { REFUSAL_KEYS, refusalOf, refusalQuery } from '../../refusals.js';
import { refusalText } from './error-page.js';

/** The page's query as fastify parses the redirect's. */
const queryOf = (q: string) => Object.fromEntries(new URLSearchParams(q));
const shown = (lang: 'zh' | 'en', err: Error) => refusalText(lang, queryOf(refusalQuery(refusalOf(err))));

describe('a refused action on the page', () => {
  it('is worded from the catalogue in the reader\'s language, the API keeping its English message', () => {
    const err = badRequest('note_required', 'a rejection needs a note saying why', { key: 'rejectionNote', args: {} });
    expect(refusalQuery(refusalOf(err))).toBe('error=rejectionNote');
    expect(shown('zh', err)).toBe('操作未完成：拒绝维护申请需要填写原因。');
    expect(shown('en', err)).toBe('Not done: a rejection needs a note saying why.');
    expect(err.message).toBe('a rejection needs a note saying why');
  });

  it('carries its arguments as codes and words them', () => {
    const err = conflict('cannot resolve a ticket that is open: the next step is respond', { key: 'ticketStep', args: { step: 'resolve', status: 'open' } });
    expect(refusalQuery(refusalOf(err))).toBe('error=ticketStep&error.step=resolve&error.status=open');
    expect(shown('zh', err)).toBe('操作未完成：故障单当前为“待响应”，不能执行“解决”。');
    expect(shown('en', err)).toBe('Not done: a ticket that is open cannot resolve.');
    const roles = forbidden('x', { key: 'roleNeeded', args: { roles: ['engineer', 'admin'] } });
    expect(shown('zh', roles)).toBe('操作未完成：此操作需要服务工程师或管理员角色。');
  });

  it('without words of its own reads by its kind; a form\'s invalid fields are named in words', () => {
    expect(shown('zh', notFound('no ticket 9'))).toBe('操作未完成：要操作的对象不存在。');
    expect(shown('en', conflict('ticket 9 is closed'))).toBe('Not done: this cannot be done in the current state.');
    const invalid = new ValidationError('maintenance request', [{ path: '/purpose', message: 'required' }, { path: '/steps/0', message: 'empty' }, { path: '/settings/from', message: 'required' }]);
    expect(shown('zh', invalid)).toBe('操作未完成：以下内容填写有误：目的、步骤、settings.from。');
  });

  it('an argument that would not read back (free text) falls back to the refusal\'s kind', () => {
    const err = conflict('x', { key: 'ticketSamePriority', args: { priority: 'P9' as 'P1' } });
    expect(refusalQuery(refusalOf(err))).toBe('error=refused409');
  });

  it('a crafted link shows no text of its own: an unknown key or a bad argument is the bare "Not done"', () => {
    for (const q of [
      'error=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
      'error=Your+account+is+locked%2C+call+123',
      'error=ticketStep&error.step=resolve&error.status=Your+account+is+locked',
      'error=ticketStep&error.step=resolve',
      'error=invalidFields&error.fields=%E8%B4%A6%E5%8F%B7%E5%B7%B2%E9%94%81%E5%AE%9A',
      'error=toString',
      'error=__proto__',
    ]) {
      expect(refusalText('zh', queryOf(q)), q).toBe('操作未完成');
      expect(refusalText('en', queryOf(q)), q).toBe('Not done');
    }
    expect(refusalText('zh', { error: ['rejectionNote', 'x'] })).toBe('操作未完成');
    expect(refusalText('zh', {})).toBeUndefined();
  });

  it('every key of the catalogue words itself in both languages', () => {
    expect(REFUSAL_KEYS.length).toBeGreaterThan(40);
    // Keys without arguments read as they are; the rest are read by the tests above and the pages.
    for (const key of REFUSAL_KEYS) {
      const zh = refusalText('zh', { error: key });
      const en = refusalText('en', { error: key });
      if (zh === '操作未完成') continue; // needs arguments
      expect(zh, key).toMatch(/^操作未完成：[^a-z]*[\u4e00-\u9fff]/);
      expect(en, key).toMatch(/^Not done: [a-z"]/);
    }
  });
});
