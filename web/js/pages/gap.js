// gap.js — the skill gap of one move (/api/v1/gap): what transfers, what to
// learn, most important first. renderGap() is also used inline by the
// transitions explorer.

import { h, append, replace } from '../dom.js';
import { t, tp, tmsg, locale } from '../i18n.js';
import { get, occupationId } from '../api.js';
import {
  pageTitle, num, int, pct, tri, errorBox, loading, provenanceNote, exportButtons, occLink, skillLink, meter, text, msgText,
  sim,
} from '../ui.js';
import { renderPlan } from './plan-section.js';
import { session, refreshSession } from '../session.js';
import { STAFF } from './people.js';
import { planMove } from './person.js';

/** The query for /gap: {from, to} or {skills: 'a;b', as, to} (as: the occupation judged against). */
export function gapQuery(origin, to) {
  if (!origin.skills) return { from: origin.from, to };
  const q = { skills: origin.skills.join(';'), to };
  if (origin.as) q.as = origin.as;
  return q;
}

/** The hash of the gap page for the same query. */
export function gapHref(origin, to) {
  const q = new URLSearchParams(gapQuery(origin, to));
  return `#/gap?${q.toString()}`;
}

/* The importance of a skill (a share of the destination's requirements, 0..1) with its bar on
 * the whole 0–100% scale, never stretched to the largest value of the list. */
function importanceCell(s) {
  return h('span', { class: 'with-meter importance', dataset: { importance: String(s.importance ?? '') } },
    meter(s.importance), pct(s.importance, 1));
}

/* The reason of a skill the worker holds a narrower skill of (ESCO's skill hierarchy), worded
 * with that skill's label in the page's language when the taxonomy has it. */
function narrowerReason(s) {
  const local = s.narrower && s.narrower.label_local;
  return tmsg(local ? { ...s.reason, params: { ...(s.reason.params || {}), skill: local } } : s.reason);
}

