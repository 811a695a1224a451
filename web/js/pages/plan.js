// plan.js — one worker's plan (docs/plans.md): #/plan/ID shows
// the plan of GET /api/v1/plans/{id} to staff (people managers) and of GET
// /api/v1/me/plans/{id} to the person it belongs to: its target moves, each
// with the skills to learn of the gap kept when the move was added, the
// modules chosen with their cohort's start, hours and cost, the milestones,
// the totals and the history of changes. It prints on A4 as one document
// with a signature line for the counsellor and the person (app.css, print).
// Staff change the plan below it (plan-edit.js; not printed).
// Also exports plansSection, the list of GET /api/v1/me/plans on #/me.

import { h, append, replace } from '../dom.js';
import { t, tp, has, lang, locale } from '../i18n.js';
import { get } from '../api.js';
import { pageTitle, errorBox, loading, table, text, dateTime, taxonomyLabel } from '../ui.js';
import { userWithRole } from './modules-common.js';
import { money } from './plan-section.js';
import { planEditSection } from './plan-edit.js';

/** The addresses of this page (main.js): #/plan/ID, no menu entry. */
export const routes = [{ path: 'plan/:id' }];

const STAFF = ['admin', 'counsellor']; // the roles that manage people (docs/roles.md)

function hoursText(n) {
  return tp('planpage.hours', n, { n: new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(n) });
}

// costs in several currencies are listed, never summed across currencies
function costs(list) {
  if (!list || !list.length) return t('planpage.no_cost');
  return list.map((c) => money(c)).join(' + ');
}

function moduleTitle(m) {
  return (m.title && (m.title[lang()] || m.title.en || m.title.ro)) || m.code;
}

function statusBadge(kind, status) {
  const cls = status === 'done' || status === 'completed' || status === 'active' ? 'badge-yes'
    : status === 'dropped' || status === 'cancelled' ? 'badge-no' : 'badge-neutral';
  return h('span', { class: `badge ${cls}`, 'data-status': status }, t(`planpage.${kind}_${status}`));
}

/**
 * The message key with {name} replaced by node (e.g. a taxonomy label marked
 * with its language), as an array of text and nodes.
 */
function tWith(key, vars, name, node) {
  const parts = t(key, { ...vars, [name]: '\u0001' }).split('\u0001');
  return parts.flatMap((part, i) => (i ? [node, part] : [part]));
}

/** A label of the plan (a move's occupation, a skill): in the page's language when the taxonomy has it (api.js), else the stored one, marked with its language. */
function planLabel(item) {
  if (!item) return text('—');
  return item.label ? taxonomyLabel(item) : text(item.uri || '—');
}

/** The labels of a plan list's moves (targets), comma-separated, each marked as planLabel marks it. */
export function targetLabels(p) {
  const targets = p.targets || (p.moves || []).map((label) => ({ label }));
  if (!targets.length) return '—';
  return h('span', {}, targets.flatMap((x, i) => (i ? [', ', planLabel(x)] : [planLabel(x)])));
}

function moveSection(move, index) {
  const gap = move.gap || {};
  const toLearn = gap.to_learn || [];
  return h('section', { class: 'section plan-move', 'aria-labelledby': `plan-move-${move.id}` },
    h('h3', { id: `plan-move-${move.id}` }, tWith('planpage.move_title', { n: index + 1 }, 'occupation', planLabel(move.occupation))),
    h('p', { class: 'hint' }, tWith('planpage.gap_note', {
      date: dateTime(move.gap_at), version: move.data_version ? move.data_version.generation : '—',
    }, 'from', gap.judged_as ? planLabel(gap.judged_as) : '—')),
    h('h4', {}, tp('planpage.to_learn', toLearn.length)),
    toLearn.length ? h('ul', { class: 'plan-skills' }, toLearn.map((s) => h('li', {},
      planLabel(s), ' ',
      h('span', { class: 'hint' }, s.covered_by ? t('planpage.covered_by', { code: s.covered_by }) : t('planpage.not_taught')))))
      : h('p', {}, t('planpage.nothing_to_learn')),
    h('h4', {}, t('planpage.modules')),
    (move.modules || []).length ? table(t('planpage.modules'), [
      { key: 'module', label: t('planpage.module'), render: (m) => h('span', {}, text(moduleTitle(m)), ' ', h('span', { class: 'hint' }, text(m.code))) },
      { key: 'cohort', label: t('planpage.cohort'), render: (m) => (m.starts_on ? t('planpage.starts', { date: m.starts_on }) : t('planpage.no_cohort')) },
      { key: 'hours', label: t('planpage.hours_col'), render: (m) => hoursText(m.hours) },
      { key: 'cost', label: t('planpage.cost'), render: (m) => money(m.cost) },
    ], move.modules) : h('p', {}, t('planpage.no_modules')),
    h('p', {}, h('strong', {}, t('planpage.move_totals', { hours: hoursText(move.hours || 0), cost: costs(move.cost) }))));
}

