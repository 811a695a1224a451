// occupation.js — one occupation: ISCO path, labels, essential and optional
// skills, risk under each model with its source and method, ISCO group
// estimates, attributes, broader and narrower occupations, similar ones.

import { h, append, replace } from '../dom.js';
import { t, lang, has } from '../i18n.js';
import { get, occupationId } from '../api.js';
import {
  pageTitle, num, int, gbp, text, errorBox, loading, table, exportButtons, occLink, skillLink,
  riskBadge, riskCategory, modelName, meter, pct,
  sim, taxonomyLabel,
} from '../ui.js';

const MODELS = ['mcc', 'frey-osborne'];

/** The preferred label in the interface language, when the data has one. */
export function localLabel(detail) {
  const mine = (detail.labels || []).find((l) => l.lang === lang() && l.preferred);
  return mine ? mine.label : null;
}

function methodText(r) {
  const m = r.method || '';
  let s;
  if (m === 'own') s = t('method.own');
  else if (m === 'inherited') s = t('method.inherited');
  else if (m === 'crosswalk-onet') s = t('method.crosswalk_onet');
  else if (m === 'crosswalk-isco') s = t('method.crosswalk_isco');
  else s = m || t('common.unknown');
  return h('span', {}, s,
    r.inherited_from ? [' ', t('method.from'), ' ', occLink(r.inherited_from)] : null,
    r.detail ? h('span', { class: 'muted small block', lang: 'en' }, r.detail) : null);
}

function sourceText(s) {
  if (!s || !s.name) return text(null);
  return h('span', { lang: 'en', 'data-name': '' }, `${s.name}${s.version ? ` (${s.version})` : ''}${s.licence ? ` · ${s.licence}` : ''}`);
}

function riskValue(r) {
  if (!r || r.risk === null || r.risk === undefined) return text(null);
  if (r.model === 'frey-osborne') return `${num(r.risk, 2)} (${pct(r.risk)})`;
  return num(r.risk, 2);
}

/** What each risk model says, in plain words, and why they can disagree. */
function riskExplained(d) {
  const mcc = (d.risk || []).find((x) => x.model === 'mcc');
  const fo = (d.risk || []).find((x) => x.model === 'frey-osborne');
  let verdict = null;
  if (mcc && fo && mcc.category && fo.risk !== null && fo.risk !== undefined) {
    const mccHigh = mcc.category === 'High risk';
    const foHigh = fo.risk >= 0.7;
    verdict = h('p', { class: 'risk-verdict' }, t(mccHigh === foHigh ? 'rx.agree' : 'rx.disagree', {
      mcc: riskCategory(mcc.category), fo: pct(fo.risk),
    }));
  }
  return h('details', { class: 'risk-explained' },
    h('summary', {}, t('rx.title')),
    h('p', {}, h('strong', {}, `${modelName('mcc')}: `), t('rx.mcc')),
    h('p', {}, h('strong', {}, `${modelName('frey-osborne')}: `), t('rx.fo')),
    h('p', {}, t('rx.why')),
    verdict,
    h('p', { class: 'muted small' }, t('rx.safe')));
}

function riskSection(d) {
  const rows = MODELS.map((model) => {
    const r = (d.risk || []).find((x) => x.model === model);
    return { model, r };
  });
  return h('section', { class: 'section', 'aria-labelledby': 'risk-h' },
    h('h2', { id: 'risk-h' }, t('occ.risk_title')),
    h('p', {}, t('occ.risk_text')),
    h('div', { class: 'risk-cards' }, rows.map(({ model, r }) => h('article', { class: 'risk-card', 'aria-labelledby': `risk-${model}` },
      h('h3', { id: `risk-${model}` }, modelName(model)),
      h('dl', { class: 'facts-dl' },
        h('dt', {}, t('occ.risk_value')), h('dd', { class: 'big' }, riskValue(r)),
        h('dt', {}, t('occ.risk_scale')), h('dd', {}, model === 'mcc' ? t('occ.scale_mcc') : t('occ.scale_fo')),
        model === 'mcc' ? [h('dt', {}, t('occ.risk_category')), h('dd', {}, r && r.category ? riskBadge(r.category) : text(null))] : null,
        model === 'mcc' ? [h('dt', {}, t('occ.prevalence')), h('dd', {}, r ? pct(r.prevalence) : text(null))] : null,
        h('dt', {}, t('occ.method')), h('dd', {}, r ? methodText(r) : text(null)),
        h('dt', {}, t('occ.source')), h('dd', {}, r ? sourceText(r.source) : t('occ.no_source')))))),
    riskExplained(d),
    (d.isco_group_risk || []).length ? table(t('occ.group_risk_caption'), [
      { key: 'isco_code', label: t('occ.isco_group') },
      { key: 'model', label: t('occ.model'), render: (r) => modelName(r.model) },
      { key: 'risk', label: t('occ.risk_value'), num: true, render: (r) => num(r.risk, 2) },
      { key: 'category', label: t('occ.risk_category'), render: (r) => riskCategory(r.category) },
      { key: 'prevalence', label: t('occ.prevalence'), num: true, render: (r) => pct(r.prevalence) },
      { key: 'source', label: t('occ.source'), render: (r) => sourceText(r.source) },
    ], d.isco_group_risk) : null);
}

