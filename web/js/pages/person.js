// person.js — a person's case for staff (#/person/ID; counsellors reach the
// people of their organisation, administrators everyone; docs/people.md):
// their record (GET /api/v1/people/{id}, read with a reason the server
// writes to the audit log), consents given and withdrawn per purpose, the
// skills profile with where each skill comes from (ticked from their
// occupation's skills, found by search, inferred from the occupation,
// removed), the moves from that profile (GET /api/v1/people/{id}/transitions)
// each with its gap and a button that puts it in a plan, enrolments in
// cohorts (enrol, cancel; GET /api/v1/people/{id}/enrolments), completions
// and credentials, and plans (list, new). The record changes through its
// edit form (PATCH /api/v1/people/{id}: only the fields changed are sent).
// Every read and change is audited by the server.

import { h, append, replace, newId, announce } from '../dom.js';
import { t, tp, lang } from '../i18n.js';
import { get, post, del, patch, occupationId, apiUrl } from '../api.js';
import { combobox } from '../combobox.js';
import {
  pageTitle, errorBox, loading, table, text, dateTime, int, sim, tri, taxonomyLabel, occLink, meter,
} from '../ui.js';
import { userWithRole } from './modules-common.js';
import { STAFF, PURPOSES, STATUSES } from './people.js';
import { profileSkillId } from './profile-form.js';
import { dates as cohortDates, moduleTitle as cohortModuleTitle } from './cohort-common.js';
import { targetLabels } from './plan.js';

/** The addresses of this page (main.js): #/person/ID, no menu entry. */
export const routes = [{ path: 'person/:id' }];

/** Why the case page reads the record (the audit log's reason). */
const READ_REASON = 'case page (web app)';
const PLAN_OPEN = ['draft', 'active'];

/** The hash of the gap page from a person's skills profile to occupation to. */
export function personGapHref(person, skills, to) {
  const ids = [...new Set(skills.map((s) => profileSkillId({ uri: s.skill, label: s.label })))];
  const q = new URLSearchParams({ skills: ids.join(';'), to, person: person.id });
  if (person.occupation) q.set('as', occupationId(person.occupation));
  return `#/gap?${q.toString()}`;
}

/**
 * Puts the move to occupation (a URI, code or label) in a plan of person:
 * in plan planId, or in a new plan titled title when planId is null.
 * Resolves to the plan's id. The server computes the gap from the
 * person's profile and the modules that close it (docs/plans.md).
 */
export async function planMove(personId, occupation, planId, title) {
  let id = planId;
  if (!id) {
    const plan = await post(`/people/${encodeURIComponent(personId)}/plans`, { title });
    id = plan.id;
  }
  await post(`/plans/${id}/moves`, { occupation });
  return id;
}

function orNone(value) {
  return value === null || value === undefined || value === '' ? h('span', { class: 'hint' }, t('case.not_recorded')) : text(value);
}

/* ---- the record's edit form (PATCH /api/v1/people/{id}) ---------------------------- */

/** The fields of the form that differ from the record p: {field: value or null (cleared)}. */
function changedFields(p, values) {
  const body = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined) continue; // not touched (the occupation when none was chosen)
    const before = p[key] === undefined || p[key] === '' ? null : p[key];
    if (value !== before) body[key] = value;
  }
  return body;
}

