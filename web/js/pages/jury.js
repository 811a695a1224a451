// jury.js — a juror scores the applications of a call whose jury they sit on
// (docs/vouchers-calls.md): #/jury/ID lists the call's eligible applications (GET
// /api/v1/jury/calls/{id}/applications: no person ids), each with its proposal and
// eligibility (GET /api/v1/jury/applications/{id}), a score per criterion of the call (POST
// .../scores) and the declaration of a conflict of interest with a reason (POST
// .../conflict), after which fow refuses their scores of it.

import { h, append, replace, newId, announce } from '../dom.js';
import { t, tp } from '../i18n.js';
import { get, post } from '../api.js';
import { pageTitle, errorBox, loading } from '../ui.js';
import { userWithRole } from './modules-common.js';
import { titleOf, money, eligibilityView } from './calls.js';

/** The addresses of this page (main.js). */
export const routes = [{ path: 'jury/:id', nav: 'calls' }];

function applicantName(a) {
  const ap = a.applicant || {};
  return ap.kind === 'enterprise' && ap.enterprise
    ? t('jury.enterprise', { name: ap.enterprise.name, code: ap.enterprise.registration_code })
    : t('jury.person', { id: a.id });
}

function scoreForm(call, app, refresh) {
  const mine = new Map((app.scores || []).map((s) => [s.criterion, s]));
  const inputs = (call.criteria || []).map((c) => {
    const id = newId('s');
    const input = h('input', { id, type: 'number', min: '0', max: String(c.max_score), step: '1', required: true,
      value: mine.has(c.code) ? String(mine.get(c.code).score) : '' });
    return { c, input, field: h('div', { class: 'field' },
      h('label', { for: id }, t('jury.score_label', { criterion: titleOf(c), max: c.max_score, weight: c.weight })), input) };
  });
  const commentId = newId('c');
  const comment = h('textarea', { id: commentId, rows: '2', maxlength: '500' });
  const errors = h('div', { class: 'form-errors' });
  const submit = async (e) => {
    e.preventDefault();
    replace(errors);
    try {
      await post(`/jury/applications/${app.id}/scores`, {
        scores: inputs.map(({ c, input }) => ({ criterion: c.code, score: Number(input.value), comment: comment.value.trim() || undefined })),
      });
      announce(t('jury.scored', { id: app.id }));
      refresh();
    } catch (err) {
      replace(errors, errorBox(err));
    }
  };
  return h('form', { class: 'form jury-scores', onsubmit: submit },
    inputs.map((i) => i.field),
    h('div', { class: 'field' }, h('label', { for: commentId }, t('jury.comment')), comment),
    errors,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('jury.save_scores'))));
}

function conflictForm(app, refresh) {
  const id = newId('r');
  const reason = h('textarea', { id, rows: '2', maxlength: '500' });
  const errors = h('div', { class: 'form-errors' });
  const declare = async () => {
    replace(errors);
    if (!reason.value.trim()) {
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('jury.reason_required')));
      reason.focus();
      return;
    }
    try {
      await post(`/jury/applications/${app.id}/conflict`, { reason: reason.value.trim() });
      announce(t('jury.conflict_declared', { id: app.id }));
      refresh();
    } catch (err) {
      replace(errors, errorBox(err));
    }
  };
  return h('details', { class: 'jury-conflict' }, h('summary', {}, t('jury.conflict_title')),
    h('p', { class: 'hint' }, t('jury.conflict_lead')),
    h('div', { class: 'field' }, h('label', { for: id }, t('jury.reason')), reason), errors,
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button secondary', onclick: declare }, t('jury.declare'))));
}

async function applicationCard(call, summary, refresh) {
  const card = h('article', { class: 'card jury-card', 'data-application': String(summary.id) }, loading());
  let app;
  try {
    app = await get(`/jury/applications/${summary.id}`);
  } catch (err) {
    replace(card, errorBox(err));
    return card;
  }
  replace(card,
    h('h2', {}, applicantName(app), ' ', h('span', { class: 'badge badge-neutral' }, t(`calls.status_${app.status}`))),
    h('p', {}, t('jury.requested', { amount: money(app.requested) })),
    h('blockquote', { class: 'proposal', 'data-name': '' }, app.proposal || t('jury.no_proposal')),
    app.eligibility ? h('details', {}, h('summary', {}, t('jury.eligibility')), eligibilityView(app.eligibility)) : null,
    app.conflict
      ? h('p', { class: 'warning', role: 'note' }, t('jury.conflicted'))
      : [scoreForm(call, app, refresh), conflictForm(app, refresh)]);
  return card;
}

async function listView(box, call, ctx) {
  replace(box, loading());
  let list;
  try {
    list = (await get(`/jury/calls/${call.id}/applications`)).applications || [];
  } catch (err) {
    replace(box, errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  const refresh = () => listView(box, call, ctx);
  const scored = list.filter((a) => (a.scores || []).length > 0).length;
  replace(box, h('p', {}, tp('jury.count', list.length), ' ', t('jury.scored_by_you', { n: scored })));
  if (!list.length) append(box, h('p', {}, t('jury.none')));
  for (const a of list) append(box, await applicationCard(call, a, refresh));
}

export async function render(main, ctx) {
  ctx.setTitle(t('jury.title'));
  const head = h('div', {});
  append(main, head);
  const user = await userWithRole(main, ctx, ['juror'], `jury/${ctx.params.id}`);
  if (!user) {
    replace(head, pageTitle(t('jury.title')));
    return;
  }
  let call;
  try {
    call = await get(`/calls/${encodeURIComponent(ctx.params.id)}`);
  } catch (err) {
    append(main, errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  replace(head, pageTitle(t('jury.title'), titleOf(call)),
    h('p', {}, t('jury.lead'), ' ', h('a', { href: `#/call/${call.id}` }, t('jury.call_link'))));
  const box = h('section', { class: 'section', 'aria-live': 'polite' });
  append(main, box);
  await listView(box, call, ctx);
}