/** The gap as a section: counts, the two lists and their provenance. headingLevel: 2 or 3. */
export function renderGap(g, { headingLevel = 3, idPrefix = 'gap' } = {}) {
  const H = `h${headingLevel}`;
  // missing: the essential skills to learn (the move's essential_missing);
  // probably_held.skills: those counted as held for viability, to confirm
  const learn = g.missing || [];
  const probable = (g.probably_held && g.probably_held.skills) || [];
  const missing = [...learn, ...probable];
  const transfers = g.transfers || [];
  const fromLabel = g.from && g.from.label ? g.from.label : t('gap.your_skills');
  const learnCount = g.to_learn_count ?? learn.length;
  const probableCount = g.probably_held_count ?? probable.length;
  const rows = () => [
    ...missing.map((s) => ({ kind: s.probably_held ? 'probably_held' : 'learn', skill: s.label, uri: s.uri, essential: s.essential, held: s.held, cover: s.cover, via: s.via, importance: s.importance, probability: s.probability ?? null })),
    ...transfers.map((s) => ({ kind: 'transfers', skill: s.label, uri: s.uri, essential: s.essential, held: s.held, cover: s.cover, via: s.via, importance: s.importance, probability: null })),
  ];
  const skillItem = (s) => h('li', {},
    h('span', { class: 'gap-skill' }, skillLink(s), s.essential ? null : h('span', { class: 'tag' }, t('gap.optional'))),
    h('span', { class: 'gap-meta' },
      t('gap.importance'), ' ', importanceCell(s),
      s.via ? h('span', { class: 'block small' }, t('gap.partly_via', { via: s.via, cover: pct(s.cover) })) : null,
      // a held skill narrower than this one in ESCO's skill hierarchy (a hint, not counted as held)
      s.reason ? h('span', { class: 'block small gap-narrower' }, narrowerReason(s)) : null));
  const judged = g.judged_as && g.from && !g.from.label
    ? h('p', { class: 'muted small' }, t('inf.judged_as', { label: g.judged_as.label })) : null;
  return h('div', { class: 'gap' },
    h('p', { class: 'gap-summary' },
      t('gap.summary', {
        from: fromLabel, to: g.to ? g.to.label : '', sim: sim(g.similarity),
      })),
    h('ul', { class: 'badges' },
      h('li', {}, g.highly_viable ? tri('yes', 'highly') : tri(g.viable, 'viable')),
      h('li', {}, tri(g.safe, 'safe')),
      h('li', {}, tri(g.desirable, 'desirable'))),
    h('p', { class: 'muted small' }, t('gap.judged_mcc')),
    judged,
    h('div', { class: 'split' },
      h('section', { class: 'gap-learn', 'aria-labelledby': `${idPrefix}-learn` },
        h(H, { id: `${idPrefix}-learn` }, tp('gap.learn_title', learnCount)),
        missing.length ? h('p', { class: 'muted small importance-scale' }, t('chart.importance_scale')) : null,
        learn.length ? h('ol', { class: 'gap-list' }, learn.map(skillItem))
          : h('p', {}, t('gap.nothing_to_learn')),
        g.optional_missing_count ? h('p', { class: 'muted small' }, tp('gap.optional_missing', g.optional_missing_count)) : null,
        probable.length ? h('section', { class: 'gap-probable', 'aria-labelledby': `${idPrefix}-probable` },
          h(`h${headingLevel + 1}`, { id: `${idPrefix}-probable` }, tp('inf.probable_title', probableCount)),
          h('p', { class: 'muted small' }, t('inf.probable_hint', { from: fromLabel })),
          h('ol', { class: 'gap-list' }, probable.map((s) => h('li', {},
            h('span', { class: 'gap-skill' }, skillLink(s), h('span', { class: 'tag tag-probable' }, t('inf.confirm'))),
            h('span', { class: 'gap-meta' },
              t('gap.importance'), ' ', importanceCell(s),
              s.basis === 'narrower' && s.reason
                ? h('span', { class: 'block small gap-narrower' }, narrowerReason(s))
                : h('span', { class: 'block small' }, t('inf.probability', { score: num(s.probability, 2) })))))),
          g.probably_held && g.probably_held.method
            ? h('p', { class: 'muted small' }, tmsg(g.probably_held.method)) : null) : null),
      h('section', { class: 'gap-transfer', 'aria-labelledby': `${idPrefix}-transfer` },
        h(H, { id: `${idPrefix}-transfer` }, t('gap.transfer_title', { n: int(g.transfer_count ?? transfers.length), exact: int(g.transfer_exact_count ?? 0) })),
        transfers.length ? h('ul', { class: 'gap-list' }, transfers.map((s) => h('li', {},
          h('span', { class: 'gap-skill' }, skillLink(s), s.essential ? null : h('span', { class: 'tag' }, t('gap.optional'))),
          h('span', { class: 'gap-meta' },
            s.held ? t('gap.held') : t('gap.via', { via: text(s.via), cover: pct(s.cover) })))))
          : h('p', {}, t('gap.nothing_transfers')))),
    exportButtons(`fow-gap-${g.to ? occupationId(g.to) : 'move'}`, rows,
      ['kind', 'skill', 'uri', 'essential', 'held', 'cover', 'via', 'importance', 'probability']),
    provenanceNote(g.provenance));
}

/**
 * What a printed plan says about itself (shown on paper only, see the print
 * stylesheet): the date, the short address of this page, where the figures
 * come from and how they are computed.
 */
function printedPlanHead() {
  const date = new Intl.DateTimeFormat(locale(), { dateStyle: 'long' }).format(new Date());
  return h('div', { class: 'print-only print-head' },
    h('p', { class: 'print-title' }, t('print.plan_title')),
    h('p', {}, t('print.plan_date', { date })));
}

function printedPlanSources(g) {
  const p = g.provenance || {};
  const model = p.risk_model === 'frey-osborne' ? t('model.frey-osborne') : t('model.mcc');
  return h('section', { class: 'print-only print-sources' },
    h('h2', {}, t('print.sources_title')),
    h('dl', {},
      h('dt', {}, t('print.address')), h('dd', { 'data-name': '' }, location.href),
      h('dt', {}, t('prov.similarity')), h('dd', {}, msgText(p.similarity_message || p.similarity)),
      h('dt', {}, t('prov.thresholds')),
      h('dd', {}, t('prov.thresholds_text', { viable: num(p.viable_from), highly: num(p.highly_viable_from) })),
      h('dt', {}, t('prov.risk', { model })), h('dd', { lang: 'en', 'data-name': '' }, text(p.risk_source || null)),
      h('dt', {}, t('prov.attributes')), h('dd', { lang: 'en', 'data-name': '' }, text(p.attributes_source || null)),
      h('dt', {}, t('print.method')), h('dd', {}, t('chart.importance_scale'), ' ', t('prov.rules_text'))));
}