/* An attribute's value with its scale named next to it: "1.92 on a scale of 1 (…) to 12 (…)"
 * (the ranges of the MCC attributes, data/README and the attributes importer). */
function scaled(v, digits, key) {
  if (v === null || v === undefined) return text(null);
  return h('span', { class: 'scaled' }, h('strong', {}, num(v, digits)), ' ', h('span', { class: 'muted' }, t(key)));
}

function attributesSection(d) {
  const a = d.attributes;
  const row = (k, v) => [h('dt', {}, t(k)), h('dd', {}, v)];
  return h('section', { class: 'section', 'aria-labelledby': 'attr-h' },
    h('h2', { id: 'attr-h' }, t('occ.attributes_title')),
    a ? h('dl', { class: 'facts-dl two-col' },
      row('attr.job_zone', scaled(a.job_zone, 1, 'chart.scale_job_zone')),
      row('attr.education_level', scaled(a.education_level, 2, 'chart.scale_education')),
      row('attr.related_work_experience', scaled(a.related_work_experience, 2, 'chart.scale_experience')),
      row('attr.on_the_job_training', scaled(a.on_the_job_training, 2, 'chart.scale_training')),
      row('attr.earnings', a.annual_earnings_gbp == null ? text(null) : h('span', {}, gbp(a.annual_earnings_gbp), ' ', h('span', { class: 'muted small' }, t('attr.earnings_note')))),
      row('attr.remote', scaled(a.remote_labor_index, 2, 'chart.scale_remote')),
      row('attr.proximity', scaled(a.physical_proximity, 2, 'chart.scale_proximity')),
      row('attr.sector', h('span', { lang: 'en', 'data-taxonomy-label': '' }, text(a.skills_sector))),
      row('attr.subsector', h('span', { lang: 'en', 'data-taxonomy-label': '' }, text(a.skills_subsector))),
      row('occ.method', methodText(a)),
      row('occ.source', sourceText(a.source))) : h('p', {}, t('occ.no_attributes')),
    h('p', { class: 'source-note' }, t('attr.scales_note'), ' ', t('chart.scales_mean')));
}

function skillsSection(d) {
  const skills = d.skills || [];
  const essential = skills.filter((s) => s.relation === 'essential');
  const optional = skills.filter((s) => s.relation !== 'essential');
  const list = (items) => h('ul', { class: 'skill-list' }, items.map((s) => h('li', {},
    skillLink(s), s.skill_type === 'knowledge' ? h('span', { class: 'tag' }, t('skill.knowledge')) : null)));
  return h('section', { class: 'section', 'aria-labelledby': 'skills-h' },
    h('h2', { id: 'skills-h' }, t('occ.skills_title')),
    h('div', { class: 'split' },
      h('div', {}, h('h3', {}, t('occ.essential', { n: int(essential.length) })), essential.length ? list(essential) : h('p', {}, t('occ.none'))),
      h('div', {}, h('h3', {}, t('occ.optional', { n: int(optional.length) })), optional.length ? list(optional) : h('p', {}, t('occ.none')))),
    exportButtons(`fow-skills-${occupationId(d)}`, () => skills.map((s) => ({
      occupation: d.label, relation: s.relation, skill: s.label, uri: s.uri, type: s.skill_type,
    }))));
}

function labelsSection(d) {
  const labels = d.labels || [];
  if (!labels.length) return null;
  const byLang = new Map();
  for (const l of labels) {
    if (!byLang.has(l.lang)) byLang.set(l.lang, []);
    byLang.get(l.lang).push(l);
  }
  return h('details', { class: 'section labels' },
    h('summary', {}, t('occ.labels_title', { n: int(labels.length) })),
    [...byLang.entries()].map(([code, ls]) => h('div', {},
      h('h3', {}, t(`langname.${code}`).startsWith('[') ? code : t(`langname.${code}`)),
      h('ul', { class: 'inline-list', lang: code, 'data-taxonomy-label': '' }, ls.map((l) => h('li', { class: l.preferred ? 'preferred' : null }, l.label))))));
}