function editForm(p, refresh) {
  const id = (name) => newId(`person-edit-${name}`);
  const ids = { name: id('name'), contact: id('contact'), birth: id('birth'), sex: id('sex'), area: id('area'), status: id('status'), clear: id('occ-clear') };
  const field = (key, label, input, hint) => h('div', { class: 'field' }, h('label', { for: ids[key] }, label),
    hint ? h('span', { class: 'hint block' }, hint) : null, input);
  const name = h('input', { id: ids.name, type: 'text', maxlength: '200', autocomplete: 'off', value: p.name || '' });
  const contact = h('input', { id: ids.contact, type: 'text', maxlength: '200', autocomplete: 'off', value: p.contact || '' });
  const birth = h('input', { id: ids.birth, type: 'number', min: '1900', max: String(new Date().getFullYear()), inputmode: 'numeric', value: p.birth_year ? String(p.birth_year) : '' });
  const sex = h('select', { id: ids.sex },
    h('option', { value: '' }, t('case.sex_not_stated')),
    ['female', 'male', 'other'].map((s) => h('option', { value: s, selected: p.sex === s }, t(`case.sex_${s}`))));
  const area = h('input', { id: ids.area, type: 'text', maxlength: '64', value: p.area || '' });
  const status = h('select', { id: ids.status },
    STATUSES.map((s) => h('option', { value: s, selected: (p.employment_status || 'unknown') === s }, t(`case.status_${s}`))));
  let occupation; // undefined: unchanged; an occupation chosen: its URI
  const occupationNote = h('p', { class: 'muted small' }, t('p13.occupation_now'), ' ',
    p.occupation ? h('strong', { class: 'case-occupation' }, taxonomyLabel(p.occupation)) : t('case.occupation_none'));
  const occ = combobox({
    id: 'person-edit-occupation', label: t('case.occupation'), kind: 'occupation', placeholder: t('tr.origin_placeholder'),
    onSelect: (hit) => {
      occupation = hit.uri;
      clear.checked = false;
      replace(occupationNote, t('case.occupation_chosen'), ' ', h('strong', {}, taxonomyLabel(hit)));
    },
  });
  const clear = h('input', { type: 'checkbox', id: ids.clear, disabled: !p.occupation });
  const errors = h('div', { class: 'form-errors', 'aria-live': 'polite' });
  const inputs = { name, contact, birth_year: birth, sex, area, employment_status: status };
  const form = h('form', { class: 'person-edit', novalidate: true },
    h('p', { class: 'hint' }, t('p13.edit_hint')),
    h('div', { class: 'split' },
      field('name', t('case.name'), name, t('case.name_hint')),
      field('contact', t('case.contact'), contact, t('case.name_hint'))),
    h('div', { class: 'split' },
      field('birth', t('case.birth_year'), birth),
      field('sex', t('case.sex'), sex, t('case.sex_hint'))),
    h('div', { class: 'split' },
      field('area', t('case.area'), area),
      field('status', t('case.employment_status'), status)),
    occ.element, occupationNote,
    h('div', { class: 'check' }, clear, h('label', { for: ids.clear }, t('p13.occupation_clear'))),
    h('p', { class: 'hint' }, t('p13.edit_org_note')),
    errors,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('p13.edit_submit'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    replace(errors);
    for (const input of Object.values(inputs)) input.removeAttribute('aria-invalid');
    const body = changedFields(p, {
      name: name.value.trim() || null,
      contact: contact.value.trim() || null,
      birth_year: birth.value ? Number(birth.value) : null,
      sex: sex.value || null,
      area: area.value.trim() || null,
      employment_status: status.value,
    });
    if (clear.checked) body.occupation = null;
    else if (occupation !== undefined && (!p.occupation || occupation !== p.occupation.uri)) body.occupation = occupation;
    const fields = Object.keys(body);
    if (!fields.length) {
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('p13.edit_nothing')));
      return;
    }
    try {
      await patch(`/people/${encodeURIComponent(p.id)}`, body);
      announce(t('p13.edit_saved', { fields: fields.map((f) => t(`p13.field_${f}`)).join(', ') }));
      refresh();
    } catch (err) {
      const input = err.field && inputs[err.field];
      if (input) {
        input.setAttribute('aria-invalid', 'true');
        input.focus();
      }
      replace(errors, errorBox(err));
    }
  });
  return h('details', { class: 'form-fold person-edit-fold no-print' }, h('summary', {}, t('p13.edit_title')), form);
}

