// people.js — the people a counsellor serves (#/people, staff: counsellors
// see the people of their organisation, administrators everyone;
// docs/people.md): the list without names (GET /api/v1/people), the exact
// look-up of a name or contact through its keyed hash (POST
// /api/v1/people/find, with the reason written to the audit log), and a new
// person with the consents they gave (POST /api/v1/people, then POST
// /api/v1/people/{id}/consents per purpose). Each person links to their
// case, #/person/ID (pages/person.js).

import { h, append, replace, newId, announce } from '../dom.js';
import { t, tp } from '../i18n.js';
import { get, post } from '../api.js';
import { combobox } from '../combobox.js';
import { session } from '../session.js';
import { pageTitle, errorBox, loading, table, text, dateTime, int, taxonomyLabel, exportButtons } from '../ui.js';
import { userWithRole } from './modules-common.js';

/** The addresses of this page (main.js): #/people, in the menu for staff. */
export const routes = [{ path: 'people', nav: 'people' }];

/** The roles that manage people (docs/roles.md). */
export const STAFF = ['admin', 'counsellor'];
/** The purposes of consent (docs/people.md). */
export const PURPOSES = ['counselling', 'training', 'vouchers', 'statistics'];
export const STATUSES = ['employed', 'self-employed', 'unemployed', 'inactive', 'student', 'unknown'];

/** A link to a person's case. */
export function personLink(id) {
  return h('a', { href: `#/person/${encodeURIComponent(id)}`, class: 'person-link' }, h('code', {}, id));
}

/** The purposes a person's consent is in force for, as badges. */
export function consentBadges(consent) {
  const given = PURPOSES.filter((p) => consent && consent[p]);
  if (!given.length) return h('span', { class: 'badge badge-no' }, t('case.no_consent'));
  return h('span', { class: 'badges-inline' }, given.map((p, i) => [i ? ' ' : '', h('span', { class: 'badge badge-yes' }, t(`case.purpose_${p}`))]));
}

function findForm(ctx) {
  const ids = { value: newId('find-value'), kind: newId('find-kind'), reason: newId('find-reason') };
  const kind = h('select', { id: ids.kind },
    h('option', { value: 'name' }, t('case.find_by_name')),
    h('option', { value: 'contact' }, t('case.find_by_contact')));
  const value = h('input', { id: ids.value, type: 'text', maxlength: '200', required: true, autocomplete: 'off' });
  const reason = h('input', { id: ids.reason, type: 'text', maxlength: '200', required: true, value: t('case.find_reason_default') });
  const out = h('div', { class: 'find-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'people-find', novalidate: true },
    h('div', { class: 'split' },
      h('div', { class: 'field' }, h('label', { for: ids.kind }, t('case.find_kind')), kind),
      h('div', { class: 'field' }, h('label', { for: ids.value }, t('case.find_value')),
        h('span', { class: 'hint block' }, t('case.find_hint')), value)),
    h('div', { class: 'field' }, h('label', { for: ids.reason }, t('case.reason')),
      h('span', { class: 'hint block' }, t('case.reason_hint')), reason),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('case.find_submit'))),
    out);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (!value.value.trim()) {
      replace(out, h('p', { class: 'field-error', role: 'alert' }, t('case.find_empty')));
      value.focus();
      return;
    }
    replace(out, loading());
    try {
      const r = await post('/people/find', { [kind.value]: value.value, reason: reason.value });
      if (!ctx.isCurrent()) return;
      const found = r.ids || [];
      replace(out, h('p', { class: 'found-count' }, tp('case.found', found.length)),
        found.length ? h('ul', { class: 'found-list' }, found.map((id) => h('li', {}, personLink(id)))) : null);
      announce(tp('case.found', found.length));
    } catch (err) {
      replace(out, errorBox(err));
    }
  });
  return form;
}

