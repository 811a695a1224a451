// sources.js — every imported data set with its version, licence, origin
// and size (/api/v1/sources), the ESCO attribution, and how fow computes
// what it shows (docs/transitions.md in short).

import { h, append, replace } from '../dom.js';
import { t } from '../i18n.js';
import { get } from '../api.js';
import { pageTitle, int, text, dateTime, errorBox, loading, table, exportButtons } from '../ui.js';

/** The addresses of this page (main.js): #/path, with its menu entry. */
export const routes = [{ path: 'sources', nav: 'sources' }];

export async function render(main, ctx) {
  ctx.setTitle(t('src.title'));
  const box = h('section', { class: 'section', 'aria-labelledby': 'ds-h' }, h('h2', { id: 'ds-h' }, t('src.datasets')), loading());
  append(main,
    pageTitle(t('src.title'), t('src.lead')),
    box,
    h('section', { class: 'section', 'aria-labelledby': 'attr-h' },
      h('h2', { id: 'attr-h' }, t('src.attribution_title')),
      h('p', { class: 'attribution big', lang: 'en' }, 'This service uses the ESCO classification of the European Commission.'),
      h('p', {}, t('src.esco_text'))),
    h('section', { class: 'section', id: 'methods', 'aria-labelledby': 'm-h' },
      h('h2', { id: 'm-h' }, t('src.methods_title')),
      h('dl', { class: 'methods' },
        ['similarity', 'viable', 'safe', 'desirable', 'unknown', 'gap', 'upskill', 'risk_mcc', 'risk_fo', 'earnings'].map((k) => [
          h('dt', {}, t(`src.m_${k}`)), h('dd', {}, t(`src.m_${k}_text`)),
        ]))),
    h('section', { class: 'section', 'aria-labelledby': 'p-h' },
      h('h2', { id: 'p-h' }, t('src.programme_title')),
      h('p', {}, t('src.programme_text'))));
  try {
    const res = await get('/sources');
    if (!ctx.isCurrent()) return;
    const rows = res.sources || [];
    replace(box,
      h('h2', { id: 'ds-h' }, t('src.datasets')),
      rows.length ? table(t('src.caption'), [
        { key: 'name', label: t('src.col_name'), render: (r) => h('span', { lang: 'en', 'data-name': '' }, r.name) },
        { key: 'kind', label: t('src.col_kind'), render: (r) => t(`src.kind_${r.kind}`).startsWith('[') ? r.kind : t(`src.kind_${r.kind}`) },
        { key: 'version', label: t('src.col_version'), render: (r) => text(r.version) },
        { key: 'licence', label: t('src.col_licence'), render: (r) => h('span', { lang: 'en', 'data-name': '' }, text(r.licence)) },
        { key: 'url', label: t('src.col_url'), render: (r) => (r.url ? h('a', { href: r.url, rel: 'noopener' }, r.url) : text(null)) },
        { key: 'rows', label: t('src.col_rows'), num: true, render: (r) => int(r.rows) },
        { key: 'imported_at', label: t('src.col_imported'), render: (r) => dateTime(r.imported_at) },
      ], rows, { className: 'sources-table' }) : h('p', { class: 'empty' }, t('src.none')),
      rows.length ? exportButtons('fow-sources', () => rows) : null);
  } catch (err) {
    replace(box, h('h2', { id: 'ds-h' }, t('src.datasets')), errorBox(err));
  }
}