function recordSection(p, refresh) {
  const rows = [
    [t('case.id'), h('code', {}, p.id)],
    [t('case.name'), p.name ? h('span', { 'data-name': '' }, p.name) : orNone(null)],
    [t('case.contact'), p.contact ? h('span', { 'data-name': '' }, p.contact) : orNone(null)],
    [t('case.birth_year'), orNone(p.birth_year)],
    [t('case.sex'), p.sex ? t(`case.sex_${p.sex}`) : orNone(null)],
    [t('case.area'), p.area ? h('span', { 'data-name': '' }, p.area) : orNone(null)],
    [t('case.occupation'), p.occupation ? h('span', { class: 'case-occupation' }, occLink(p.occupation)) : orNone(null)],
    [t('case.employment_status'), p.employment_status ? t(`case.status_${p.employment_status}`) : orNone(null)],
    [t('case.organisation'), h('span', { 'data-name': '' }, text(p.organisation))],
    [t('case.created'), t('case.created_by', { at: dateTime(p.created_at), by: p.created_by || '—' })],
  ];
  return h('section', { class: 'section', 'aria-labelledby': 'case-record' },
    h('h2', { id: 'case-record' }, t('case.record_title')),
    h('p', { class: 'hint' }, t('case.record_note')),
    h('dl', { class: 'facts-dl case-record' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    h('p', {}, h('a', {
      href: apiUrl(`/people/${encodeURIComponent(p.id)}/export`, { reason: 'export asked for on the case page' }),
      download: `person-${p.id}.json`, class: 'btn-small',
    }, t('case.export'))),
    editForm(p, refresh));
}

/* ---- consents -------------------------------------------------------------------- */

function consentsSection(p, consents, refresh) {
  const latest = (purpose) => consents.filter((c) => c.purpose === purpose).slice(-1)[0] || null;
  const errors = h('div', { class: 'form-errors', 'aria-live': 'polite' });
  const versionId = newId('consent-version');
  const version = h('input', { id: versionId, type: 'text', maxlength: '64' });
  const act = async (purpose, give) => {
    replace(errors);
    try {
      if (give) {
        if (!version.value.trim()) {
          replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('case.text_version_needed')));
          version.focus();
          return;
        }
        await post(`/people/${encodeURIComponent(p.id)}/consents`, { purpose, text_version: version.value.trim() });
        announce(t('case.consent_given_now', { purpose: t(`case.purpose_${purpose}`) }));
      } else {
        await del(`/people/${encodeURIComponent(p.id)}/consents/${purpose}`);
        announce(t('case.consent_withdrawn_now', { purpose: t(`case.purpose_${purpose}`) }));
      }
      refresh();
    } catch (err) {
      replace(errors, errorBox(err));
    }
  };
  const rows = PURPOSES.map((purpose) => ({ purpose, inForce: !!(p.consent && p.consent[purpose]), last: latest(purpose) }));
  return h('section', { class: 'section', 'aria-labelledby': 'case-consents' },
    h('h2', { id: 'case-consents' }, t('case.consents')),
    h('p', { class: 'hint' }, t('case.consents_note')),
    table(t('case.consents'), [
      { key: 'purpose', label: t('case.purpose'), render: (r) => t(`case.purpose_${r.purpose}`) },
      { key: 'state', label: t('case.consent_state'), render: (r) => h('span', { class: `badge ${r.inForce ? 'badge-yes' : 'badge-no'}`, dataset: { purpose: r.purpose } },
        r.inForce ? t('case.in_force') : (r.last ? t('case.withdrawn') : t('case.never_given'))) },
      { key: 'when', label: t('case.consent_when'), render: (r) => (!r.last ? '—' : r.inForce
        ? t('case.given_on', { at: dateTime(r.last.given_at), version: r.last.text_version, by: r.last.given_by })
        : t('case.withdrawn_on', { at: dateTime(r.last.withdrawn_at), by: r.last.withdrawn_by || '—' })) },
      { key: 'action', label: t('case.action'), render: (r) => h('button', {
        type: 'button', class: 'btn-small', dataset: { consent: r.purpose },
        'aria-label': `${r.inForce ? t('case.withdraw') : t('case.give')}: ${t(`case.purpose_${r.purpose}`)}`,
        onclick: () => act(r.purpose, !r.inForce),
      }, r.inForce ? t('case.withdraw') : t('case.give')) },
    ], rows, { className: 'consents-table' }),
    h('div', { class: 'field' }, h('label', { for: versionId }, t('case.text_version')),
      h('span', { class: 'hint block' }, t('case.text_version_hint')), version),
    errors,
    consents.length ? h('details', { class: 'provenance' },
      h('summary', {}, tp('case.consent_history', consents.length)),
      h('ul', {}, consents.map((c) => h('li', {}, t('case.history_line', {
        purpose: t(`case.purpose_${c.purpose}`), version: c.text_version, given: dateTime(c.given_at), by: c.given_by,
      }), c.withdrawn_at ? ` — ${t('case.withdrawn_on', { at: dateTime(c.withdrawn_at), by: c.withdrawn_by || '—' })}` : '')))) : null);
}

