// module.js — one module of the learning catalogue (public): what it
// teaches, its provider, hours, mode, cost and prerequisites
// (/api/v1/modules/{id}), and its cohorts with the next start and the seats
// left (/api/v1/cohorts?module=CODE).

import { h, append, replace } from '../dom.js';
import { t, tp, lang } from '../i18n.js';
import { get, skillId } from '../api.js';
import { pageTitle, num, int, errorBox, loading, labelAttrs } from '../ui.js';
import { cohortsTable, nextOpen, dates, seatsText, isStaff } from './cohort-common.js';

export const routes = [{ path: 'module/:id' }];

/** A text of the catalogue, given in the file's own words. */
const dataText = (value) => h('span', { 'data-name': '' }, value);

function cost(c) {
  if (!c || c.minor_units === 0) return t('module.free');
  return t('module.cost_value', { amount: num(c.minor_units / 100, 2), currency: c.currency });
}

export async function render(main, ctx) {
  append(main, loading());
  let m;
  let cohorts = [];
  try {
    m = await get(`/modules/${encodeURIComponent(ctx.params.id)}`);
    cohorts = (await get('/cohorts', { module: m.code })).cohorts || [];
  } catch (err) {
    if (!ctx.isCurrent()) return;
    ctx.setTitle(t('module.not_found'));
    replace(main, pageTitle(t('module.not_found')), errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const title = (lang() === 'ro' ? m.title.ro : m.title.en) || m.title.en;
  const description = (lang() === 'ro' ? m.description.ro : m.description.en) || '';
  ctx.setTitle(title);
  const skillLabel = (s) => {
    // the API's label_local is the label shown (api.js); a skill without one stays marked in its own language
    const attrs = labelAttrs(s);
    return s.in_taxonomy && s.uri ? h('a', { ...attrs, href: `#/skill/${encodeURIComponent(skillId(s))}` }, s.label) : h('span', attrs, s.label);
  };
  const next = nextOpen(cohorts);
  const open = cohorts.filter((c) => c.status === 'open' || c.status === 'planned');
  replace(main,
    pageTitle(title, description || null),
    h('p', { class: 'muted' }, m.programme ? [t('module.programme'), ' ', dataText(m.programme), ' · '] : null,
      t('module.code'), ' ', h('code', {}, m.code)),
    h('dl', { class: 'facts-dl' },
      h('dt', {}, t('module.provider')),
      h('dd', {}, dataText(m.provider.name),
        m.provider.accreditation ? [' · ', t('module.accreditation', { id: m.provider.accreditation })] : null),
      h('dt', {}, t('module.hours')), h('dd', {}, tp('module.hours_value', m.hours, { n: num(m.hours, 0) })),
      h('dt', {}, t('module.mode')), h('dd', {}, t(`module.mode_${m.mode}`)),
      h('dt', {}, t('module.language')), h('dd', {}, m.language),
      m.place ? [h('dt', {}, t('module.place')), h('dd', {}, dataText(m.place))] : null,
      h('dt', {}, t('module.cost')), h('dd', {}, cost(m.cost))),
    h('section', { class: 'section', 'aria-labelledby': 'mod-skills-h' },
      h('h2', { id: 'mod-skills-h' }, t('module.skills_title')),
      h('ul', { class: 'skill-list' }, (m.skills || []).map((s) => h('li', {}, skillLabel(s)))),
      (m.prerequisites.modules || []).length || (m.prerequisites.skills || []).length
        ? h('p', {}, t('module.prerequisites'), ' ',
          [...(m.prerequisites.modules || []).map((p) => h('a', { href: `#/module/${p.id}` }, p.code)),
            ...(m.prerequisites.skills || []).map(skillLabel)].flatMap((x, i) => (i ? [', ', x] : [x])))
        : null),
    h('section', { class: 'section', 'aria-labelledby': 'mod-cohorts-h' },
      h('h2', { id: 'mod-cohorts-h' }, t('module.cohorts_title')),
      next
        ? h('div', { class: 'next-cohort card' },
          h('h3', {}, t('module.next_start', { date: dates(next) })),
          h('p', {}, seatsText(next)),
          h('p', { class: 'muted small' }, dataText(next.place), ' · ', tp('cohort.sessions_count', next.sessions.length, { n: int(next.sessions.length) })),
          h('p', {}, h('a', { href: `#/cohort/${next.id}` }, t(isStaff() ? 'cohort.manage' : 'cohort.details'))))
        : h('p', {}, t('module.no_open_cohort')),
      open.length ? cohortsTable(t('module.cohorts_caption', { module: m.code }), open) : null,
      h('p', { class: 'muted small' }, t('cohort.seats_method'))));
}
