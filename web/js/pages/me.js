// me.js — "My record": what fow holds about the signed-in person (role
// person, docs/roles.md), read-only: their record (GET /api/v1/me/person),
// their consents, their skills with where each comes from (GET
// /api/v1/me/skills, which needs their counselling consent; the occupation's and
// the skills' labels in the page's language where the taxonomy has them, ?lang=) and their
// credentials (GET /api/v1/me/credentials), each with its public
// verification link and a download of its VC-JWT (GET
// /api/v1/me/credentials/{id}?format=jwt), and their plans (GET
// /api/v1/me/plans, each linked to #/plan/ID, pages/plan.js). Nothing here changes anything:
// a counsellor changes the record, with the person.

import { h, append, replace } from '../dom.js';
import { t, tp, lang } from '../i18n.js';
import { get } from '../api.js';
import { pageTitle, errorBox, loading, table, text, dateTime, taxonomyLabel } from '../ui.js';
import { userWithRole } from './modules-common.js';
import { plansSection } from './plan.js';

/** The addresses of this page (main.js): #/me, with its menu entry. */
export const routes = [{ path: 'me', nav: 'me' }];

// a value or "not recorded"
function orNone(value) {
  return value === null || value === undefined || value === '' ? h('span', { class: 'hint' }, t('me.not_recorded')) : text(value);
}

function recordSection(person) {
  const occupation = person.occupation && (person.occupation.label || person.occupation.uri);
  const rows = [
    [t('me.id'), h('code', {}, person.id)],
    [t('me.name'), orNone(person.name)],
    [t('me.contact'), orNone(person.contact)],
    [t('me.birth_year'), orNone(person.birth_year)],
    [t('me.area'), orNone(person.area)],
    [t('me.occupation'), occupation ? taxonomyLabel(person.occupation) : orNone(null)],
    [t('me.employment_status'), person.employment_status ? t(`me.status_${person.employment_status}`) : orNone(null)],
    [t('me.organisation'), orNone(person.organisation)],
    [t('me.created'), dateTime(person.created_at)],
  ];
  return h('section', { class: 'section', 'aria-labelledby': 'me-record' },
    h('h2', { id: 'me-record' }, t('me.record_title')),
    h('p', { class: 'hint' }, t('me.record_note')),
    h('dl', { class: 'facts-dl' }, rows.flatMap(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])));
}

function consentsSection(consents) {
  const body = consents.length
    ? table(t('me.consents_title'), [
      { key: 'purpose', label: t('me.purpose'), render: (c) => t(`me.purpose_${c.purpose}`) },
      { key: 'state', label: t('me.consent_state'), render: (c) => h('span', { class: `badge ${c.withdrawn_at ? 'badge-no' : 'badge-yes'}` },
        c.withdrawn_at ? t('me.withdrawn') : t('me.given')) },
      { key: 'given', label: t('me.given_at'), render: (c) => dateTime(c.given_at) },
      { key: 'withdrawn', label: t('me.withdrawn_at'), render: (c) => (c.withdrawn_at ? dateTime(c.withdrawn_at) : '—') },
      { key: 'version', label: t('me.text_version'), render: (c) => text(c.text_version) },
    ], consents)
    : h('p', {}, t('me.no_consents'));
  return h('section', { class: 'section', 'aria-labelledby': 'me-consents' },
    h('h2', { id: 'me-consents' }, t('me.consents_title')),
    h('p', { class: 'hint' }, t('me.consents_note')), body);
}

