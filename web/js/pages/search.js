// search.js — all results for a text (Enter in the header search without
// picking a suggestion), occupations and skills, a page at a time.

import { h, append, replace } from '../dom.js';
import { t, tp } from '../i18n.js';
import { get } from '../api.js';
import { pageTitle, int, errorBox, loading, occLink, skillLink, riskBadge } from '../ui.js';

/** The addresses of this page (main.js): #/path, with its menu entry. */
export const routes = [{ path: 'search' }];

export async function render(main, ctx) {
  const q = (ctx.query.get('q') || '').trim();
  const kind = ['occupation', 'skill'].includes(ctx.query.get('kind')) ? ctx.query.get('kind') : 'any';
  const offset = Math.max(0, parseInt(ctx.query.get('offset'), 10) || 0);
  ctx.setTitle(t('search.title'));
  append(main, pageTitle(q ? t('search.title_q', { q }) : t('search.title')));
  if (!q) { append(main, h('p', {}, t('search.empty'))); return; }
  const nav = h('nav', { class: 'tabs', 'aria-label': t('search.kinds') }, h('ul', {},
    ['any', 'occupation', 'skill'].map((k) => h('li', {}, h('a', {
      href: `#/search?${new URLSearchParams({ q, kind: k })}`, 'aria-current': k === kind ? 'page' : null,
    }, t(`search.kind_${k}`))))));
  const box = h('div', {}, loading());
  append(main, nav, box);
  try {
    const res = await get('/search', { q, kind, limit: 25, offset });
    if (!ctx.isCurrent()) return;
    const results = res.results || [];
    replace(box,
      h('p', { class: 'summary' }, tp('search.summary', res.total, { from: int(results.length ? offset + 1 : 0), to: int(offset + results.length) })),
      // typos are tried only when nothing matches as written: then every hit is one
      results.length && results[0].match === 'typo' ? h('p', { class: 'hint' }, t('search.typo_note', { q })) : null,
      results.length ? h('ol', { class: 'result-list', start: String(offset + 1) }, results.map((r) => h('li', {},
        r.kind === 'occupation' ? occLink(r) : skillLink(r),
        ' ', h('span', { class: 'tag' }, t(`kind.${r.kind}`)),
        r.code ? h('span', { class: 'muted small' }, ` ISCO ${r.code}`) : null,
        r.matched_label && r.matched_label !== r.label ? h('span', { class: 'muted small block', lang: r.lang }, t('search.matched_label', { label: r.matched_label })) : null,
        r.kind === 'occupation' ? h('span', { class: 'block' }, riskBadge(r.risk_category_mcc)) : null))) : h('p', { class: 'empty' }, t('search.none', { q })),
      h('div', { class: 'pager' },
        offset > 0 ? h('a', { class: 'button secondary', href: `#/search?${new URLSearchParams({ q, kind, offset: Math.max(0, offset - 25) })}` }, t('search.prev')) : null,
        res.next_offset !== null && res.next_offset !== undefined
          ? h('a', { class: 'button secondary', href: `#/search?${new URLSearchParams({ q, kind, offset: res.next_offset })}` }, t('search.next')) : null));
  } catch (err) {
    replace(box, errorBox(err));
  }
}
