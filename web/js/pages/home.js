// home.js — what fow is, why Cluj-Napoca needs it, and what this
// database holds (/api/v1/stats), every figure with its source.

import { h, append, replace } from '../dom.js';
import { t, tp } from '../i18n.js';
import { get } from '../api.js';
import { pageTitle, int, pct, text, errorBox, loading, table } from '../ui.js';
import { chartFigure, COLOURS } from '../charts.js';

// figures from the description of the Cluj Future of Work project (EU Urban
// Innovative Actions); they are the programme's own, not computed by fow
const PROGRAMME_FACTS = [
  { value: '49%', key: 'home.fact_vulnerable' },
  { value: '7%', key: 'home.fact_cci' },
  { value: '2.500', valueEn: '2,500', key: 'home.fact_informal' },
  { value: '20%', key: 'home.fact_wages' },
];

function card(href, title, body) {
  return h('li', { class: 'card' }, h('h3', {}, h('a', { href }, title)), h('p', {}, body));
}

/** The addresses of this page (main.js): #/path, with its menu entry. */
export const routes = [{ path: '', nav: 'home' }];

export async function render(main, ctx) {
  ctx.setTitle(null);
  const statsBox = h('section', { class: 'section', 'aria-labelledby': 'stats-h' },
    h('h2', { id: 'stats-h' }, t('home.stats_title')), loading());
  const isRo = document.documentElement.lang === 'ro';
  append(main,
    pageTitle(t('home.title'), t('home.lead')),
    h('section', { class: 'section facts', 'aria-labelledby': 'why-h' },
      h('h2', { id: 'why-h' }, t('home.why_title')),
      h('ul', { class: 'fact-list' }, PROGRAMME_FACTS.map((f) => h('li', { class: 'fact' },
        h('span', { class: 'fact-value' }, isRo ? f.value : (f.valueEn || f.value)),
        h('span', { class: 'fact-text' }, t(f.key))))),
      h('p', { class: 'source-note' }, t('home.facts_source'), ' ',
        h('a', { href: 'https://uia-initiative.eu/en/uia-cities/cluj-napoca', rel: 'noopener' }, t('home.facts_source_link')))),
    h('section', { class: 'section', 'aria-labelledby': 'what-h' },
      h('h2', { id: 'what-h' }, t('home.what_title')),
      h('p', {}, t('home.what_text')),
      h('ul', { class: 'cards' },
        card('#/transitions', t('home.card_transitions'), t('home.card_transitions_text')),
        card('#/skills', t('home.card_skills'), t('home.card_skills_text')),
        card('#/upskill', t('home.card_upskill'), t('home.card_upskill_text')),
        card('#/observatory', t('home.card_observatory'), t('home.card_observatory_text')),
        card('#/scenarios', t('home.card_scenarios'), t('home.card_scenarios_text')),
        card('#/sources', t('home.card_sources'), t('home.card_sources_text')))),
    statsBox);

  let stats;
  try {
    stats = await get('/stats');
  } catch (err) {
    replace(statsBox, h('h2', { id: 'stats-h' }, t('home.stats_title')), errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const n = stats.occupations || 0;
  const src = (s) => (s ? h('span', { lang: 'en', 'data-name': '' }, s) : h('span', {}, t('home.not_imported')));
  const rows = [
    { what: t('stats.occupations'), value: int(stats.occupations), share: '', source: src(stats.taxonomy_source) },
    { what: t('stats.skills'), value: int(stats.skills), share: '', source: src(stats.taxonomy_source) },
    { what: t('stats.relations'), value: int(stats.relations), share: '', source: src(stats.taxonomy_source) },
    { what: t('stats.with_risk_mcc'), value: int(stats.with_risk_mcc), share: n ? pct(stats.with_risk_mcc / n) : text(null), source: src(stats.risk_source_mcc) },
    { what: t('stats.high_risk_mcc'), value: int(stats.high_risk_mcc), share: n ? pct(stats.high_risk_mcc / n) : text(null), source: src(stats.risk_source_mcc) },
    { what: t('stats.with_risk_fo'), value: int(stats.with_risk_frey_osborne), share: n ? pct(stats.with_risk_frey_osborne / n) : text(null), source: src(stats.risk_source_frey_osborne) },
    { what: t('stats.with_attributes'), value: int(stats.with_attributes), share: n ? pct(stats.with_attributes / n) : text(null), source: src(stats.attributes_source) },
  ];
  const high = stats.high_risk_mcc || 0;
  const other = Math.max(0, (stats.with_risk_mcc || 0) - high);
  const none = Math.max(0, n - (stats.with_risk_mcc || 0));
  replace(statsBox,
    h('h2', { id: 'stats-h' }, t('home.stats_title')),
    h('p', {}, t('home.stats_text')),
    h('div', {},
      table(t('home.stats_caption'), [
        { key: 'what', label: t('stats.what') },
        { key: 'value', label: t('stats.value'), num: true, render: (r) => r.value },
        { key: 'share', label: t('stats.share'), num: true, render: (r) => r.share },
        { key: 'source', label: t('stats.source'), render: (r) => r.source },
      ], rows, { className: 'stats-table' }),
      n ? chartFigure({
        caption: t('home.chart_caption', { source: stats.risk_source_mcc || t('home.not_imported') }),
        description: t('home.chart_description', { high: tp('count.occupations', high), other: tp('count.occupations', other), none: tp('count.occupations', none) }),
        height: 260,
        compact: true,
        option: () => ({
          aria: { enabled: false },
          tooltip: { trigger: 'item' },
          legend: { bottom: 0, textStyle: { color: '#1d232b' } },
          series: [{
            type: 'pie', radius: ['40%', '68%'], center: ['50%', '44%'],
            label: { formatter: (p) => pct(p.percent / 100, 1), color: '#1d232b' },
            data: [
              { name: t('home.chart_high'), value: high, itemStyle: { color: COLOURS.no } },
              { name: t('home.chart_other'), value: other, itemStyle: { color: COLOURS.accent } },
              { name: t('home.chart_unknown'), value: none, itemStyle: { color: COLOURS.unknown } },
            ],
          }],
        }),
      }) : null),
    h('p', { class: 'source-note' }, t('home.share_note')));
}