/** The addresses of this page (main.js): #/path, with its menu entry. */
/** On the gap of a person's profile (?person=ID, from their case page): back to the case, and this move put in a
 * plan of theirs (a new one, or the newest open one). Staff only; others see nothing. */
function personPlanBox(person, u, to, ctx) {
  if (!u || !STAFF.includes(u.role) || !/^p[a-z2-7]{26}$/.test(person)) return null;
  const errors = h('div', { class: 'form-errors', 'aria-live': 'polite' });
  const button = h('button', {
    type: 'button', class: 'button', id: 'gap-plan-move',
    onclick: async () => {
      replace(errors);
      button.disabled = true;
      try {
        const plans = (await get(`/people/${encodeURIComponent(person)}/plans`)).plans || [];
        const open = plans.filter((x) => x.status === 'draft' || x.status === 'active').sort((a, b) => b.id - a.id)[0];
        const id = await planMove(person, to.uri, open ? open.id : null, t('case.plan_title_default', { to: to.label }));
        ctx.go(`plan/${id}`);
      } catch (err) {
        button.disabled = false;
        replace(errors, errorBox(err));
      }
    },
  }, t('case.gap_plan_button'));
  return h('div', { class: 'person-plan-box no-print' },
    h('p', {}, t('case.gap_for_person'), ' ', h('a', { href: `#/person/${encodeURIComponent(person)}` }, h('code', {}, person))),
    h('p', { class: 'hint' }, t('case.gap_plan_hint')),
    button, errors);
}

export const routes = [{ path: 'gap', nav: 'transitions' }];

export async function render(main, ctx) {
  const to = ctx.query.get('to');
  const from = ctx.query.get('from');
  const skills = ctx.query.get('skills');
  const as = ctx.query.get('as');
  ctx.setTitle(t('gap.title'));
  if (!to || (!from && !skills)) {
    append(main, pageTitle(t('gap.title')), h('p', {}, t('gap.missing_params')),
      h('p', {}, h('a', { href: '#/transitions' }, t('gap.go_transitions'))));
    return;
  }
  const body = h('div', {}, loading());
  append(main, pageTitle(t('gap.title')), body);
  try {
    const g = await get('/gap', skills ? { skills, as, to } : { from, to });
    if (!ctx.isCurrent()) return;
    const fromLabel = g.from && g.from.label ? g.from.label : t(ctx.query.get('person') ? 'case.person_skills' : 'gap.your_skills');
    const title = t('gap.title_of', { from: fromLabel, to: g.to.label });
    ctx.setTitle(title);
    document.getElementById('page-title').textContent = title;
    const back = skills
      ? `#/skills?${new URLSearchParams(as ? { as, skills } : { skills }).toString()}`
      : `#/transitions?from=${encodeURIComponent(g.from && g.from.uri ? occupationId(g.from) : from)}`;
    const unresolved = g.from && g.from.unresolved ? g.from.unresolved : [];
    const planBox = h('div', { class: 'plan-box' }, loading());
    ctx.shortenAddress({ query: { from: from && g.from && g.from.uri ? occupationId(g.from) : null, to: occupationId(g.to) } });
    const person = ctx.query.get('person');
    const user = person ? (session().checked ? session() : await refreshSession()).user : null;
    if (!ctx.isCurrent()) return;
    replace(body,
      printedPlanHead(),
      h('p', { class: 'no-print' }, h('a', { href: back }, t('gap.back')), ' · ', occLink(g.to, t('gap.open_destination', { to: g.to.label }))),
      person ? personPlanBox(person, user, g.to, ctx) : null,
      h('div', { class: 'actions no-print' },
        h('button', { type: 'button', class: 'button secondary print-button', onclick: () => window.print() }, t('print.button'))),
      unresolved.length ? h('p', { class: 'warning' }, t('gap.unresolved', { list: unresolved.map((u) => u.input).join('; ') })) : null,
      renderGap(g, { headingLevel: 2, idPrefix: 'gap-page' }),
      planBox,
      printedPlanSources(g));
    try {
      const p = await get('/plan', skills ? { skills, as, to } : { from, to });
      if (!ctx.isCurrent()) return;
      replace(planBox, renderPlan(p, { headingLevel: 2, idPrefix: 'gap-plan' }));
    } catch (err) {
      replace(planBox, errorBox(err, { context: t('plan.title') }));
    }
  } catch (err) {
    replace(body, errorBox(err));
  }
}
