// indicators.js — the programme indicators for programme managers and
// analysts (/api/v1/indicators, docs/indicators.md): people served,
// enrolled, completed, passed, completion rate and skills gained, by
// programme, cohort, sex or age group; cells under 10 people suppressed.
// Below, the vouchers' and the CREIC labs' figures of the same people, in
// total, suppressed as the API suppresses them.

import { h, append, replace, newId } from '../dom.js';
import { t, locale } from '../i18n.js';
import { get, apiUrl } from '../api.js';
import { session, refreshSession } from '../session.js';
import { pageTitle, int, pct, errorBox, loading, table } from '../ui.js';

export const routes = [{ path: 'indicators', nav: 'cohorts' }];

const BYS = ['total', 'programme', 'cohort', 'sex', 'age'];
const COLUMNS = ['served', 'enrolled', 'completed', 'passed', 'skills_gained'];

function groupLabel(by, row) {
  if (row.group === 'total') return t('ind.total');
  if (by === 'sex') return t(`ind.sex_${row.group}`);
  if (by === 'age') return row.group === 'unknown' ? t('ind.age_unknown') : row.group === 'under 15' ? t('ind.age_under15') : row.group;
  if (by === 'programme' && row.group === '(no programme)') return t('ind.no_programme');
  return row.label;
}

function cell(c) {
  if (c.suppressed) {
    return h('span', { class: 'suppressed', title: c.complementary ? t('ind.complementary_hint') : t('ind.suppressed_hint') },
      c.complementary ? `${t('ind.suppressed')} *` : t('ind.suppressed'));
  }
  return int(c.value);
}

function rate(r) {
  if (r.completion_rate_suppressed) return h('span', { class: 'suppressed' }, t('ind.suppressed'));
  if (r.completion_rate === null) return '–'; // nobody enrolled: no rate
  // in the page's language (86,5 % on a Romanian page), not the browser's
  return pct(r.completion_rate / 100, 1);
}

/** The voucher figures of the same people, in total (issue 14): cells under 10 people suppressed. */
function voucherFigures(v) {
  const cost = v.cost_per_completion;
  const costText = cost.suppressed ? h('span', { class: 'suppressed' }, t('ind.suppressed'))
    : cost.value_minor === null ? '–'
      : new Intl.NumberFormat(locale(), { style: 'currency', currency: cost.currency }).format(cost.value_minor / 100);
  const rows = [
    ['vrep.ind_beneficiaries', cell(v.beneficiaries)],
    ['vrep.ind_vouchers_issued', cell(v.vouchers_issued)],
    ['vrep.ind_redeemed', cell(v.redeemed)],
    ['vrep.ind_completed_after', cell(v.completed_after_redemption)],
    ['vrep.ind_cost_per_completion', costText],
  ];
  return h('section', { class: 'section', 'aria-labelledby': 'ind-v' },
    h('h2', { id: 'ind-v' }, t('vrep.ind_title')),
    table(t('vrep.ind_caption'), [
      { key: 'k', label: t('vrep.ind_figure'), render: (r) => t(r[0]) },
      { key: 'v', label: t('vrep.ind_value'), num: true, render: (r) => r[1] },
    ], rows, { className: 'indicators-vouchers' }),
    h('p', { class: 'note' }, t('vrep.ind_note')));
}

