// calls.js — the voucher programme's calls for applications (docs/vouchers-calls.md):
// #/calls lists them (GET /api/v1/calls, public); #/call/ID shows one with its voucher
// values, the criteria the jury scores and its eligibility rules, each worded from its
// message code (GET /api/v1/calls/{id}). A person signed in checks their eligibility rule
// by rule (GET /api/v1/me/calls/{id}/eligibility) and applies (POST
// /api/v1/me/calls/{id}/applications); a juror of the call goes to its scoring page
// (#/jury/ID, pages/jury.js). A person sees their own applications to the call (GET
// /api/v1/me/applications) with the decision and, once awarded, the voucher it issued, linked
// to its card on #/me/vouchers.

import { h, append, replace, newId, announce } from '../dom.js';
import { t, tp, tmsg, has, lang } from '../i18n.js';
import { get, post } from '../api.js';
import { pageTitle, errorBox, loading, dateTime } from '../ui.js';
import { voucherStatus } from './vouchers-mine.js';
import { session, refreshSession } from '../session.js';

/** The addresses of this page (main.js). */
export const routes = [{ path: 'calls', nav: 'calls' }, { path: 'call/:id', nav: 'calls' }];

/** A bilingual title in the page's language (the other one when empty). */
export function titleOf(x) {
  const title = (x && x.title) || {};
  return title[lang()] || title.en || title.ro || '';
}