function addForm(ctx) {
  const id = (name) => newId(`person-add-${name}`);
  const ids = {
    name: id('name'), contact: id('contact'), birth: id('birth'), sex: id('sex'), area: id('area'),
    status: id('status'), organisation: id('organisation'), version: id('version'),
  };
  const errors = h('div', { class: 'form-errors', 'aria-live': 'polite' });
  const field = (key, label, input, hint) => h('div', { class: 'field' }, h('label', { for: ids[key] }, label),
    hint ? h('span', { class: 'hint block' }, hint) : null, input);
  const name = h('input', { id: ids.name, type: 'text', maxlength: '200', autocomplete: 'off' });
  const contact = h('input', { id: ids.contact, type: 'text', maxlength: '200', autocomplete: 'off' });
  const birth = h('input', { id: ids.birth, type: 'number', min: '1900', max: String(new Date().getFullYear()), inputmode: 'numeric' });
  const sex = h('select', { id: ids.sex },
    h('option', { value: '' }, t('case.sex_not_stated')),
    ['female', 'male', 'other'].map((s) => h('option', { value: s }, t(`case.sex_${s}`))));
  const area = h('input', { id: ids.area, type: 'text', maxlength: '64' });
  const status = h('select', { id: ids.status },
    h('option', { value: '' }, t('case.not_given')),
    STATUSES.map((s) => h('option', { value: s }, t(`case.status_${s}`))));
  const isAdmin = session().user && session().user.role === 'admin';
  const organisation = h('input', { id: ids.organisation, type: 'text', maxlength: '64', required: isAdmin });
  let occupation = null;
  const occupationNote = h('p', { class: 'muted small', id: newId('occ-note') }, t('case.occupation_none'));
  const occ = combobox({
    id: 'person-add-occupation', label: t('case.occupation'), kind: 'occupation', placeholder: t('tr.origin_placeholder'),
    onSelect: (hit) => {
      occupation = hit;
      replace(occupationNote, t('case.occupation_chosen'), ' ', h('strong', {}, taxonomyLabel(hit)));
    },
  });
  const version = h('input', { id: ids.version, type: 'text', maxlength: '64', required: true });
  const purposeBoxes = PURPOSES.map((p) => {
    const boxId = newId(`consent-${p}`);
    return { purpose: p, box: h('input', { type: 'checkbox', id: boxId, value: p }), id: boxId };
  });
  const form = h('form', { class: 'person-add', novalidate: true },
    h('p', { class: 'hint' }, t('case.add_minimal')),
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
    isAdmin ? field('organisation', t('case.organisation'), organisation, t('case.organisation_hint')) : null,
    h('fieldset', { class: 'consents-fieldset' },
      h('legend', {}, t('case.consents_given')),
      h('p', { class: 'hint' }, t('case.consents_given_hint')),
      purposeBoxes.map((b) => h('div', { class: 'check' }, b.box, h('label', { for: b.id }, t(`case.purpose_${b.purpose}`)))),
      field('version', t('case.text_version'), version, t('case.text_version_hint'))),
    errors,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('case.add_submit'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    replace(errors);
    const purposes = purposeBoxes.filter((b) => b.box.checked).map((b) => b.purpose);
    if (purposes.length && !version.value.trim()) {
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('case.text_version_needed')));
      version.focus();
      return;
    }
    const body = {};
    if (name.value.trim()) body.name = name.value.trim();
    if (contact.value.trim()) body.contact = contact.value.trim();
    if (birth.value) body.birth_year = Number(birth.value);
    if (sex.value) body.sex = sex.value;
    if (area.value.trim()) body.area = area.value.trim();
    if (status.value) body.employment_status = status.value;
    if (occupation) body.occupation = occupation.uri;
    if (isAdmin && organisation.value.trim()) body.organisation = organisation.value.trim();
    try {
      const made = await post('/people', body);
      for (const purpose of purposes) {
        await post(`/people/${encodeURIComponent(made.id)}/consents`, { purpose, text_version: version.value.trim() });
      }
      announce(t('case.added', { id: made.id }));
      ctx.go(`person/${encodeURIComponent(made.id)}`);
    } catch (err) {
      replace(errors, errorBox(err));
    }
  });
  return form;
}

/** Replaces the occupation of each person by the taxonomy's occupation in the page's language (GET
 * /api/v1/occupations/{id}, once per distinct occupation, at most 100); one that fails stays as it was. */
