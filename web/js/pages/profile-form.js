// profile-form.js — the worker's profile in the "My skills" form: the
// worker's current occupation (the `as` the moves are judged against) and
// the skills they have, ticked from the occupation's ESCO skills and the
// skills it probably involves (GET /occupations/{id}/probable-skills).
// The profile lives in the address: as=<occupation id>&skills=<id;id;...>
// (skill ids are the last segment of their URI, else their label), so it
// survives going to a gap and back. A module without routes: used by
// transitions.js.

import { h, replace, newId } from '../dom.js';
import { t, tp, tmsg } from '../i18n.js';
import { get, occupationId } from '../api.js';
import { combobox } from '../combobox.js';
import { num, int, occLink, errorBox } from '../ui.js';

/** The short id of a skill in a profile's address: its URI's last segment (after '/' or ':'), else its label. */
export function profileSkillId(s) {
  const uri = (s && s.uri) || '';
  const cut = Math.max(uri.lastIndexOf('/'), uri.lastIndexOf(':'));
  if (uri && cut >= 0 && cut < uri.length - 1) return uri.slice(cut + 1);
  return uri || (s && s.label) || '';
}

/** The short id of an occupation in a profile's address: its code, else its usual id. */
export function profileOccupationId(o) {
  return (o && o.code) || occupationId(o);
}

/** The skills of an occupation's profile as first offered: essential and probable ones ticked. */
export function defaultProfileSkills(doc) {
  return [...(doc.essential || []), ...(doc.probable || [])].map(profileSkillId);
}

/** Loads the occupation's listed and probable skills; null when as is empty. */
export async function loadProfile(as) {
  if (!as) return null;
  return get(`/occupations/${encodeURIComponent(as)}/probable-skills`);
}

function sameSkill(item, key) {
  const k = String(key).toLowerCase();
  return profileSkillId(item).toLowerCase() === k || String(item.label || '').toLowerCase() === k
    || String(item.uri || '').toLowerCase() === k;
}

/**
 * The occupation field and the checklist.
 * profileForm({as, doc, error, skills, onOccupation(id)}) → {element, ticked(), others(list)}
 *   doc: the probable-skills document of `as` (or null); skills: the skill keys in the address
 *   (null: none given, then the default profile is ticked). ticked() gives the ids ticked;
 *   others(list) the keys of list that are not in the checklist (shown as chips by the caller).
 */
export function profileForm({ as, doc, error, skills, onOccupation }) {
  const cb = combobox({
    id: 'profile-occupation', label: t('inf.occupation_label'), hint: t('inf.occupation_hint'), kind: 'occupation',
    placeholder: t('tr.origin_placeholder'),
    onSelect: (hit) => onOccupation(profileOccupationId(hit)),
  });
  const current = h('p', { class: 'muted', id: 'profile-current' });
  if (doc) {
    replace(current, t('inf.occupation_current'), ' ', h('strong', {}, occLink(doc.occupation)), ' ',
      h('button', {
        type: 'button', class: 'btn-small', onclick: () => onOccupation(null),
      }, t('inf.occupation_clear')));
  } else if (error) {
    replace(current, errorBox(error));
  } else {
    current.textContent = as ? t('tr.origin_loading') : t('inf.occupation_none');
  }
  const boxes = [];
  const group = (key, items, tickedByDefault, extra) => {
    if (!items.length) return null;
    const legendId = newId('pg');
    return h('fieldset', { class: `profile-group profile-${key}`, 'aria-describedby': `${legendId}-hint` },
      h('legend', {}, tp(`inf.group_${key}`, items.length)),
      h('p', { class: 'hint', id: `${legendId}-hint` }, t(`inf.group_${key}_hint`)),
      h('ul', { class: 'profile-list' }, items.map((item) => {
        const id = newId('ps');
        const checked = skills ? skills.some((k) => sameSkill(item, k)) : tickedByDefault;
        const box = h('input', { type: 'checkbox', id, value: profileSkillId(item), checked, dataset: { group: key } });
        boxes.push({ box, item });
        return h('li', { class: 'check' }, box,
          h('label', { for: id }, item.label_local || item.label),
          extra ? extra(item) : null);
      })));
  };
  let list = null;
  if (doc) {
    const probableNote = (p) => h('span', { class: 'hint block' },
      h('span', { class: 'tag tag-probable' }, t('inf.confirm')), ' ',
      p.example
        ? tp('inf.probable_why', doc.method.params.neighbours, { n: int(p.neighbours_listing), k: int(doc.method.params.neighbours), example: p.example.label_local || p.example.label, score: num(p.score, 2) })
        : t('inf.probable_related', { via: p.via_local || p.via || '', score: num(p.score, 2) }));
    list = h('div', { class: 'profile' },
      group('essential', doc.essential || [], true),
      group('probable', doc.probable || [], true, probableNote),
      (doc.probable || []).length ? null : h('p', { class: 'muted small' }, t('inf.no_probable')),
      group('optional', doc.optional || [], false),
      h('p', { class: 'muted small' }, tmsg(doc.method)));
  }
  const element = h('div', { class: 'profile-form' }, cb.element, current, list);
  return {
    element,
    ticked: () => boxes.filter((b) => b.box.checked).map((b) => profileSkillId(b.item)),
    others: (keys) => keys.filter((k) => !boxes.some((b) => sameSkill(b.item, k))),
    count: () => boxes.filter((b) => b.box.checked).length,
    focus: () => cb.focus(),
  };
}