/** Money {minor_units, currency} as "1.200,00 RON" in the page's locale. */
export function money(m) {
  if (!m) return '';
  const value = (m.minor_units / 100).toLocaleString(lang() === 'ro' ? 'ro-RO' : 'en-GB',
    { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${value} ${m.currency}`;
}

/** A rule's message in the page's language; employment statuses (codes in the message's
 * params, e.g. "unemployed") are worded with the record's own strings. */
export function ruleText(m) {
  if (!m || !m.params) return tmsg(m);
  const word = (code) => (has(`me.status_${code}`) ? t(`me.status_${code}`) : code);
  const params = { ...m.params };
  if (typeof params.statuses === 'string') params.statuses = params.statuses.split(', ').map(word).join(', ');
  if (typeof params.status === 'string') params.status = word(params.status);
  return tmsg({ ...m, params });
}

function stateBadge(state) {
  const cls = state === 'open' ? 'badge-yes' : state === 'closed' ? 'badge-no' : 'badge-neutral';
  return h('span', { class: `badge ${cls}`, 'data-state': state }, t(`calls.state_${state}`));
}

function valueText(v) {
  return t(v.mode === 'fixed' ? 'calls.value_fixed' : 'calls.value_up_to',
    { applicant: t(`calls.applicant_${v.applicant}`), amount: money(v.amount) });
}

function callCard(c) {
  return h('article', { class: 'card call-card', 'data-call': String(c.id) },
    h('h2', {}, h('a', { href: `#/call/${c.id}` }, titleOf(c)), ' ', stateBadge(c.state)),
    h('p', {}, t('calls.dates', { from: c.opens_on, to: c.closes_on }), ' · ',
      t(`calls.purpose_${c.purpose}`), ` ${c.year}`),
    h('ul', {}, (c.values || []).map((v) => h('li', {}, valueText(v)))),
    h('p', { class: 'hint' }, tp('calls.rules_count', c.rules), ' · ', tp('calls.applications_count', c.applications)));
}

async function listPage(main, ctx) {
  ctx.setTitle(t('calls.title'));
  append(main, pageTitle(t('calls.title'), t('calls.lead')));
  const box = h('section', { class: 'section', 'aria-live': 'polite' }, loading());
  append(main, box);
  let calls;
  try {
    calls = (await get('/calls')).calls || [];
  } catch (err) {
    replace(box, errorBox(err));
    return;
  }
  if (!ctx.isCurrent()) return;
  replace(box, calls.length ? calls.map(callCard) : h('p', {}, t('calls.none')));
}

/** The rule-by-rule evaluation: one line per rule, its outcome and its explanation. */
export function eligibilityView(ev) {
  const outcomeClass = { passed: 'badge-yes', failed: 'badge-no', unknown: 'badge-unknown', not_applicable: 'badge-neutral' };
  return h('div', { class: 'eligibility' },
    h('p', { class: ev.eligible ? 'cred-banner cred-valid' : 'cred-banner cred-invalid', role: 'status' },
      h('strong', {}, ev.eligible ? t('calls.eligible') : t('calls.not_eligible'))),
    h('ol', { class: 'rule-list' }, (ev.rules || []).map((r) => h('li', { 'data-outcome': r.outcome },
      h('span', { class: `badge ${outcomeClass[r.outcome] || ''}` }, t(`calls.outcome_${r.outcome}`)), ' ',
      ruleText(r.message)))),
    ev.evaluated_at ? h('p', { class: 'hint' }, t('calls.evaluated_at', { at: dateTime(ev.evaluated_at) })) : null);
}

/** One of the person's own applications: its status, the decision and its reason, and the
 * voucher the award issued (its code, linked to its card on #/me/vouchers). */
function myApplicationCard(a) {
  const facts = [
    [t('myapp.status'), h('span', { class: `badge ${{ awarded: 'badge-yes', rejected: 'badge-no', ineligible: 'badge-no' }[a.status] || 'badge-neutral'}`,
      'data-status': a.status }, t(`calls.status_${a.status}`))],
    [t('myapp.submitted'), dateTime(a.submitted_at)],
    [t('myapp.requested'), money(a.requested)],
  ];
  const d = a.decision;
  if (d) {
    if (d.value) facts.push([t('myapp.value'), money(d.value)]);
    if (d.reason) facts.push([t('myapp.reason'), h('span', { 'data-user-input': '' }, d.reason)]);
    facts.push([t('myapp.decided'), dateTime(d.decided_at)]);
  }
  const v = a.voucher;
  return h('article', { class: 'card my-application', 'data-application': String(a.id) },
    h('h3', {}, t('myapp.application', { id: a.id })),
    h('dl', { class: 'facts-dl' }, facts.flatMap(([k, val]) => [h('dt', {}, k), h('dd', {}, val)])),
    v ? h('div', { class: 'my-application-voucher', 'data-voucher': v.code },
      h('p', {}, h('strong', {}, t('myapp.voucher')), ' ', h('code', { class: 'voucher-code' }, v.code), ' ',
        voucherStatus(v.status)),
      h('p', { class: 'hint' }, t('myapp.voucher_valid', { from: v.valid_from, to: v.valid_until })),
      h('p', {}, h('a', { class: 'button secondary', href: `#/me/vouchers?code=${encodeURIComponent(v.code)}` },
        t('myapp.voucher_link'))))
      : a.status === 'awarded' ? h('p', { class: 'hint' }, t('myapp.voucher_pending')) : null);
}

function applySection(call, user) {
  const box = h('section', { class: 'section', 'aria-labelledby': 'call-apply' }, h('h2', { id: 'call-apply' }, t('calls.apply_title')));
  if (!user) {
    append(box, h('p', {}, t('calls.apply_sign_in')),
      h('p', {}, h('a', { class: 'button', href: `#/login?next=call/${call.id}` }, t('account.login'))));
    return box;
  }
  if (user.role === 'juror') {
    append(box, h('p', {}, h('a', { class: 'button', href: `#/jury/${call.id}` }, t('calls.to_jury'))));
    return box;
  }
  if (user.role !== 'person') {
    append(box, h('p', {}, t('calls.apply_staff')));
    if (user.role === 'admin' || user.role === 'programme_manager') {
      append(box, h('p', {}, h('a', { class: 'button', href: `#/call/${call.id}/ranking` }, t('ranking.to_ranking'))));
    }
    return box;
  }
  const result = h('div', { 'aria-live': 'polite' });
  const check = async () => {
    replace(result, loading());
    try {
      replace(result, eligibilityView(await get(`/me/calls/${call.id}/eligibility`)));
    } catch (err) {
      replace(result, errorBox(err));
    }
  };
  append(box, h('p', {}, t('calls.check_lead')),
    h('div', { class: 'actions' }, h('button', { type: 'button', class: 'button secondary', onclick: check }, t('calls.check'))),
    result);
  if (call.state !== 'open') {
    append(box, h('p', {}, t('calls.not_open')));
    return box;
  }
  const value = (call.values || []).find((v) => v.applicant === 'person');
  if (!value) {
    append(box, h('p', {}, t('calls.no_person_value')));
    return box;
  }
  const proposalId = newId('p');
  const amountId = newId('a');
  const proposal = h('textarea', { id: proposalId, rows: '4', maxlength: '4000', required: true });
  const amount = h('input', { id: amountId, type: 'number', min: '1', step: '0.01',
    max: String(value.amount.minor_units / 100), value: String(value.amount.minor_units / 100),
    readonly: value.mode === 'fixed' });
  const errors = h('div', { class: 'form-errors' });
  const done = h('div', { 'aria-live': 'polite' });
  const submit = async (e) => {
    e.preventDefault();
    replace(errors);
    if (!proposal.value.trim()) {
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('calls.proposal_required')));
      proposal.focus();
      return;
    }
    try {
      const a = await post(`/me/calls/${call.id}/applications`,
        { proposal: proposal.value.trim(), amount: Math.round(Number(amount.value) * 100) });
      announce(t('calls.applied', { id: a.id }));
      replace(done, h('div', { class: 'card' }, h('p', {}, t('calls.applied', { id: a.id }), ' ',
        h('strong', {}, t(`calls.status_${a.status}`))), a.eligibility ? eligibilityView(a.eligibility) : null));
      form.hidden = true;
    } catch (err) {
      replace(errors, errorBox(err));
    }
  };
  const form = h('form', { class: 'form', onsubmit: submit },
    h('div', { class: 'field' }, h('label', { for: proposalId }, t('calls.proposal')), proposal),
    h('div', { class: 'field' }, h('label', { for: amountId }, t('calls.amount', { currency: value.amount.currency })), amount,
      h('p', { class: 'hint' }, valueText(value))),
    errors,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, t('calls.apply'))));
  append(box, form, done);
  return box;
}

