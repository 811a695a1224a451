// redeem.js — the training provider's side of a voucher (docs/vouchers.md):
// #/redeem takes a voucher code, typed or from the QR code the beneficiary shows
// (which opens #/redeem?code=CODE, the field filled in), looks it up (GET
// /api/v1/provider/vouchers/{code}: its balance and this provider's open cohorts
// it can pay for, or "not valid here" and nothing more) and redeems it for a
// seat in one of them (POST /api/v1/vouchers/{code}/redemptions: the enrolment
// and the redemption together or not at all); #/provider/claims lists the
// provider's own claims with their status (GET /api/v1/provider/claims).

import { h, replace } from '../dom.js';
import { t, tp } from '../i18n.js';
import { get, post } from '../api.js';
import { session } from '../session.js';
import { pageTitle, errorBox, loading, table, text, dateTime } from '../ui.js';
import { money } from './calls.js';
import { localTitle, claimStatus, dateRange } from './vouchers-mine.js';

/** The addresses of these pages (main.js). */
export const routes = [{ path: 'redeem', nav: 'redeem' }, { path: 'provider/claims', nav: 'provider-claims' }];

/** A new idempotency key for one redemption attempt. */
function newKey() {
  if (window.crypto && crypto.randomUUID) return `web-${crypto.randomUUID()}`;
  return `web-${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

/** The words for a refused look-up or redemption: the server's field decides. */
function refusal(err) {
  const field = err && err.field;
  let words = null;
  if (err && err.status === 404 && field === 'voucher') words = t('vside.not_valid_here');
  else if (err && err.status === 400 && field === 'code') words = t('vside.bad_code');
  else if (err && field === 'amount') words = t('vside.refused_amount');
  else if (err && field === 'cohort') words = t('vside.refused_cohort');
  else if (err && field === 'consent') words = t('vside.refused_consent');
  else if (err && err.status === 403) words = t('vside.refused_role');
  else if (err && field === 'key') words = t('vside.refused_key');
  if (!words) return errorBox(err);
  return h('div', { class: 'error-box', role: 'alert', 'data-field': field || '' },
    h('p', { class: 'error-title' }, words),
    err.message && field !== 'voucher' ? h('p', { class: 'muted' }, h('span', { lang: 'en' }, err.message)) : null);
}

/** Whole minor units from a typed amount ("150", "150.5", "150,50"), or null. */
function parseAmount(textValue) {
  const s = String(textValue || '').trim().replace(',', '.');
  if (!/^\d{1,12}(\.\d{1,2})?$/.test(s)) return null;
  const [whole, frac = ''] = s.split('.');
  return Number(whole) * 100 + Number((frac + '00').slice(0, 2));
}

/** true for a provider's account; else a note (with a sign-in link that comes back here, the code kept). */
function providerOnly(body, here) {
  const user = session().user;
  if (user && user.role === 'provider') return true;
  replace(body, h('div', { class: 'warning', role: 'note' },
    h('p', {}, t('vside.provider_only')),
    user ? null : h('p', {}, h('a', { href: `#/login?next=${encodeURIComponent(here)}` }, t('vside.sign_in')))));
  return false;
}