/* ---- the skills profile --------------------------------------------------------------- */

/* The record of GET /api/v1/people/{id} and its skills (with ?lang=, api.js) name the
 * occupation and skills in the page's language where the taxonomy has them (label_local),
 * else in the taxonomy's own, marked (label_lang); the moves document (firstMoves) carries
 * the same labels, preferred here when it has the skill. */
function labelsOf(moves) {
  const recognised = (moves && moves.skills && moves.skills.recognised) || [];
  return new Map(recognised.map((s) => [s.uri, s]));
}

async function skillsSection(box, p, ctx, refresh, skillsAsked, firstMoves) {
  const title = () => h('h2', { id: 'case-skills' }, t('case.skills_title'));
  replace(box, title(), loading());
  if (!(p.consent && p.consent.counselling)) {
    replace(box, title(), h('p', { class: 'warning', role: 'note' }, t('case.skills_need_consent')));
    return null;
  }
  let skills;
  let probable = null;
  let moves = null;
  try {
    [skills, probable, moves] = await Promise.all([
      skillsAsked,
      p.occupation ? get(`/occupations/${encodeURIComponent(occupationId(p.occupation))}/probable-skills`).catch(() => null) : null,
      firstMoves,
    ]);
  } catch (err) {
    if (ctx.isCurrent()) replace(box, title(), errorBox(err));
    return null;
  }
  if (!ctx.isCurrent()) return null;
  const labels = labelsOf(moves && !moves.error ? moves : null);
  if (probable && probable.occupation) {
    for (const el of document.querySelectorAll('.case-occupation')) replace(el, occLink(probable.occupation));
  }
  const occName = p.occupation ? ((probable && probable.occupation) || p.occupation).label : '';
  const labelOf = (s) => (labels.get(s.skill) || s).label || s.skill;
  const skillName = (s) => (labels.has(s.skill) ? taxonomyLabel(labels.get(s.skill)) : s.label ? taxonomyLabel(s) : text(s.skill));
  const errors = h('div', { class: 'form-errors', 'aria-live': 'polite' });
  const held = new Set(skills.map((s) => s.skill));
  const change = async (fn, said) => {
    replace(errors);
    try {
      await fn();
      announce(said);
      refresh();
    } catch (err) {
      replace(errors, errorBox(err));
    }
  };
  const personPath = `/people/${encodeURIComponent(p.id)}/skills`;
  const removeButton = (s) => h('button', {
    type: 'button', class: 'btn-small skill-remove',
    'aria-label': t('case.skill_remove_label', { skill: labelOf(s), provenance: t(`case.prov_${s.provenance}`) }),
    onclick: () => change(() => del(`${personPath}?${new URLSearchParams({ skill: s.skill, provenance: s.provenance })}`),
      t('case.skill_removed', { skill: labelOf(s) })),
  }, t('case.remove'));
  const provenanceId = newId('skill-prov');
  const provenance = h('select', { id: provenanceId },
    ['counsellor', 'declared'].map((v) => h('option', { value: v }, t(`case.prov_${v}`))));
  // the occupation's skills not yet in the profile, to tick
  const offer = probable ? [
    ...(probable.essential || []).map((s) => ({ ...s, group: 'essential' })),
    ...(probable.probable || []).map((s) => ({ ...s, group: 'probable' })),
    ...(probable.optional || []).map((s) => ({ ...s, group: 'optional' })),
  ].filter((s) => !held.has(s.uri)) : [];
  const ticks = offer.map((s) => ({ s, box: h('input', { type: 'checkbox', id: newId('tick'), value: s.uri }) }));
  const tickForm = ticks.length ? h('form', { class: 'skills-tick', novalidate: true },
    h('fieldset', {},
      h('legend', {}, tp('case.tick_title', ticks.length, { occupation: occName })),
      h('p', { class: 'hint' }, t('case.tick_hint')),
      h('ul', { class: 'profile-list' }, ticks.map(({ s, box }) => h('li', { class: 'check' }, box,
        h('label', { for: box.id }, s.label), ' ', h('span', { class: 'tag' }, t(`case.group_${s.group}`)))))),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('case.tick_submit')))) : null;
  if (tickForm) {
    tickForm.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const chosen = ticks.filter((x) => x.box.checked);
      if (!chosen.length) {
        replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('case.tick_none')));
        return;
      }
      change(async () => {
        for (const { s } of chosen) await post(personPath, { skill: s.uri, provenance: provenance.value });
      }, tp('case.skills_added', chosen.length));
    });
  }
  const search = combobox({
    id: 'case-skill-search', label: t('case.skill_search'), kind: 'skill', placeholder: t('case.skill_search_placeholder'),
    clearOnSelect: true,
    onSelect: (hit) => change(() => post(personPath, { skill: hit.uri, provenance: provenance.value }),
      tp('case.skills_added', 1)),
  });
  const inferButton = p.occupation ? h('button', {
    type: 'button', class: 'btn-small',
    onclick: () => change(async () => {
      const r = await post(`${personPath}/infer`, {});
      announce(tp('case.inferred', r.added));
    }, t('case.profile_changed')),
  }, t('case.infer', { occupation: occName })) : null;
  replace(box, title(),
    h('p', { class: 'hint skills-count' }, tp('case.skills_count', new Set(skills.map((s) => s.skill)).size, { rows: int(skills.length) })),
    skills.length ? table(t('case.skills_title'), [
      { key: 'skill', label: t('case.skill'), render: skillName },
      { key: 'provenance', label: t('case.provenance'), render: (s) => h('span', { dataset: { provenance: s.provenance } }, t(`case.prov_${s.provenance}`)) },
      { key: 'detail', label: t('case.detail'), render: (s) => (!s.detail ? '—'
        : p.occupation && s.detail === p.occupation.uri ? taxonomyLabel((probable && probable.occupation) || p.occupation)
          : h('span', { 'data-name': '' }, s.detail)) },
      { key: 'recorded', label: t('case.recorded'), render: (s) => t('case.recorded_by', { at: dateTime(s.recorded_at), by: s.recorded_by || '—' }) },
      { key: 'remove', label: t('case.action'), render: removeButton },
    ], skills, { className: 'skills-table' }) : h('p', {}, t('case.no_skills')),
    h('h3', {}, t('case.add_skills')),
    h('div', { class: 'field' }, h('label', { for: provenanceId }, t('case.add_as')), provenance),
    tickForm, search.element, inferButton ? h('p', {}, inferButton) : null,
    errors);
  return skills;
}

