// skill.js — one skill (/api/v1/skills/{id}): its kind and flags, its
// weight in the similarity measure, the occupations that require it, and
// the related skills that give partial credit (with how they were found).

import { h, append, replace } from '../dom.js';
import { t, tp } from '../i18n.js';
import { get } from '../api.js';
import { pageTitle, num, int, sim, errorBox, loading, occLink, skillLink, table, exportButtons } from '../ui.js';

/** The addresses of this page (main.js): #/path, with its menu entry. */
export const routes = [{ path: 'skill/:id' }];

export async function render(main, ctx) {
  const id = ctx.params.id;
  append(main, loading());
  let s;
  try {
    s = await get(`/skills/${encodeURIComponent(id)}`);
  } catch (err) {
    if (!ctx.isCurrent()) return;
    ctx.setTitle(t('skill.not_found'));
    replace(main, pageTitle(t('skill.not_found')), errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  ctx.setTitle(s.label);
  const flags = ['green', 'digital', 'transversal', 'language'].filter((f) => s[f]);
  const occList = (items) => h('ul', { class: 'skill-list' }, items.map((o) => h('li', {}, occLink(o),
    o.code ? h('span', { class: 'muted small' }, ` · ISCO ${o.code}`) : null)));
  replace(main,
    pageTitle(s.label),
    h('p', { class: 'lead' }, s.type === 'knowledge' ? t('skill.knowledge') : t('skill.competence'),
      flags.length ? [' · ', flags.map((f) => t(`skill.flag_${f}`)).join(', ')] : null),
    s.uri ? h('p', { class: 'muted small' }, t('skill.uri'), ' ', /^https?:/.test(s.uri) ? h('a', { href: s.uri, rel: 'noopener' }, s.uri) : h('span', { 'data-name': '' }, s.uri)) : null,
    h('div', { class: 'actions' },
      h('a', { class: 'button', href: `#/skills?skills=${encodeURIComponent(s.label)}` }, t('skill.use_as_mine'))),
    h('section', { class: 'section', 'aria-labelledby': 'w-h' },
      h('h2', { id: 'w-h' }, t('skill.weight_title')),
      h('p', {}, tp('skill.weight_text', (s.essential_for || []).length + (s.optional_for || []).length, { w: num(s.weight, 2) }))),
    h('section', { class: 'section', 'aria-labelledby': 'req-h' },
      h('h2', { id: 'req-h' }, t('skill.required_title')),
      h('div', { class: 'split' },
        h('div', {}, h('h3', {}, t('skill.essential_for', { n: int((s.essential_for || []).length) })),
          (s.essential_for || []).length ? occList(s.essential_for) : h('p', {}, t('occ.none'))),
        h('div', {}, h('h3', {}, t('skill.optional_for', { n: int((s.optional_for || []).length) })),
          (s.optional_for || []).length ? occList(s.optional_for) : h('p', {}, t('occ.none')))),
      exportButtons(`fow-skill-occupations`, () => [
        ...(s.essential_for || []).map((o) => ({ skill: s.label, relation: 'essential', ...o })),
        ...(s.optional_for || []).map((o) => ({ skill: s.label, relation: 'optional', ...o })),
      ])),
    h('section', { class: 'section', 'aria-labelledby': 'rel-h' },
      h('h2', { id: 'rel-h' }, t('skill.related_title')),
      h('p', {}, t('skill.related_text')),
      (s.related || []).length ? table(t('skill.related_caption', { skill: s.label }), [
        { key: 'label', label: t('col.skill'), render: (r) => skillLink(r) },
        { key: 'strength', label: t('skill.strength'), num: true, render: (r) => sim(r.strength) },
        { key: 'sources', label: t('skill.found_by'), render: (r) => (r.sources || []).map((x) => t(`skill.source_${x === 'co-occurrence' ? 'cooc' : 'words'}`)).join(', ') },
      ], s.related) : h('p', {}, t('skill.no_related'))));
}