async function skillsSection(box, ctx, person) {
  // a skill inferred from the person's occupation names it by its URI: shown as its label
  const occupation = person && person.occupation;
  const detail = (s) => (occupation && s.detail && s.detail === occupation.uri ? taxonomyLabel(occupation) : orNone(s.detail));
  replace(box, h('h2', { id: 'me-skills' }, t('me.skills_title')), loading());
  try {
    const data = await get('/me/skills');
    if (!ctx.isCurrent()) return;
    const skills = data.skills || [];
    replace(box, h('h2', { id: 'me-skills' }, t('me.skills_title')),
      h('p', { class: 'hint' }, tp('me.skills_count', skills.length)),
      skills.length ? table(t('me.skills_title'), [
        { key: 'skill', label: t('me.skill'), render: (s) => (s.label ? taxonomyLabel(s) : text(s.skill)) },
        { key: 'provenance', label: t('me.provenance'), render: (s) => t(`me.prov_${s.provenance}`) },
        { key: 'detail', label: t('me.detail'), render: detail },
        { key: 'recorded', label: t('me.recorded'), render: (s) => dateTime(s.recorded_at) },
      ], skills) : null);
  } catch (err) {
    if (!ctx.isCurrent()) return;
    replace(box, h('h2', { id: 'me-skills' }, t('me.skills_title')),
      err.status === 409 ? h('p', { class: 'warning', role: 'note' }, t('me.skills_need_consent')) : errorBox(err));
  }
}

async function credentialsSection(box, ctx) {
  replace(box, h('h2', { id: 'me-credentials' }, t('me.credentials_title')), loading());
  try {
    const data = await get('/me/credentials');
    if (!ctx.isCurrent()) return;
    const list = data.credentials || [];
    const titleOf = (c) => (c.module && c.module.title ? (c.module.title[lang()] || c.module.title.en) : '');
    replace(box, h('h2', { id: 'me-credentials' }, t('me.credentials_title')),
      h('p', { class: 'hint' }, tp('me.credentials_count', list.length)),
      list.length ? table(t('me.credentials_title'), [
        { key: 'module', label: t('me.module'), render: (c) => h('span', {}, text(titleOf(c)), ' ', h('span', { class: 'hint' }, text(c.module && c.module.code))) },
        { key: 'issued', label: t('me.issued'), render: (c) => dateTime(c.issued_at) },
        { key: 'status', label: t('me.cred_status'), render: (c) => h('span', { class: `badge ${c.status && c.status.revoked ? 'badge-no' : 'badge-yes'}` },
          c.status && c.status.revoked ? t('me.revoked') : t('me.valid_unless')) },
        { key: 'links', label: t('me.cred_links'), render: (c) => h('span', { class: 'actions-inline' },
          h('a', { href: `#/credential/${encodeURIComponent(c.id)}` }, t('me.verify')), ' · ',
          h('a', { href: `api/v1/me/credentials/${encodeURIComponent(c.id)}?format=jwt`, download: `credential-${c.id}.jwt` }, t('me.download'))) },
      ], list) : null);
  } catch (err) {
    if (ctx.isCurrent()) replace(box, h('h2', { id: 'me-credentials' }, t('me.credentials_title')), errorBox(err));
  }
}

export async function render(main, ctx) {
  ctx.setTitle(t('me.title'));
  append(main, pageTitle(t('me.title'), t('me.lead')));
  const user = await userWithRole(main, ctx, ['person'], 'me');
  if (!user) return;
  const recordBox = h('div', {}, loading());
  const skillsBox = h('section', { class: 'section', 'aria-labelledby': 'me-skills', 'aria-live': 'polite' });
  const credentialsBox = h('section', { class: 'section', 'aria-labelledby': 'me-credentials', 'aria-live': 'polite' });
  const plansBox = h('section', { class: 'section', 'aria-labelledby': 'me-plans', 'aria-live': 'polite' });
  append(main, recordBox, plansBox, skillsBox, credentialsBox);
  let person = null;
  try {
    const data = await get('/me/person');
    if (!ctx.isCurrent()) return;
    person = data.person || {};
    replace(recordBox, recordSection(person), consentsSection(data.consents || []));
  } catch (err) {
    if (ctx.isCurrent()) replace(recordBox, errorBox(err));
  }
  await Promise.all([plansSection(plansBox, ctx), skillsSection(skillsBox, ctx, person), credentialsSection(credentialsBox, ctx)]);
}