/* ---- moves ---------------------------------------------------------------------------- */

async function movesSection(box, p, skills, plans, ctx, firstMoves) {
  const title = () => h('h2', { id: 'case-moves' }, t('case.moves_title'));
  if (!skills) {
    replace(box, title(), h('p', { class: 'hint' }, t('case.moves_need_profile')));
    return;
  }
  if (!skills.length) {
    replace(box, title(), h('p', {}, t('case.moves_empty_profile')));
    return;
  }
  const safeBox = h('input', { type: 'checkbox', id: newId('moves-safe'), checked: ctx.query.get('safe') === '1' });
  const desBox = h('input', { type: 'checkbox', id: newId('moves-desirable'), checked: ctx.query.get('desirable') === '1' });
  const planId = newId('moves-plan');
  const open = plans.filter((x) => PLAN_OPEN.includes(x.status));
  const planChoice = h('select', { id: planId },
    open.map((x) => h('option', { value: String(x.id) }, t('case.into_plan', { title: x.title, id: x.id }))),
    h('option', { value: '' }, t('case.into_new_plan')));
  const listBox = h('div', { 'aria-live': 'polite' }, loading());
  const errors = h('div', { class: 'form-errors', 'aria-live': 'polite' });
  let first = firstMoves;
  const load = async () => {
    replace(listBox, loading());
    try {
      const fetched = first ? await first : null;
      first = null;
      if (fetched && fetched.error) throw fetched.error;
      const r = fetched || await get(`/people/${encodeURIComponent(p.id)}/transitions`, { limit: 10, safe: safeBox.checked, desirable: desBox.checked });
      if (!ctx.isCurrent()) return;
      const list = r.transitions || [];
      replace(listBox,
        h('p', { class: 'hint' }, tp('case.moves_count', r.total || 0, {
          shown: int(list.length), skills: int((r.skills && r.skills.length) || skills.length),
          as: r.origin && r.origin.label ? r.origin.label : t('case.no_occupation'),
        })),
        list.length ? table(t('case.moves_title'), [
          { key: 'to', label: t('case.move_to'), render: (m) => occLink(m) },
          { key: 'similarity', label: t('col.similarity'), render: (m) => h('span', { class: 'with-meter' }, meter(m.similarity), sim(m.similarity)) },
          { key: 'safe', label: t('case.safe'), render: (m) => tri(m.safe, 'safe') },
          { key: 'desirable', label: t('case.desirable'), render: (m) => tri(m.desirable, 'desirable') },
          { key: 'learn', label: t('case.to_learn'), render: (m) => tp('case.to_learn_value', m.essential_total, { learn: int(m.essential_missing) }) },
          { key: 'act', label: t('case.action'), render: (m) => h('span', { class: 'actions-inline' },
            h('a', { href: personGapHref(p, skills, occupationId(m)), class: 'gap-link', 'aria-label': `${t('case.open_gap')}: ${m.label}` }, t('case.open_gap')), ' ',
            h('button', {
              type: 'button', class: 'btn-small plan-move-button', 'aria-label': `${t('case.plan_this_move')}: ${m.label}`,
              onclick: async () => {
                replace(errors);
                try {
                  const id = await planMove(p.id, m.uri, planChoice.value ? Number(planChoice.value) : null,
                    t('case.plan_title_default', { to: m.label }));
                  announce(t('case.move_planned', { to: m.label }));
                  ctx.go(`plan/${id}`);
                } catch (err) {
                  replace(errors, errorBox(err));
                }
              },
            }, t('case.plan_this_move'))) },
        ], list, { className: 'moves-table' }) : h('p', {}, t('case.moves_none')),
        h('p', { class: 'muted small' }, t('case.moves_method')));
    } catch (err) {
      if (ctx.isCurrent()) replace(listBox, errorBox(err));
    }
  };
  safeBox.addEventListener('change', load);
  desBox.addEventListener('change', load);
  replace(box, title(),
    h('p', { class: 'hint' }, t('case.moves_note')),
    h('div', { class: 'check' }, safeBox, h('label', { for: safeBox.id }, t('case.only_safe'))),
    h('div', { class: 'check' }, desBox, h('label', { for: desBox.id }, t('case.only_desirable'))),
    h('div', { class: 'field' }, h('label', { for: planId }, t('case.plan_choice')), planChoice),
    errors, listBox);
  await load();
}