function cohortRow(offer, c, state, ctx) {
  const needsAmount = !c.cost_minor;
  const amount = h('input', { type: 'text', inputmode: 'decimal', size: 8, 'aria-label': t('vside.amount_for', { module: c.module }),
    value: needsAmount ? '' : (c.cost_minor / 100).toFixed(2), readonly: needsAmount ? null : 'readonly' });
  const outcome = h('div', { 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'button primary', 'data-cohort': c.cohort_id,
    disabled: c.seats_left > 0 ? null : 'disabled' },
    t('vside.redeem_button'));
  button.addEventListener('click', async () => {
    const minor = parseAmount(amount.value);
    if (minor === null || minor <= 0) {
      replace(outcome, h('p', { class: 'warning', role: 'alert' }, t('vside.amount_needed')));
      amount.focus();
      return;
    }
    // the same attempt keeps its key: a retry after a lost answer redeems nothing more
    const attempt = `${c.cohort_id}:${minor}`;
    if (!state.keys.has(attempt)) state.keys.set(attempt, newKey());
    button.disabled = true;
    replace(outcome, loading());
    try {
      const res = await post(`/vouchers/${encodeURIComponent(offer.code)}/redemptions`,
        { cohort_id: c.cohort_id, key: state.keys.get(attempt), amount_minor: minor });
      if (!ctx.isCurrent()) return;
      const r = res.redemption;
      state.keys.delete(attempt);
      replace(outcome, h('div', { class: 'vside-done', role: 'status', 'data-testid': 'vside-redeemed' },
        h('p', {}, t('vside.redeemed_ok', { amount: money({ minor_units: r.amount_minor, currency: r.currency }),
          module: c.module, cohort: c.cohort_id })),
        h('p', {}, h('a', { href: '#/provider/claims' }, t('vside.see_claims')))));
    } catch (err) {
      if (!ctx.isCurrent()) return;
      if (err.status && err.status !== 0) state.keys.delete(attempt);
      button.disabled = false;
      replace(outcome, refusal(err));
    }
  });
  return { ...c, amountInput: amount, button, outcome };
}

function offerView(offer, state, ctx) {
  const balance = money({ minor_units: offer.balance_minor, currency: offer.currency });
  const rows = offer.cohorts.map((c) => cohortRow(offer, c, state, ctx));
  return h('section', { class: 'section', 'aria-labelledby': 'vside-offer', 'data-testid': 'vside-offer' },
    h('h2', { id: 'vside-offer' }, t('vside.offer_title', { code: offer.code })),
    h('dl', { class: 'facts-dl' },
      h('dt', {}, t('vside.balance')), h('dd', {}, h('strong', { 'data-testid': 'vside-balance' }, balance)),
      h('dt', {}, t('vside.valid_until')), h('dd', {}, offer.valid_until)),
    rows.length
      ? table(t('vside.cohorts_caption'), [
        { key: 'module', label: t('vside.module'), render: (c) => text(`${localTitle(c.title)} (${c.module})`) },
        { key: 'cohort', label: t('vside.cohort'), render: (c) => h('a', { href: `#/cohort/${c.cohort_id}` }, `#${c.cohort_id}`) },
        { key: 'dates', label: t('vside.dates'), render: (c) => dateRange(c.starts_on, c.ends_on) },
        { key: 'place', label: t('vside.place'), render: (c) => text(c.place || '—') },
        { key: 'seats', label: t('vside.seats_left'), num: true, render: (c) => (c.seats_left > 0 ? String(c.seats_left) : t('vside.full')) },
        { key: 'amount', label: t('vside.amount'), render: (c) => h('span', {}, c.amountInput, ' ', offer.currency,
          c.cost_minor ? null : h('span', { class: 'hint small' }, ` ${t('vside.no_cost')}`),
          c.cost_minor && !c.covered ? h('span', { class: 'hint small' }, ` ${t('vside.not_covered')}`) : null) },
        { key: 'act', label: t('vside.action'), render: (c) => h('div', {}, c.button, c.outcome) },
      ], rows)
      : h('p', {}, t('vside.no_cohorts')),
    h('p', { class: 'hint small' }, t('vside.offer_note')));
}

