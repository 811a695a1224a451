// modules-review.js — "To approve": a programme manager reads the modules
// providers submitted (GET /api/v1/module-reviews) and approves each, or
// rejects it with a reason the provider reads (POST
// /api/v1/modules/{id}/review). Approved modules enter the public
// catalogue. Other statuses can be listed too, to see what was decided.

import { h, append, replace, newId, announce } from '../dom.js';
import { t, tp } from '../i18n.js';
import { get, post } from '../api.js';
import { pageTitle, errorBox, loading, num, text, dateTime } from '../ui.js';
import { userWithRole, statusBadge, titleOf, costOf, skillsOf } from './modules-common.js';

/** The addresses of this page (main.js): #/path, with its menu entry. */
export const routes = [{ path: 'reviews', nav: 'reviews' }];

const STATUSES = ['submitted', 'approved', 'rejected', 'draft', 'any'];

function card(m, refresh) {
  const reasonId = newId('r');
  const reason = h('textarea', { id: reasonId, rows: '2', maxlength: '1000' });
  const errors = h('div', { class: 'form-errors' });
  const decide = async (decision) => {
    replace(errors);
    if (decision === 'reject' && !reason.value.trim()) {
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('modedit.reason_required')));
      reason.focus();
      return;
    }
    try {
      const body = { decision };
      if (reason.value.trim()) body.reason = reason.value.trim();
      await post(`/modules/${m.id}/review`, body);
      announce(t(decision === 'approve' ? 'modedit.done_approve' : 'modedit.done_reject', { code: m.code }));
      refresh();
    } catch (err) {
      replace(errors, errorBox(err));
    }
  };
  const facts = [
    [t('modedit.provider'), h('span', { 'data-name': '' }, m.provider.name)],
    [t('modedit.hours'), num(m.hours, 1)],
    [t('modedit.mode'), t(`modedit.mode_${m.mode}`)],
    [t('modedit.language'), h('span', { 'data-name': '' }, m.language)],
    [t('modedit.cost_col'), costOf(m)],
    [t('modedit.skills_col'), h('span', { 'data-name': '' }, skillsOf(m))],
    [t('modedit.written_by'), h('span', { 'data-name': '' }, text(m.source.written_by))],
  ];
  return h('article', { class: 'card review-card', 'data-module': String(m.id) },
    h('h3', {}, h('span', { 'data-name': '' }, `${m.code} — ${titleOf(m)}`), ' ', statusBadge(m.status)),
    m.description && (m.description.ro || m.description.en)
      ? h('p', { 'data-name': '' }, m.description.ro || m.description.en) : null,
    h('dl', { class: 'facts-dl two-col facts' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    m.review && m.review.reason
      ? h('p', {}, t('modedit.reason_was'), ' ', h('q', { 'data-name': '' }, m.review.reason),
        m.review.at ? ` (${dateTime(m.review.at)})` : '') : null,
    m.status === 'submitted' ? h('div', {},
      h('div', { class: 'field' }, h('label', { for: reasonId }, t('modedit.reason')), reason),
      errors,
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'button', onclick: () => decide('approve') }, t('modedit.approve')),
        h('button', { type: 'button', class: 'button secondary', onclick: () => decide('reject') }, t('modedit.reject')))) : null);
}

async function listView(box, status) {
  replace(box, loading());
  let list;
  try {
    list = (await get('/module-reviews', { status })).modules || [];
  } catch (err) {
    replace(box, errorBox(err));
    return;
  }
  const refresh = () => listView(box, status);
  replace(box,
    h('p', {}, tp('modedit.count', list.length)),
    list.length ? list.map((m) => card(m, refresh))
      : h('p', {}, status === 'submitted' ? t('modedit.queue_empty') : t('modedit.none_status')));
}

export async function render(main, ctx) {
  ctx.setTitle(t('modedit.review_title'));
  append(main, pageTitle(t('modedit.review_title'), t('modedit.review_lead')));
  const user = await userWithRole(main, ctx, ['programme_manager', 'admin'], 'reviews');
  if (!user) return;
  const selectId = newId('s');
  const status = ctx.query.get('status') || 'submitted';
  const select = h('select', { id: selectId }, STATUSES.map((s) => h('option', { value: s, selected: s === status },
    s === 'any' ? t('modedit.status_any') : t(`modedit.status_${s}`))));
  const box = h('section', { class: 'section', 'aria-live': 'polite' });
  select.addEventListener('change', () => listView(box, select.value));
  append(main, h('div', { class: 'field' }, h('label', { for: selectId }, t('modedit.show_status')), select), box);
  listView(box, STATUSES.includes(status) ? status : 'submitted');
}