/* ---- enrolments, completions, credentials -------------------------------------------------- */

/** The person's enrolments, each with its cohort (GET /api/v1/people/{id}/enrolments), and the cohorts one may enrol in. */
async function enrolmentsOf(personId) {
  const [mine, all] = await Promise.all([
    get(`/people/${encodeURIComponent(personId)}/enrolments`),
    get('/cohorts'),
  ]);
  const rows = (mine.enrolments || []).map((x) => ({ ...x.enrolment, cohort: x.cohort }));
  return { rows, cohorts: all.cohorts || [] };
}

async function enrolmentsSection(box, p, ctx, refresh) {
  const title = () => h('h2', { id: 'case-enrolments' }, t('case.enrolments_title'));
  replace(box, title(), loading());
  let data;
  try {
    data = await enrolmentsOf(p.id);
  } catch (err) {
    if (ctx.isCurrent()) replace(box, title(), errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const errors = h('div', { class: 'form-errors', 'aria-live': 'polite' });
  const statusText = (e) => (e.status === 'waiting' && e.position ? t('case.waiting_at', { n: e.position }) : t(`cohort.enrolment_${e.status}`));
  const cancel = (e) => (e.status === 'enrolled' || e.status === 'waiting' ? h('button', {
    type: 'button', class: 'btn-small', 'aria-label': `${t('case.cancel')}: ${e.cohort.module.code} ${cohortDates(e.cohort)}`,
    onclick: async () => {
      replace(errors);
      try {
        await del(`/cohorts/${e.cohort.id}/enrolments/${encodeURIComponent(p.id)}`);
        announce(t('case.cancelled'));
        refresh();
      } catch (err) {
        replace(errors, errorBox(err));
      }
    },
  }, t('case.cancel')) : '—');
  const taken = new Set(data.rows.filter((e) => e.status !== 'cancelled').map((e) => e.cohort.id));
  const open = data.cohorts.filter((c) => c.status === 'open' && !taken.has(c.id));
  const cohortId = newId('enrol-cohort');
  const choose = h('select', { id: cohortId },
    open.map((c) => h('option', { value: String(c.id) },
      `${c.module.code} · ${cohortModuleTitle(c)} · ${cohortDates(c)} · ${tp('case.seats_left', c.seats.left)}`)));
  const form = open.length ? h('form', { class: 'enrol-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: cohortId }, t('case.enrol_in')), choose),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('case.enrol_submit')))) : h('p', {}, t('case.no_open_cohort'));
  if (open.length) {
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      replace(errors);
      try {
        const r = await post(`/cohorts/${choose.value}/enrolments`, { person: p.id });
        const e = r.enrolment || r;
        announce(e.status === 'waiting' ? t('case.enrolled_waiting') : t('case.enrolled_now'));
        refresh();
      } catch (err) {
        replace(errors, errorBox(err));
      }
    });
  }
  replace(box, title(),
    h('p', { class: 'hint' }, t('case.enrolments_note')),
    data.rows.length ? table(t('case.enrolments_title'), [
      { key: 'module', label: t('case.module'), render: (e) => h('span', {}, h('code', {}, e.cohort.module.code), ' ', cohortModuleTitle(e.cohort)) },
      { key: 'cohort', label: t('case.cohort'), render: (e) => h('a', { href: `#/cohort/${e.cohort.id}` }, cohortDates(e.cohort)) },
      { key: 'status', label: t('case.enrolment_status'), render: (e) => h('span', { dataset: { status: e.status } }, statusText(e)) },
      { key: 'attended', label: t('case.attended'), render: (e) => tp('case.sessions', e.attended || 0) },
      { key: 'result', label: t('case.result'), render: (e) => (e.result ? t('case.result_value', {
        result: t(`cohort.result_${e.result}`), score: e.score === null || e.score === undefined ? '—' : int(e.score), on: e.completed_on || '—',
      }) : '—') },
      { key: 'cancel', label: t('case.action'), render: cancel },
    ], data.rows, { className: 'enrolments-of-person' }) : h('p', {}, t('case.no_enrolments')),
    form, errors);
}

async function credentialsSection(box, p, ctx) {
  const title = () => h('h2', { id: 'case-credentials' }, t('case.credentials_title'));
  replace(box, title(), loading());
  try {
    const data = await get('/credentials', { person: p.id });
    if (!ctx.isCurrent()) return;
    const list = data.credentials || [];
    const titleOf = (c) => (c.module && c.module.title ? (c.module.title[lang()] || c.module.title.en) : '');
    replace(box, title(),
      h('p', { class: 'hint' }, tp('case.credentials_count', list.length)),
      list.length ? table(t('case.credentials_title'), [
        { key: 'module', label: t('case.module'), render: (c) => h('span', {}, h('code', {}, c.module && c.module.code), ' ', text(titleOf(c))) },
        { key: 'completed', label: t('case.completed_on'), render: (c) => text(c.completed_on) },
        { key: 'result', label: t('case.result'), render: (c) => h('span', { lang: 'en' }, text(c.result)) },
        { key: 'status', label: t('case.cred_status'), render: (c) => h('span', { class: `badge ${c.status && c.status.revoked ? 'badge-no' : 'badge-yes'}` },
          c.status && c.status.revoked ? t('case.revoked') : t('case.not_revoked')) },
        { key: 'verify', label: t('case.verify'), render: (c) => h('a', { href: `#/credential/${encodeURIComponent(c.id.replace(/^urn:uuid:/, ''))}` }, t('case.verify_link')) },
      ], list, { className: 'credentials-of-person' }) : null);
  } catch (err) {
    if (ctx.isCurrent()) replace(box, title(), errorBox(err));
  }
}

/* ---- plans ------------------------------------------------------------------------------ */

function plansSection(p, plans, ctx) {
  const titleId = newId('plan-title');
  const input = h('input', { id: titleId, type: 'text', maxlength: '200', required: true });
  const errors = h('div', { class: 'form-errors', 'aria-live': 'polite' });
  const form = h('form', { class: 'plan-new', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: titleId }, t('case.plan_new_title')), input),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('case.plan_new_submit'))), errors);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!input.value.trim()) {
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('case.plan_title_needed')));
      input.focus();
      return;
    }
    try {
      const plan = await post(`/people/${encodeURIComponent(p.id)}/plans`, { title: input.value.trim() });
      ctx.go(`plan/${plan.id}`);
    } catch (err) {
      replace(errors, errorBox(err));
    }
  });
  return h('section', { class: 'section', 'aria-labelledby': 'case-plans' },
    h('h2', { id: 'case-plans' }, t('case.plans_title')),
    h('p', { class: 'hint' }, tp('case.plans_count', plans.length)),
    plans.length ? table(t('case.plans_title'), [
      { key: 'title', label: t('case.plan'), render: (x) => h('a', { href: `#/plan/${x.id}` }, text(x.title)) },
      { key: 'status', label: t('case.plan_status'), render: (x) => t(`planpage.status_${x.status}`) },
      { key: 'moves', label: t('case.plan_moves'), render: (x) => targetLabels(x) },
      { key: 'updated', label: t('case.updated'), render: (x) => dateTime(x.updated_at) },
    ], plans, { className: 'plans-of-person' }) : null,
    p.consent && p.consent.counselling ? h('details', { class: 'form-fold' }, h('summary', {}, t('case.plan_new')), form)
      : h('p', { class: 'warning', role: 'note' }, t('case.plans_need_consent')));
}

