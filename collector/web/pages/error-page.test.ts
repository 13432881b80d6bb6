import { describe, expect, it } from 'vitest';
import { refusalText } from './error-page.js';

describe('a refused action on the page', () => {
  it('is framed in the reader\'s language, an English message quoted on a Chinese page', () => {
    expect(refusalText('zh', 'a rejection needs a note saying why')).toBe('操作未完成：“a rejection needs a note saying why”');
    expect(refusalText('zh', '维护窗口已过')).toBe('操作未完成：维护窗口已过');
    expect(refusalText('en', 'a rejection needs a note saying why')).toBe('Not done: a rejection needs a note saying why');
    expect(refusalText('en', undefined)).toBeUndefined();
  });
});
