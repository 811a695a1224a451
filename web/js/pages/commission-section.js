// commission-section.js — "Courses to commission" (GET /observatory/commission):
// the skills an area's at-risk workforce lacks most, how much of that demand
// the learning catalogue covers, and the skills no module teaches, ranked.
// Shown under transitions at scale on the observatory page. A helper module
// (no routes).

import { h, replace } from '../dom.js';
import { t, tp, tmsg } from '../i18n.js';
import { get } from '../api.js';
import { int, pct, text, table, taxonomyLabel } from '../ui.js';
import { rankedTable, loadInto, factItem, sourcesList } from './observe-common.js';

/** Fills box with the courses to commission for params {area, year, model}. */
export async function commissionSection(box, ctx, params) {
  const res = await loadInto(box, ctx, () => get('/observatory/commission', { ...params, limit: 15 }), { busy: true });
  if (!res) return;
  const rows = (res.to_commission || []).map((r) => ({ ...r, share: r.share_of_learners }));
  replace(box,
    h('h3', { id: 'commission-title' }, t('com.title')),
    h('p', { class: 'small' }, t('com.lead')),
    h('ul', { class: 'obs-facts small-facts', 'aria-labelledby': 'commission-title' },
      factItem('commission-demand', t('com.demand'), int(res.demand.learners),
        [tp('com.demand_skills', res.demand.skills)]),
      factItem('commission-covered', t('com.covered'), pct(res.covered.share_learners, 1),
        [t('com.covered_skills', { covered: int(res.covered.skills), skills: tp('com.skills', res.demand.skills) }),
          tp('com.catalogue', res.sources.catalogue_modules)]),
      factItem('commission-uncovered', t('com.uncovered'), int(res.to_commission_count))),
    rows.length
      ? table(t('com.table_caption'), [
        { key: 'label', label: t('obs.col_skill'), render: (r) => [`${int(r.rank)}. `, taxonomyLabel(r)] },
        { key: 'learners', label: t('obs.col_learners'), num: true, render: (r) => int(r.learners) },
        { key: 'share', label: t('com.col_share'), num: true, render: (r) => pct(r.share, 1) },
        { key: 'origins', label: t('obs.col_origins'), num: true, render: (r) => int(r.origins) },
      ], rows, { className: 'commission-table' })
      : h('p', {}, t('com.none')),
    res.to_commission_count > rows.length
      ? h('p', { class: 'muted small' }, tp('com.more', res.to_commission_count - rows.length)) : null,
    h('details', { class: 'table-details' }, h('summary', {}, t('com.supply_show')),
      rankedTable(t('com.supply_caption'), 'skill', [['learners', t('obs.col_learners')], ['modules', t('com.col_modules')]],
        res.skills, 'commission-supply')),
    h('details', { class: 'provenance' }, h('summary', {}, t('obs.method_and_sources')),
      h('p', { class: 'small' }, tmsg(res.method)),
      sourcesList({ employment: res.sources.employment, risk: res.sources.risk }),
      h('p', { class: 'small' }, text(tp('com.catalogue', res.sources.catalogue_modules)))));
}
