// plan-edit.js — changing a worker's plan on #/plan/ID (staff only;
// docs/plans.md): its status, its target moves (add one from an occupation:
// the server keeps the gap from the person's profile and the modules that
// close it; remove one), the modules of each move (choose or clear the
// cohort, enrol the person in it, drop a module, add one of the
// catalogue), and the milestones (add, change status and due date). Each
// change is one request of /api/v1/plans/...; the page is then drawn again
// from the plan the server holds, with its history. A helper (no routes).

import { h, replace, newId, announce } from '../dom.js';
import { t, tp, lang } from '../i18n.js';
import { get, post, del } from '../api.js';
import { combobox } from '../combobox.js';
import { errorBox, taxonomyLabel } from '../ui.js';
import { dates as cohortDates } from './cohort-common.js';

const STATUSES = ['draft', 'active', 'completed', 'cancelled'];
const MS_STATUSES = ['planned', 'in_progress', 'done', 'dropped'];

function moduleTitle(m) {
  return (m.title && (m.title[lang()] || m.title.en || m.title.ro)) || m.code;
}

/**
 * The section that changes plan (a document of GET /api/v1/plans/{id}):
 * refresh() draws the page again after a change. Loads the cohorts and
 * the catalogue's modules it offers.
 */
export async function planEditSection(plan, ctx, refresh) {
  const [cohorts, modules] = await Promise.all([
    get('/cohorts').then((r) => r.cohorts || []),
    get('/modules').then((r) => r.modules || []),
  ]);
  const errors = h('div', { class: 'form-errors', 'aria-live': 'polite', id: 'plan-edit-errors' });
  const base = `/plans/${plan.id}`;
  const closed = plan.status === 'completed' || plan.status === 'cancelled';
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

  // status
  const statusId = newId('plan-status');
  const status = h('select', { id: statusId }, STATUSES.map((s) => h('option', { value: s, selected: s === plan.status }, t(`planpage.status_${s}`))));
  const statusForm = h('form', { class: 'plan-status-form inline-form', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: statusId }, t('case.plan_status_label')), status),
    h('button', { type: 'submit', class: 'btn-small' }, t('case.save_status')));
  statusForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    change(() => post(`${base}/status`, { status: status.value }), t('case.status_saved', { status: t(`planpage.status_${status.value}`) }));
  });

  // a module of a move: its cohort, enrolment, drop
  const moduleRow = (move, m) => {
    const options = cohorts.filter((c) => c.module.code === m.code && (c.status === 'open' || c.status === 'planned' || c.id === m.cohort_id));
    const selId = newId('plan-cohort');
    const sel = h('select', { id: selId, class: 'plan-cohort-select', dataset: { module: m.code } },
      h('option', { value: '' }, t('case.no_cohort')),
      options.map((c) => h('option', { value: String(c.id), selected: c.id === m.cohort_id },
        `${cohortDates(c)} · ${t(`cohort.status_${c.status}`)} · ${tp('case.seats_left', c.seats.left)}`)));
    sel.addEventListener('change', () => change(
      () => post(`${base}/moves/${move.id}/modules/${encodeURIComponent(m.code)}/cohort`, { cohort_id: sel.value ? Number(sel.value) : null }),
      t('case.cohort_saved', { code: m.code })));
    const enrol = m.cohort_id ? h('button', {
      type: 'button', class: 'btn-small plan-enrol', dataset: { cohort: String(m.cohort_id) },
      onclick: () => change(async () => {
        const r = await post(`/cohorts/${m.cohort_id}/enrolments`, { person: plan.person });
        const e = r.enrolment || r;
        announce(e.status === 'waiting' ? t('case.enrolled_waiting') : t('case.enrolled_now'));
      }, t('case.enrolment_done', { code: m.code })),
    }, t('case.enrol_person')) : null;
    return h('li', { class: 'plan-edit-module', dataset: { module: m.code } },
      h('p', {}, h('code', {}, m.code), ' ', moduleTitle(m)),
      h('div', { class: 'field' }, h('label', { for: selId }, t('case.cohort_for', { code: m.code })), sel),
      h('div', { class: 'actions' }, enrol,
        h('button', {
          type: 'button', class: 'btn-small',
          onclick: () => change(() => del(`${base}/moves/${move.id}/modules/${encodeURIComponent(m.code)}`), t('case.module_dropped', { code: m.code })),
        }, t('case.drop_module', { code: m.code }))));
  };

  const moveBlock = (move) => {
    const addId = newId('plan-add-module');
    const chosen = new Set((move.modules || []).map((m) => m.code));
    const addSel = h('select', { id: addId }, modules.filter((m) => !chosen.has(m.code))
      .map((m) => h('option', { value: m.code }, `${m.code} · ${moduleTitle(m)}`)));
    const addForm = h('form', { class: 'inline-form', novalidate: true },
      h('div', { class: 'field' }, h('label', { for: addId }, t('case.add_module')), addSel),
      h('button', { type: 'submit', class: 'btn-small' }, t('case.add_module_submit')));
    addForm.addEventListener('submit', (ev) => {
      ev.preventDefault();
      if (!addSel.value) return;
      change(() => post(`${base}/moves/${move.id}/modules`, { module: addSel.value }), t('case.module_added', { code: addSel.value }));
    });
    const label = (move.occupation && (move.occupation.label || move.occupation.uri)) || '';
    return h('fieldset', { class: 'plan-edit-move', dataset: { move: String(move.id) } },
      h('legend', {}, t('case.move_legend', { occupation: label })),
      (move.modules || []).length ? h('ul', { class: 'plain-list' }, move.modules.map((m) => moduleRow(move, m))) : h('p', {}, t('planpage.no_modules')),
      addForm,
      h('div', { class: 'actions' }, h('button', {
        type: 'button', class: 'btn-small',
        onclick: () => change(() => del(`${base}/moves/${move.id}`), t('case.move_removed', { occupation: label })),
      }, t('case.remove_move', { occupation: label }))));
  };

  // a new move
  let target = null;
  const targetNote = h('p', { class: 'muted small' }, t('case.move_none_chosen'));
  const occ = combobox({
    id: 'plan-move-occupation', label: t('case.add_move'), kind: 'occupation', placeholder: t('tr.origin_placeholder'),
    hint: t('case.add_move_hint'),
    onSelect: (hit) => { target = hit; replace(targetNote, t('case.move_chosen'), ' ', h('strong', {}, taxonomyLabel(hit))); },
  });
  const moveForm = h('form', { class: 'plan-move-form', novalidate: true }, occ.element, targetNote,
    h('button', { type: 'submit', class: 'btn-small' }, t('case.add_move_submit')));
  moveForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!target) {
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('case.move_none_chosen')));
      return;
    }
    change(() => post(`${base}/moves`, { occupation: target.uri }), t('case.move_added', { occupation: target.label }));
  });

  // milestones
  const msRow = (ms) => {
    const sId = newId('ms-status');
    const dId = newId('ms-due');
    const titleId = newId('ms-name');
    const sel = h('select', { id: sId, 'aria-describedby': titleId }, MS_STATUSES.map((s) => h('option', { value: s, selected: s === ms.status }, t(`planpage.ms_${s}`))));
    const due = h('input', { id: dId, type: 'date', value: ms.due || '', 'aria-describedby': titleId });
    const f = h('form', { class: 'inline-form plan-ms-form', novalidate: true, dataset: { milestone: String(ms.id) } },
      h('p', { class: 'ms-title', id: titleId }, h('strong', {}, ms.title)),
      h('div', { class: 'field' }, h('label', { for: sId }, t('case.ms_status')), sel),
      h('div', { class: 'field' }, h('label', { for: dId }, t('case.ms_due')), due),
      h('button', { type: 'submit', class: 'btn-small' }, t('case.ms_save')));
    f.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const body = { status: sel.value };
      if (due.value && due.value !== ms.due) body.due = due.value;
      change(() => post(`${base}/milestones/${ms.id}`, body), t('case.ms_saved', { title: ms.title }));
    });
    return h('li', {}, f);
  };
  const msTitleId = newId('ms-title');
  const msDueId = newId('ms-new-due');
  const msTitle = h('input', { id: msTitleId, type: 'text', maxlength: '200' });
  const msDue = h('input', { id: msDueId, type: 'date' });
  const msForm = h('form', { class: 'plan-ms-add', novalidate: true },
    h('div', { class: 'split' },
      h('div', { class: 'field' }, h('label', { for: msTitleId }, t('case.ms_title')), msTitle),
      h('div', { class: 'field' }, h('label', { for: msDueId }, t('case.ms_due')), msDue)),
    h('button', { type: 'submit', class: 'btn-small' }, t('case.ms_add')));
  msForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!msTitle.value.trim() || !msDue.value) {
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('case.ms_needs')));
      return;
    }
    change(() => post(`${base}/milestones`, { title: msTitle.value.trim(), due: msDue.value }), t('case.ms_added', { title: msTitle.value.trim() }));
  });

  return h('section', { class: 'section plan-edit no-print', 'aria-labelledby': 'plan-edit-h' },
    h('h2', { id: 'plan-edit-h' }, t('case.plan_edit_title')),
    h('p', { class: 'hint' }, closed ? t('case.plan_closed') : t('case.plan_edit_note')),
    errors,
    statusForm,
    closed ? null : [
      h('h3', {}, t('case.moves_and_modules')),
      (plan.moves || []).map(moveBlock),
      moveForm,
      h('h3', {}, t('planpage.milestones')),
      (plan.milestones || []).length ? h('ul', { class: 'plain-list' }, plan.milestones.map(msRow)) : null,
      msForm,
    ]);
}
