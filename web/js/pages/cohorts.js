// cohorts.js — the cohorts of the catalogue's modules (#/cohorts, public:
// dates, seats, waiting lists; staff may add one) and one cohort
// (#/cohort/ID): its sessions and seats, and for staff the people enrolled,
// waiting, cancelled or completed, attendance per session, completion with
// the assessment result, enrolment and cancellation
// (/api/v1/cohorts..., docs/training.md).

import { h, append, replace, newId, announce } from '../dom.js';
import { t, tp, tmsg, lang } from '../i18n.js';
import { get, post } from '../api.js';
import { session } from '../session.js';
import { pageTitle, int, num, errorBox, loading, table, exportButtons } from '../ui.js';
import {
  cohortsTable, dates, day, del, isStaff, moduleTitle, runsCohorts, seatsText, statusBadge,
} from './cohort-common.js';

export const routes = [{ path: 'cohorts', nav: 'cohorts' }, { path: 'cohort/:id' }];

const STATUSES = ['planned', 'open', 'closed', 'finished', 'cancelled'];

export async function render(main, ctx) {
  if (ctx.route === 'cohort/:id') return renderCohort(main, ctx);
  return renderList(main, ctx);
}

/* ---- the list ------------------------------------------------------------------ */

/** Whether the user reads the programme's aggregates (the indicators page). */
function readsProgramme() {
  const u = session().user;
  return !!(u && ['admin', 'analyst', 'programme_manager'].includes(u.role));
}

async function renderList(main, ctx) {
  ctx.setTitle(t('cohort.list_title'));
  append(main, loading());
  const module = ctx.query.get('module') || '';
  let list;
  let modules = [];
  try {
    [list, modules] = await Promise.all([get('/cohorts', { module }), get('/modules').then((r) => r.modules || [])]);
  } catch (err) {
    if (!ctx.isCurrent()) return;
    replace(main, pageTitle(t('cohort.list_title')), errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const cohorts = list.cohorts || [];
  const choose = h('select', { id: newId('cohort-module') },
    h('option', { value: '' }, t('cohort.all_modules')),
    modules.map((m) => h('option', { value: m.code, selected: m.code === module },
      `${m.code} · ${(lang() === 'ro' ? m.title.ro : m.title.en) || m.title.en}`)));
  choose.addEventListener('change', () => ctx.go('cohorts', { module: choose.value }));
  replace(main,
    pageTitle(t('cohort.list_title'), t('cohort.list_lead')),
    readsProgramme() ? h('p', {}, h('a', { href: '#/indicators' }, t('ind.link'))) : null,
    h('div', { class: 'field' }, h('label', { for: choose.id }, t('cohort.filter_module')), choose),
    cohorts.length
      ? cohortsTable(tp('cohort.list_caption', cohorts.length, { n: int(cohorts.length) }), cohorts, { withModule: true })
      : h('p', {}, t('cohort.none')),
    h('p', { class: 'muted small' }, t('cohort.seats_method')),
    exportButtons('fow-cohorts', () => cohorts.map((c) => ({
      id: c.id, module: c.module.code, starts_on: c.starts_on, ends_on: c.ends_on, place: c.place, language: c.language,
      status: c.status, capacity: c.seats.capacity, enrolled: c.seats.enrolled, completed: c.seats.completed,
      waiting: c.seats.waiting, left: c.seats.left,
    }))),
    isStaff() ? addForm(ctx, modules, module) : null);
}

/** The staff's form for a new cohort. */
function addForm(ctx, modules, module) {
  const id = (name) => newId(`cohort-add-${name}`);
  const ids = { module: id('module'), starts: id('starts'), ends: id('ends'), capacity: id('capacity'), place: id('place'), sessions: id('sessions') };
  const errors = h('div', { class: 'form-errors', 'aria-live': 'polite' });
  const field = (key, label, input, hint) => h('div', { class: 'field' }, h('label', { for: ids[key] }, label),
    hint ? h('span', { class: 'hint block' }, hint) : null, input);
  const moduleInput = h('select', { id: ids.module, required: true },
    modules.map((m) => h('option', { value: m.code, selected: m.code === module }, m.code)));
  const starts = h('input', { id: ids.starts, type: 'date', required: true });
  const ends = h('input', { id: ids.ends, type: 'date', required: true });
  const capacity = h('input', { id: ids.capacity, type: 'number', min: '1', max: '10000', required: true, value: '20' });
  const place = h('input', { id: ids.place, type: 'text', maxlength: '200' });
  const sessions = h('textarea', { id: ids.sessions, rows: '4', placeholder: '2027-02-01 09:00-13:00 @ CREIC' });
  const form = h('form', { class: 'cohort-add', novalidate: true },
    field('module', t('cohort.field_module'), moduleInput),
    h('div', { class: 'split' },
      field('starts', t('cohort.field_starts'), starts),
      field('ends', t('cohort.field_ends'), ends)),
    field('capacity', t('cohort.field_capacity'), capacity),
    field('place', t('cohort.field_place'), place, t('cohort.field_place_hint')),
    field('sessions', t('cohort.field_sessions'), sessions, t('cohort.field_sessions_hint')),
    errors,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('cohort.add_submit'))));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const parsed = [];
    for (const [i, line] of sessions.value.split('\n').map((s) => s.trim()).filter(Boolean).entries()) {
      const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2})-(\d{2}:\d{2})(?: @ (.+))?$/.exec(line);
      if (!m) {
        replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('cohort.session_bad', { n: i + 1 })));
        return;
      }
      parsed.push({ date: m[1], starts_at: m[2], ends_at: m[3], place: m[4] || '' });
    }
    try {
      const c = await post('/cohorts', {
        module: moduleInput.value, starts_on: starts.value, ends_on: ends.value,
        capacity: Number(capacity.value), place: place.value || null, sessions: parsed,
      });
      announce(t('cohort.added', { id: c.id }));
      ctx.go(`cohort/${c.id}`);
    } catch (err) {
      replace(errors, errorBox(err));
    }
  });
  return h('details', { class: 'form-fold' }, h('summary', {}, t('cohort.add_title')), form);
}

