import { describe, expect, it } from 'vitest';
import { html, joinHtml, raw, SafeHtml } from './index.js';

describe('html — escaping by default', () => {
  it('escapes every interpolated string, in content and attributes', () => {
    const actor = '<img src=x onerror="alert(1)">';
    expect(html`<td title="${actor}">${actor}</td>`.toString()).toBe(
      '<td title="&lt;img src=x onerror=&quot;alert(1)&quot;&gt;">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;</td>',
    );
    expect(html`<a href='${"x' onclick='y"}'>`.toString()).toBe("<a href='x&#39; onclick=&#39;y'>");
  });

  it('writes nested html and raw() as they are, and nothing for null, undefined and booleans', () => {
    const cell = html`<b>${'a&b'}</b>`;
    expect(html`<p>${cell}${raw('<hr>')}${null}${undefined}${false}${true}${0}</p>`.toString()).toBe('<p><b>a&amp;b</b><hr>0</p>');
  });

  it('joins arrays, escaping strings inside them', () => {
    expect(html`<ul>${['<x>', html`<li>y</li>`]}</ul>`.toString()).toBe('<ul>&lt;x&gt;<li>y</li></ul>');
    expect(joinHtml(['a', 'b<'], ' · ').toString()).toBe('a · b&lt;');
    expect(joinHtml([html`<i>a</i>`, 'b'], raw('<br>'))).toBeInstanceOf(SafeHtml);
  });
});