async function renderRedeem(main, ctx) {
  ctx.setTitle(t('vside.redeem_title'));
  const body = h('div', {});
  replace(main, pageTitle(t('vside.redeem_title'), t('vside.redeem_lead')), body);
  const initial = ctx.query.get('code') || '';
  if (!providerOnly(body, initial ? `redeem?code=${initial}` : 'redeem')) return;
  const state = { keys: new Map() };
  const input = h('input', { type: 'text', id: 'vside-code', name: 'code', autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'characters', value: initial, placeholder: 'CEV-XXXX-XXXX-XXXX-XXXX', required: 'required' });
  const result = h('div', { 'aria-live': 'polite' });
  const form = h('form', { class: 'form-row', role: 'search', 'aria-label': t('vside.redeem_title') },
    h('label', { for: 'vside-code' }, t('vside.code_label')), ' ', input, ' ',
    h('button', { type: 'submit', class: 'button' }, t('vside.look_up')));
  const lookUp = async () => {
    const code = input.value.trim();
    if (!code) { input.focus(); return; }
    replace(result, loading());
    try {
      const offer = await get(`/provider/vouchers/${encodeURIComponent(code)}`);
      if (!ctx.isCurrent()) return;
      replace(result, offerView(offer, state, ctx));
    } catch (err) {
      if (!ctx.isCurrent()) return;
      replace(result, refusal(err));
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); lookUp(); });
  replace(body, h('p', { class: 'hint' }, t('vside.redeem_how')), form, result);
  if (initial) await lookUp();
}

async function renderClaims(main, ctx) {
  ctx.setTitle(t('vside.claims_title'));
  const body = h('div', {}, loading());
  replace(main, pageTitle(t('vside.claims_title'), t('vside.claims_lead')), body);
  if (!providerOnly(body, 'provider/claims')) return;
  const status = ctx.query.get('status') || '';
  const statuses = ['redeemed', 'payable', 'batched', 'paid', 'refunded'];
  const select = h('select', { id: 'vside-status' },
    h('option', { value: '' }, t('vside.all_statuses')),
    statuses.map((s) => h('option', { value: s, selected: s === status ? 'selected' : null }, t(`vside.claim_${s}`))));
  select.addEventListener('change', () => ctx.go('provider/claims', { status: select.value }));
  try {
    const data = await get('/provider/claims', { status: status || null });
    if (!ctx.isCurrent()) return;
    const claims = data.claims || [];
    const cur = claims.length ? claims[0].currency : 'RON';
    const totals = statuses.filter((s) => data.totals_minor[s])
      .map((s) => h('li', {}, `${t(`vside.claim_${s}`)}: `, h('strong', {}, money({ minor_units: data.totals_minor[s], currency: cur }))));
    replace(body,
      h('p', {}, h('label', { for: 'vside-status' }, t('vside.filter_status')), ' ', select),
      h('p', { class: 'hint', 'data-testid': 'vside-claims-count' }, tp('vside.claims_count', claims.length)),
      totals.length ? h('ul', { class: 'plain' }, totals) : null,
      claims.length ? table(t('vside.claims_title'), [
        { key: 'id', label: t('vside.claim'), render: (r) => `#${r.id}` },
        { key: 'voucher', label: t('vside.code'), render: (r) => h('code', {}, r.voucher.code) },
        { key: 'module', label: t('vside.module'), render: (r) => text(r.module) },
        { key: 'cohort', label: t('vside.cohort'), render: (r) => h('a', { href: `#/cohort/${r.cohort_id}` }, `#${r.cohort_id}`) },
        { key: 'amount', label: t('vside.amount'), num: true, render: (r) => money({ minor_units: r.amount_minor, currency: r.currency }) },
        { key: 'status', label: t('vside.claim_status'), render: (r) => claimStatus(r.status) },
        { key: 'when', label: t('vside.when'), render: (r) => dateTime(new Date(r.redeemed_at * 1000).toISOString()) },
      ], claims) : h('p', {}, t('vside.no_claims')),
      h('p', { class: 'hint small' }, t('vside.claims_source')));
  } catch (err) {
    if (!ctx.isCurrent()) return;
    replace(body, errorBox(err));
  }
}

export async function render(main, ctx) {
  if (ctx.route === 'provider/claims') return renderClaims(main, ctx);
  return renderRedeem(main, ctx);
}