/* ---- the page ------------------------------------------------------------------------------ */

export async function render(main, ctx) {
  ctx.setTitle(t('case.title'));
  const id = ctx.params.id;
  const head = h('div', {}, pageTitle(t('case.title')));
  append(main, head);
  if (!/^p[a-z2-7]{26}$/.test(id)) {
    append(main, h('div', { class: 'warning', role: 'note' }, t('case.bad_id', { id })));
    return;
  }
  const user = await userWithRole(main, ctx, STAFF, `person/${id}`);
  if (!user) return;
  const body = h('div', {}, loading());
  append(main, body);
  await renderCase(body, head, id, ctx);
}

async function renderCase(body, head, id, ctx) {
  const refresh = () => { if (ctx.isCurrent()) renderCase(body, head, id, ctx); };
  let data;
  let plans;
  try {
    [data, plans] = await Promise.all([
      get(`/people/${encodeURIComponent(id)}`, { reason: READ_REASON }),
      get(`/people/${encodeURIComponent(id)}/plans`).then((r) => r.plans || []),
    ]);
  } catch (err) {
    if (ctx.isCurrent()) replace(body, errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const p = data.person;
  const name = p.name || p.id;
  ctx.setTitle(t('case.title_of', { name }));
  replace(head, pageTitle(t('case.title_of', { name }), t('case.lead')),
    h('p', { class: 'no-print' }, h('a', { href: '#/people' }, t('case.back'))));
  const skillsBox = h('section', { class: 'section', 'aria-labelledby': 'case-skills' });
  const movesBox = h('section', { class: 'section', 'aria-labelledby': 'case-moves' }, h('h2', { id: 'case-moves' }, t('case.moves_title')), loading());
  const enrolBox = h('section', { class: 'section', 'aria-labelledby': 'case-enrolments' });
  const credBox = h('section', { class: 'section', 'aria-labelledby': 'case-credentials' });
  replace(body, recordSection(p, refresh), consentsSection(p, data.consents || [], refresh), skillsBox, movesBox,
    plansSection(p, plans, ctx), enrolBox, credBox);
  // the moves from the profile, asked for once: their document also names the profile's skills in the page's language
  // (asked for when the profile holds a skill: an empty profile has no moves)
  const counselling = !!(p.consent && p.consent.counselling);
  const skillsAsked = counselling ? get(`/people/${encodeURIComponent(p.id)}/skills`, { reason: READ_REASON }).then((r) => r.skills || []) : null;
  const firstMoves = counselling
    ? skillsAsked.then((list) => (list.length ? get(`/people/${encodeURIComponent(p.id)}/transitions`, {
      limit: 10, safe: ctx.query.get('safe') === '1', desirable: ctx.query.get('desirable') === '1',
    }) : null)).catch((error) => ({ error }))
    : null;
  const skillsDone = skillsSection(skillsBox, p, ctx, refresh, skillsAsked, firstMoves)
    .then((skills) => movesSection(movesBox, p, skills, plans, ctx, firstMoves));
  await Promise.all([skillsDone, enrolmentsSection(enrolBox, p, ctx, refresh), credentialsSection(credBox, p, ctx)]);
}