/** A person's own applications to call (newest first), shown above the apply section; with
 * one, the application form of applyBox is hidden (a person applies once to a call). */
function myApplicationsSection(call, applyBox) {
  const section = h('section', { class: 'section', 'aria-labelledby': 'call-mine', hidden: true },
    h('h2', { id: 'call-mine' }, t('myapp.title')));
  const list = h('div', { 'aria-live': 'polite' });
  append(section, list);
  get('/me/applications').then((data) => {
    const own = (data.applications || []).filter((a) => a.call && a.call.id === call.id);
    if (!own.length) return;
    const form = applyBox.querySelector('form');
    if (form) form.hidden = true;
    section.hidden = false;
    replace(list, own.map(myApplicationCard));
  }).catch((err) => {
    section.hidden = false;
    replace(list, errorBox(err));
  });
  return section;
}

async function callPage(main, ctx) {
  const box = h('div', {}, loading());
  append(main, box);
  let call;
  try {
    call = await get(`/calls/${encodeURIComponent(ctx.params.id)}`);
  } catch (err) {
    replace(box, errorBox(err));
    return;
  }
  let s = session();
  if (!s.checked) s = await refreshSession();
  if (!ctx.isCurrent()) return;
  ctx.setTitle(titleOf(call));
  const facts = [
    [t('calls.state'), stateBadge(call.state)],
    [t('calls.dates_label'), t('calls.dates', { from: call.opens_on, to: call.closes_on })],
    [t('calls.purpose'), `${t(`calls.purpose_${call.purpose}`)} ${call.year}`],
    [t('calls.budget_line'), h('span', { 'data-name': '' }, `${call.budget_line.fund}${call.budget_line.name ? ` — ${call.budget_line.name}` : ''}`)],
  ];
  replace(box,
    pageTitle(titleOf(call), t('calls.call_lead')),
    h('dl', { class: 'facts-dl two-col facts call-facts' }, facts.map(([k, v]) => [h('dt', {}, k), h('dd', {}, v)])),
    h('section', { class: 'section', 'aria-labelledby': 'call-values' },
      h('h2', { id: 'call-values' }, t('calls.values_title')),
      h('ul', {}, (call.values || []).map((v) => h('li', {}, valueText(v))))),
    h('section', { class: 'section', 'aria-labelledby': 'call-rules' },
      h('h2', { id: 'call-rules' }, t('calls.rules_title')),
      (call.rules || []).length
        ? h('ol', { class: 'rule-list call-rules' }, call.rules.map((r) => h('li', { 'data-kind': r.rule.kind }, ruleText(r.message))))
        : h('p', {}, t('calls.no_rules')),
      h('p', { class: 'hint' }, t('calls.rules_note'))),
    h('section', { class: 'section', 'aria-labelledby': 'call-criteria' },
      h('h2', { id: 'call-criteria' }, t('calls.criteria_title')),
      h('table', { class: 'data-table' },
        h('caption', { class: 'visually-hidden' }, t('calls.criteria_title')),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('calls.criterion')), h('th', { scope: 'col' }, t('calls.weight')),
          h('th', { scope: 'col' }, t('calls.max_score')))),
        h('tbody', {}, (call.criteria || []).map((c) => h('tr', {}, h('td', {}, titleOf(c)), h('td', {}, `${c.weight}%`),
          h('td', {}, String(c.max_score)))))),
      h('p', { class: 'hint' }, t('calls.ranking_note'))),
    ...(() => {
      const apply = applySection(call, s.user);
      return s.user && s.user.role === 'person' ? [myApplicationsSection(call, apply), apply] : [apply];
    })());
}

export async function render(main, ctx) {
  if (ctx.params && ctx.params.id) return callPage(main, ctx);
  return listPage(main, ctx);
}