/** The labs' figures of the same people, in total (issue 15): cells under 10 people suppressed, the hours with them. */
function labFigures(l) {
  const hours = l.hours_used || {};
  const hoursText = hours.suppressed ? h('span', { class: 'suppressed', title: t('ind.suppressed_hint') }, t('ind.suppressed'))
    : hours.value === null || hours.value === undefined ? '–'
      : Number(hours.value).toLocaleString(locale(), { minimumFractionDigits: 0, maximumFractionDigits: 2 });
  const rows = [
    ['indlabs.lab_users', cell(l.lab_users)],
    ['indlabs.used_a_lab', cell(l.used_a_lab)],
    ['indlabs.with_project', cell(l.with_project)],
    ['indlabs.hours_used', hoursText],
  ];
  return h('section', { class: 'section', 'aria-labelledby': 'ind-l', 'data-testid': 'indicators-labs' },
    h('h2', { id: 'ind-l' }, t('indlabs.title')),
    table(t('indlabs.caption'), [
      { key: 'k', label: t('vrep.ind_figure'), render: (r) => t(r[0]) },
      { key: 'v', label: t('vrep.ind_value'), num: true, render: (r) => r[1] },
    ], rows, { className: 'indicators-labs' }),
    h('p', { class: 'note' }, t('indlabs.note')));
}

export async function render(main, ctx) {
  ctx.setTitle(t('ind.title'));
  const selectId = newId('ind-by');
  const asked = ctx.query.get('by');
  const by = BYS.includes(asked) ? asked : 'programme';
  const choose = h('select', { id: selectId }, BYS.map((b) => h('option', { value: b }, t(`ind.by_${b}`))));
  choose.value = by;
  const box = h('section', { class: 'section', 'aria-live': 'polite' }, loading());
  append(main,
    pageTitle(t('ind.title'), t('ind.lead')),
    h('div', { class: 'field' }, h('label', { for: selectId }, t('ind.by')), choose),
    box,
    h('section', { class: 'section', 'aria-labelledby': 'ind-m' },
      h('h2', { id: 'ind-m' }, t('ind.method_title')),
      h('p', {}, t('ind.method_text')),
      h('p', {}, t('ind.consent_text')),
      h('p', {}, t('ind.suppression_text'))));
  async function load() {
    replace(box, loading());
    // the indicators need an account: nobody signed in is asked to, not shown the server's 401
    let s = session();
    if (!s.checked) s = await refreshSession();
    if (!ctx.isCurrent()) return;
    if (!s.user) {
      replace(box, h('p', {}, t('walk.sign_in_first')),
        h('p', {}, h('a', { class: 'button', href: `#/login?next=${encodeURIComponent(`indicators?by=${by}`)}` }, t('account.login'))));
      return;
    }
    try {
      const res = await get('/indicators', { by });
      if (!ctx.isCurrent()) return;
      const rows = [...res.rows, res.total];
      const cols = [{ key: 'group', label: t(`ind.by_${by}`), render: (r) => groupLabel(by, r) }]
        .concat(COLUMNS.map((c) => ({ key: c, label: t(`ind.col_${c}`), num: true, render: (r) => cell(r[c]) })))
        .concat([{ key: 'rate', label: t('ind.col_rate'), num: true, render: rate }]);
      const left = res.without_statistics_consent;
      const v = res.vouchers;
      replace(box,
        table(t('ind.caption', { by: t(`ind.by_${by}`).toLowerCase(), year: res.year }), cols, rows, { className: 'indicators-table' }),
        h('p', { class: 'note' }, left.suppressed ? t('ind.left_out_suppressed') : t('ind.left_out', { n: left.value })),
        h('p', { class: 'note' }, t('ind.cells', { n: res.suppressed_cells, c: res.complementary_cells })),
        h('div', { class: 'export', role: 'group', 'aria-label': t('export.label') },
          h('a', { class: 'btn-small', href: apiUrl('/indicators', { by, format: 'csv' }), download: `fow-indicators-${by}.csv` }, t('export.csv')),
          h('a', { class: 'btn-small', href: apiUrl('/indicators', { by }), download: `fow-indicators-${by}.json` }, t('export.json'))),
        v ? voucherFigures(v) : null,
        res.labs ? labFigures(res.labs) : null);
    } catch (err) {
      if (ctx.isCurrent()) replace(box, errorBox(err));
    }
  }
  choose.addEventListener('change', () => ctx.go('indicators', { by: choose.value }));
  await load();
}