function familySection(d) {
  const parents = d.parents || [];
  const children = d.children || [];
  if (!parents.length && !children.length) return null;
  return h('section', { class: 'section', 'aria-labelledby': 'fam-h' },
    h('h2', { id: 'fam-h' }, t('occ.family_title')),
    parents.length ? [h('h3', {}, t('occ.broader')), h('ul', {}, parents.map((p) => h('li', {}, occLink(p))))] : null,
    children.length ? [h('h3', {}, t('occ.narrower')), h('ul', {}, children.map((c) => h('li', {}, occLink(c))))] : null);
}

async function similarSection(box, id, ctx) {
  try {
    const res = await get(`/occupations/${encodeURIComponent(id)}/similar`, { limit: 10 });
    if (!ctx.isCurrent()) return;
    const rows = res.similar || [];
    replace(box,
      h('h2', { id: 'sim-h' }, t('occ.similar_title')),
      h('p', {}, t('occ.similar_text')),
      table(t('occ.similar_caption'), [
        { key: 'label', label: t('col.occupation'), render: (r) => occLink(r) },
        { key: 'similarity', label: t('col.similarity'), num: true, render: (r) => h('span', { class: 'with-meter' }, meter(r.similarity), sim(r.similarity)) },
        { key: 'jaccard', label: t('col.jaccard'), num: true, render: (r) => sim(r.jaccard) },
        { key: 'risk_category_mcc', label: t('col.risk_mcc'), render: (r) => riskBadge(r.risk_category_mcc) },
      ], rows),
      exportButtons(`fow-similar-${id}`, () => rows));
  } catch (err) {
    replace(box, h('h2', { id: 'sim-h' }, t('occ.similar_title')), errorBox(err));
  }
}

/** The addresses of this page (main.js): #/path, with its menu entry. */
export const routes = [{ path: 'occupation/:id' }];

export async function render(main, ctx) {
  const id = ctx.params.id;
  append(main, loading());
  let d;
  try {
    d = await get(`/occupations/${encodeURIComponent(id)}`);
  } catch (err) {
    if (!ctx.isCurrent()) return;
    ctx.setTitle(t('occ.not_found'));
    replace(main, pageTitle(t('occ.not_found')), errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const local = localLabel(d);
  const title = local || d.label;
  ctx.setTitle(title);
  const oid = occupationId(d);
  if (oid && oid !== id) ctx.shortenAddress({ segments: { 1: oid } }); /* a whole URI became the short id */
  const simBox = h('section', { class: 'section', 'aria-labelledby': 'sim-h' }, h('h2', { id: 'sim-h' }, t('occ.similar_title')), loading());
  replace(main,
    h('nav', { class: 'crumbs', 'aria-label': t('occ.isco_path') },
      h('ol', {}, (d.isco_path || []).map((g) => h('li', {},
        h('a', { href: `#/upskill?group=${encodeURIComponent(g.code)}` }, h('span', { class: 'code' }, g.code), ' ',
          // the ten ISCO-08 major groups are in the strings; the taxonomy has the other titles in its language only
          g.label_untranslated && has(`obs.cell_major_${g.code}`) ? t(`obs.cell_major_${g.code}`) : taxonomyLabel(g)))))),
    pageTitle(title),
    h('p', { class: 'lead' },
      local && d.label_source && local !== d.label_source ? h('span', { lang: 'en', 'data-taxonomy-label': '' }, `${d.label_source} · `) : null,
      t('occ.code', { code: text(d.code) }), ' · ',
      t('occ.taxonomy_source', { source: d.source ? `${d.source.name} (${d.source.version})` : t('common.unknown') })),
    d.description ? h('p', { class: 'description', lang: 'en', 'data-taxonomy-label': '' }, d.description) : null,
    h('div', { class: 'actions' },
      h('a', { class: 'button', href: `#/transitions?from=${encodeURIComponent(oid)}&safe=1&desirable=1` }, t('occ.action_transitions')),
      h('a', { class: 'button secondary', href: `#/upskill?id=${encodeURIComponent(oid)}` }, t('occ.action_upskill'))),
    riskSection(d),
    attributesSection(d),
    skillsSection(d),
    familySection(d),
    simBox,
    labelsSection(d));
  similarSection(simBox, oid, ctx);
}