/* ---- one cohort ------------------------------------------------------------------- */

async function renderCohort(main, ctx) {
  append(main, loading());
  const id = ctx.params.id;
  let c;
  let people = null;
  try {
    c = await get(`/cohorts/${encodeURIComponent(id)}`);
    // a provider runs the cohorts of its own modules only: asked for those alone
    const own = isStaff() || (runsCohorts() && ((await get('/provider-modules')).modules || []).some((m) => m.code === c.module.code));
    if (own) people = await get(`/cohorts/${encodeURIComponent(id)}/enrolments`);
  } catch (err) {
    if (!ctx.isCurrent()) return;
    ctx.setTitle(t('cohort.not_found'));
    replace(main, pageTitle(t('cohort.not_found')), errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const title = t('cohort.title', { module: moduleTitle(c), dates: dates(c) });
  ctx.setTitle(title);
  const refresh = () => { if (ctx.isCurrent()) { replace(main); renderCohort(main, ctx); } };
  replace(main,
    pageTitle(title),
    h('p', { class: 'lead' }, statusBadge(c.status), ' ', seatsText(c)),
    h('dl', { class: 'facts-dl' },
      h('dt', {}, t('cohort.col_module')),
      h('dd', {}, c.module.id ? h('a', { href: `#/module/${c.module.id}` }, moduleTitle(c)) : c.module.code, ' ', h('code', {}, c.module.code)),
      h('dt', {}, t('cohort.col_place')), h('dd', {}, h('span', { 'data-name': '' }, c.place || '—')),
      h('dt', {}, t('cohort.col_language')), h('dd', {}, c.language),
      h('dt', {}, t('cohort.seats')),
      h('dd', {}, t('cohort.seats_detail', {
        capacity: int(c.seats.capacity), enrolled: int(c.seats.enrolled), completed: int(c.seats.completed),
        waiting: int(c.seats.waiting), left: int(c.seats.left),
      }))),
    h('section', { class: 'section', 'aria-labelledby': 'sessions-h' },
      h('h2', { id: 'sessions-h' }, t('cohort.sessions_title')),
      c.sessions.length ? table(tp('cohort.sessions_count', c.sessions.length, { n: int(c.sessions.length) }), [
        { key: 'number', label: '#', num: true, render: (s) => int(s.number) },
        { key: 'date', label: t('cohort.col_date'), render: (s) => day(s.date) },
        { key: 'time', label: t('cohort.col_time'), render: (s) => `${s.starts_at}–${s.ends_at}` },
        { key: 'place', label: t('cohort.col_place'), render: (s) => h('span', { 'data-name': '' }, s.place || '—') },
      ], c.sessions) : h('p', {}, t('cohort.no_sessions'))),
    people ? staffSection(c, people, refresh) : h('p', { class: 'muted' }, t('cohort.staff_only')));
}

/** The staff's view: status, enrolment, the list with attendance and completion (a provider's: no enrolment, no cancelling). */
function staffSection(c, people, refresh) {
  const enrols = isStaff();
  const status = h('div', { class: 'form-errors', 'aria-live': 'polite' });
  const act = async (fn, done) => {
    try {
      const r = await fn();
      if (done) announce(done(r));
      refresh();
    } catch (err) {
      replace(status, errorBox(err));
    }
  };
  const statusSelect = h('select', { id: newId('cohort-status') },
    STATUSES.map((s) => h('option', { value: s, selected: s === c.status }, t(`cohort.status_${s}`))));
  const personInput = h('input', { id: newId('cohort-person'), type: 'text', pattern: 'p[a-z2-7]{26}', spellcheck: 'false', autocomplete: 'off', size: '30' });
  const enrolForm = h('form', { class: 'inline-form' },
    h('label', { for: personInput.id }, t('cohort.enrol_label')), ' ', personInput, ' ',
    h('button', { type: 'submit', class: 'button' }, t('cohort.enrol_submit')));
  enrolForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    act(() => post(`/cohorts/${c.id}/enrolments`, { person: personInput.value.trim() }),
      (r) => (r.enrolment.status === 'waiting'
        ? t('cohort.enrolled_waiting', { n: int(r.enrolment.position) }) : t('cohort.enrolled_seat')));
  });
  const list = people.enrolments || [];
  const sessions = c.sessions || [];
  const attendanceCell = (e) => h('span', { class: 'attendance' }, e.attendance.map((a) => {
    const present = a.present === true;
    const label = t('cohort.attendance_toggle', { n: a.session, state: a.present === null ? t('cohort.not_recorded') : present ? t('cohort.present') : t('cohort.absent') });
    return h('button', {
      type: 'button', class: `att ${a.present === null ? 'att-none' : present ? 'att-yes' : 'att-no'}`,
      title: label, 'aria-label': label, disabled: e.status !== 'enrolled' && e.status !== 'completed',
      onclick: () => act(() => post(`/cohorts/${c.id}/attendance`, { person: e.person, session: a.session, present: !present })),
    }, a.present === null ? '·' : present ? '✓' : '✗');
  }));
  const resultCell = (e) => {
    if (e.status === 'completed') {
      return h('span', {}, h('span', { class: `badge ${e.result === 'passed' ? 'badge-yes' : 'badge-no'}` }, t(`cohort.result_${e.result}`)),
        e.score !== null ? ` ${num(e.score, 0)}` : '', ' · ', day(e.completed_on));
    }
    if (e.status !== 'enrolled') return '—';
    const score = h('input', { type: 'number', min: '0', max: '100', step: '1', class: 'score-input', 'aria-label': t('cohort.score_label') });
    const complete = (result) => act(() => post(`/cohorts/${c.id}/completions`, {
      person: e.person, result, score: score.value === '' ? null : Number(score.value),
    }), (r) => (r.skills && r.skills.note ? tmsg(r.skills.note) : tp('cohort.completed_skills', r.skills ? r.skills.added : 0, { n: int(r.skills ? r.skills.added : 0) })));
    return h('span', { class: 'complete-form' }, score, ' ',
      h('button', { type: 'button', class: 'btn-small', onclick: () => complete('passed') }, t('cohort.mark_passed')), ' ',
      h('button', { type: 'button', class: 'btn-small', onclick: () => complete('failed') }, t('cohort.mark_failed')));
  };
  const cancelCell = (e) => (e.status === 'enrolled' || e.status === 'waiting'
    ? h('button', {
      type: 'button', class: 'btn-small',
      onclick: () => act(() => del(`/cohorts/${c.id}/enrolments/${encodeURIComponent(e.person)}`),
        (r) => (r.promoted ? t('cohort.cancelled_promoted', { person: r.promoted }) : t('cohort.cancelled'))),
    }, t('cohort.cancel'))
    : null);
  return h('section', { class: 'section', 'aria-labelledby': 'staff-h' },
    h('h2', { id: 'staff-h' }, t('cohort.staff_title')),
    h('p', { class: 'muted' }, t(!enrols ? 'p13.cohort_shown_provider' : people.shown === 'all' ? 'cohort.shown_all' : 'cohort.shown_organisation')),
    h('div', { class: 'field inline-form' }, h('label', { for: statusSelect.id }, t('cohort.col_status')), ' ', statusSelect, ' ',
      h('button', { type: 'button', class: 'btn-small', onclick: () => act(() => post(`/cohorts/${c.id}/status`, { status: statusSelect.value }), () => t('cohort.status_changed')) }, t('cohort.status_submit'))),
    // enrolling and cancelling are the counsellors' (a provider records attendance and results)
    !enrols ? null : c.status === 'open' ? enrolForm : h('p', { class: 'muted' }, t('cohort.not_open')),
    status,
    list.length ? table(tp('cohort.people_caption', list.length, { n: int(list.length) }), [
      { key: 'person', label: t('cohort.col_person'), render: (e) => h('code', { class: 'person-id' }, e.person) },
      { key: 'status', label: t('cohort.col_status'), render: (e) => h('span', {}, t(`cohort.enrolment_${e.status}`), e.position ? ` (${int(e.position)})` : '') },
      { key: 'attendance', label: tp('cohort.col_attendance', sessions.length, { n: int(sessions.length) }), render: attendanceCell },
      { key: 'result', label: t('cohort.col_result'), render: resultCell },
      ...(enrols ? [{ key: 'cancel', label: t('cohort.col_actions'), render: cancelCell }] : []),
    ], list, { className: 'enrolments-table' }) : h('p', {}, t('cohort.nobody')),
    list.length ? exportButtons(`fow-cohort-${c.id}`, () => list.map((e) => ({
      person: e.person, status: e.status, position: e.position, attended: e.attended, sessions: sessions.length,
      result: e.result, score: e.score, completed_on: e.completed_on,
    }))) : null);
}