function planView(plan, forPerson) {
  const totals = plan.totals || {};
  const milestones = plan.milestones || [];
  const moves = plan.moves || [];
  return [
    h('dl', { class: 'facts-dl plan-facts' },
      h('dt', {}, t('planpage.person')), h('dd', {}, forPerson ? h('code', {}, plan.person) : h('a', { href: `#/person/${encodeURIComponent(plan.person)}` }, h('code', {}, plan.person))),
      h('dt', {}, t('planpage.status')), h('dd', {}, statusBadge('status', plan.status)),
      h('dt', {}, t('planpage.created')), h('dd', {}, dateTime(plan.created_at)),
      h('dt', {}, t('planpage.updated')), h('dd', {}, dateTime(plan.updated_at))),
    h('section', { class: 'section', 'aria-labelledby': 'plan-moves' },
      h('h2', { id: 'plan-moves' }, tp('planpage.moves', moves.length)),
      moves.length ? moves.map((m, i) => moveSection(m, i)) : h('p', {}, t('planpage.no_moves'))),
    h('section', { class: 'section', 'aria-labelledby': 'plan-totals' },
      h('h2', { id: 'plan-totals' }, t('planpage.totals')),
      h('p', { class: 'plan-total' }, t('planpage.totals_value', {
        modules: tp('planpage.modules_count', totals.modules || 0), hours: hoursText(totals.hours || 0), cost: costs(totals.cost),
      })),
      h('p', { class: 'hint' }, t('planpage.totals_method'))),
    h('section', { class: 'section', 'aria-labelledby': 'plan-milestones' },
      h('h2', { id: 'plan-milestones' }, t('planpage.milestones')),
      milestones.length ? table(t('planpage.milestones'), [
        { key: 'title', label: t('planpage.milestone'), render: (m) => text(m.title) },
        { key: 'due', label: t('planpage.due'), render: (m) => text(m.due) },
        { key: 'status', label: t('planpage.status'), render: (m) => statusBadge('ms', m.status) },
      ], milestones, { className: 'plan-milestones' }) : h('p', {}, t('planpage.no_milestones'))),
    h('section', { class: 'section plan-history', 'aria-labelledby': 'plan-history' },
      h('h2', { id: 'plan-history' }, t('planpage.history')),
      table(t('planpage.history'), [
        { key: 'at', label: t('planpage.at'), render: (e) => dateTime(e.at) },
        { key: 'actor', label: t('planpage.actor'), render: (e) => text(e.actor) },
        { key: 'action', label: t('planpage.change'), render: (e) => h('span', {},
          h('span', { class: 'plan-action', dataset: { action: e.action } }, has(`p13.action_${e.action}`) ? t(`p13.action_${e.action}`) : text(e.action)),
          e.detail ? [' ', h('span', { class: 'hint', lang: 'en' }, text(e.detail))] : null) },
      ], plan.history || [])),
    h('section', { class: 'plan-signatures print-only', 'aria-hidden': 'true' },
      h('p', {}, t('planpage.sign_note')),
      h('div', { class: 'plan-sign-row' },
        h('div', {}, h('span', { class: 'plan-sign-line' }), h('p', {}, t('planpage.sign_counsellor'))),
        h('div', {}, h('span', { class: 'plan-sign-line' }), h('p', {}, forPerson ? t('planpage.sign_me') : t('planpage.sign_person'))))),
  ];
}

export async function render(main, ctx) {
  ctx.setTitle(t('planpage.title'));
  const id = ctx.params.id;
  const head = h('div', {}, pageTitle(t('planpage.title')));
  append(main, head);
  if (!/^[1-9][0-9]{0,17}$/.test(id)) {
    append(main, h('div', { class: 'warning', role: 'note' }, t('planpage.bad_id', { id })));
    return;
  }
  const user = await userWithRole(main, ctx, [...STAFF, 'person'], `plan/${id}`);
  if (!user) return;
  const forPerson = user.role === 'person';
  const box = h('div', {}, loading());
  append(main, box);
  await drawPlan(box, head, id, forPerson, ctx);
}

// the plan as the server holds it; for staff with the section that changes
// it (plan-edit.js), drawn again after each change
async function drawPlan(box, head, id, forPerson, ctx) {
  try {
    const plan = await get(forPerson ? `/me/plans/${id}` : `/plans/${id}`);
    if (!ctx.isCurrent()) return;
    ctx.setTitle(`${t('planpage.title')}: ${plan.title}`);
    replace(head, pageTitle(plan.title, t('planpage.lead', { id: plan.id })));
    const edit = forPerson ? null : h('div', { class: 'no-print' }, loading());
    replace(box, h('p', { class: 'no-print' },
      h('button', { type: 'button', class: 'btn-small', onclick: () => window.print() }, t('planpage.print')),
      forPerson ? null : [' ', h('a', { href: `#/person/${encodeURIComponent(plan.person)}`, class: 'btn-small' }, t('case.to_case'))]),
    ...planView(plan, forPerson), edit);
    if (edit) {
      try {
        const section = await planEditSection(plan, ctx, () => { if (ctx.isCurrent()) drawPlan(box, head, id, forPerson, ctx); });
        if (ctx.isCurrent()) replace(edit, section);
      } catch (err) {
        if (ctx.isCurrent()) replace(edit, errorBox(err));
      }
    }
  } catch (err) {
    if (ctx.isCurrent()) replace(box, errorBox(err));
  }
}

/** The section of #/me that lists the person's plans (GET /api/v1/me/plans) with links to #/plan/ID. */
export async function plansSection(box, ctx) {
  const title = () => h('h2', { id: 'me-plans' }, t('planpage.my_plans'));
  replace(box, title(), loading());
  try {
    const data = await get('/me/plans');
    if (!ctx.isCurrent()) return;
    const plans = data.plans || [];
    replace(box, title(), h('p', { class: 'hint' }, tp('planpage.plans_count', plans.length)),
      plans.length ? table(t('planpage.my_plans'), [
        { key: 'title', label: t('planpage.plan'), render: (p) => h('a', { href: `#/plan/${p.id}` }, text(p.title)) },
        { key: 'status', label: t('planpage.status'), render: (p) => statusBadge('status', p.status) },
        { key: 'moves', label: t('planpage.moves_col'), render: (p) => targetLabels(p) },
        { key: 'updated', label: t('planpage.updated'), render: (p) => dateTime(p.updated_at) },
      ], plans) : null);
  } catch (err) {
    if (ctx.isCurrent()) replace(box, title(), errorBox(err));
  }
}