async function localiseOccupations(people) {
  const uris = [...new Set(people.filter((p) => p.occupation && p.occupation.uri).map((p) => p.occupation.uri))].slice(0, 100);
  const found = new Map();
  await Promise.all(uris.map((uri) => get(`/occupations/${encodeURIComponent(uri)}`)
    .then((o) => { if (o && (o.occupation || o).label) found.set(uri, o.occupation || o); })
    .catch(() => null)));
  for (const p of people) {
    const o = p.occupation && found.get(p.occupation.uri);
    if (o) p.occupation = { ...p.occupation, label: o.label, label_untranslated: o.label_untranslated };
  }
}

function peopleTable(people) {
  return table(tp('case.list_caption', people.length, { n: int(people.length) }), [
    { key: 'id', label: t('case.id'), render: (p) => personLink(p.id) },
    { key: 'occupation', label: t('case.occupation'), render: (p) => (p.occupation ? taxonomyLabel(p.occupation) : text(null)) },
    { key: 'status', label: t('case.employment_status'), render: (p) => (p.employment_status ? t(`case.status_${p.employment_status}`) : text(null)) },
    { key: 'birth', label: t('case.birth_year'), render: (p) => text(p.birth_year) },
    { key: 'area', label: t('case.area'), render: (p) => (p.area ? h('span', { 'data-name': '' }, p.area) : text(null)) },
    { key: 'organisation', label: t('case.organisation'), render: (p) => h('span', { 'data-name': '' }, text(p.organisation)) },
    { key: 'consent', label: t('case.consents'), render: (p) => consentBadges(p.consent) },
    { key: 'created', label: t('case.created'), render: (p) => dateTime(p.created_at) },
  ], people, { className: 'people-table' });
}

export async function render(main, ctx) {
  ctx.setTitle(t('case.list_title'));
  append(main, pageTitle(t('case.list_title'), t('case.list_lead')));
  const user = await userWithRole(main, ctx, STAFF, 'people');
  if (!user) return;
  const listBox = h('section', { class: 'section', 'aria-labelledby': 'people-list-h' }, loading());
  append(main,
    h('section', { class: 'section', 'aria-labelledby': 'people-find-h' },
      h('h2', { id: 'people-find-h' }, t('case.find_title')), findForm(ctx)),
    h('details', { class: 'form-fold', open: ctx.query.get('add') === '1' },
      h('summary', {}, t('case.add_title')), addForm(ctx)),
    listBox);
  try {
    const data = await get('/people');
    if (!ctx.isCurrent()) return;
    const people = data.people || [];
    // the list names occupations in the taxonomy's own language: each distinct one asked for in the page's
    await localiseOccupations(people);
    if (!ctx.isCurrent()) return;
    const filterId = newId('people-filter');
    const filter = h('select', { id: filterId },
      h('option', { value: '' }, t('case.filter_all')),
      h('option', { value: 'with_occupation' }, t('case.filter_with_occupation')),
      h('option', { value: 'no_counselling' }, t('case.filter_no_counselling')));
    const tableBox = h('div', {});
    const show = () => {
      const shown = people.filter((p) => (filter.value === 'with_occupation' ? !!p.occupation
        : filter.value === 'no_counselling' ? !(p.consent && p.consent.counselling) : true));
      replace(tableBox, shown.length ? peopleTable(shown) : h('p', {}, t('case.list_empty')));
    };
    filter.addEventListener('change', show);
    show();
    replace(listBox,
      h('h2', { id: 'people-list-h' }, t('case.list_h')),
      h('p', { class: 'hint' }, user.role === 'admin' ? t('case.list_note_admin') : t('case.list_note_counsellor')),
      h('div', { class: 'field' }, h('label', { for: filterId }, t('case.filter')), filter),
      tableBox,
      exportButtons('fow-people', () => people.map((p) => ({
        id: p.id, occupation: p.occupation ? p.occupation.uri : null, employment_status: p.employment_status,
        birth_year: p.birth_year, area: p.area, organisation: p.organisation,
        consents: PURPOSES.filter((x) => p.consent && p.consent[x]).join(';'), created_at: p.created_at,
      }))));
  } catch (err) {
    if (ctx.isCurrent()) replace(listBox, h('h2', { id: 'people-list-h' }, t('case.list_h')), errorBox(err));
  }
}
