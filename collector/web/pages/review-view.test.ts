import { describe, expect, it } from 'vitest';
import { CHECK_IDS, type Inspection } from '../../../schemas/index.js';
import type { Viewer } from '../../users/index.js';
import { reviewFilterOf, reviewView } from './review-view.js';

const viewer: Viewer = { name: 'wang', role: 'engineer', sites: null, via: 'session', csrf: 'x', userId: 1, tokenId: null };

function inspection(devices: number): Inspection {
  const rows = [];
  for (let d = 0; d < devices; d++) {
    for (const check of CHECK_IDS) {
      rows.push({ device: `srv${String(d).padStart(3, '0')}`, deviceKind: null, check, verdict: 'normal' as const, actual: '12 %', expected: '', commands: [], reason: null, evaluatedAt: null, reportId: null, origin: 'report' as const });
    }
  }
  return { site: 's', month: '2026-11', revision: 1, status: 'draft', rows, notes: '', amendmentReason: null, signedBy: null, signedAt: null, confirmedBy: null, confirmedAt: null, signRemark: null, confirmRemark: null, locked: false, revisions: [] };
}

const render = (devices: number) =>
  reviewView('zh', { site: 's', title: null, insp: inspection(devices), month: '2026-11', months: [], viewer, zone: 'Asia/Shanghai', devices: new Map(), tickets: new Map(), filter: reviewFilterOf({}) }).toString();

describe('the review matrix', () => {
  it('is one table whose rows come in groups of 25, every device once and in order', () => {
    const page = render(60);
    expect(page.match(/role="table"/g)).toHaveLength(1);
    const groups = [...page.matchAll(/<div role="rowgroup" class="(head|rows)">/g)].map((m) => m[1]);
    expect(groups).toEqual(['head', 'rows', 'rows', 'rows']);
    const perGroup = page.split('<div role="rowgroup" class="rows">').slice(1).map((g) => (g.match(/role="rowheader"/g) ?? []).length);
    expect(perGroup).toEqual([25, 25, 10]);
    const order = [...page.matchAll(/role="rowheader"><a [^>]*>(srv\d+)</g)].map((m) => m[1]);
    expect(order).toEqual(Array.from({ length: 60 }, (_, d) => `srv${String(d).padStart(3, '0')}`));
    // each row: its header, the model and one cell per check, under a head of as many columns
    expect(page.match(/role="cell" class="cell /g)).toHaveLength(60 * CHECK_IDS.length);
    expect(page.match(/role="columnheader"/g)).toHaveLength(2 + CHECK_IDS.length);
  });

  it('a small site is a single group', () => {
    const page = render(3);
    expect(page.match(/role="rowgroup" class="rows"/g)).toHaveLength(1);
  });
});
