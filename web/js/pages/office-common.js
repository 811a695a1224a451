// office-common.js — what the voucher office's pages (office.js, office-vouchers.js,
// office-claims.js, office-payments.js) share: who may see them (admin and voucher_office),
// the tabs between them, money typed in lei and shown with its currency, the statuses, and
// the password confirmation that every action moving money asks for (ui.js confirmPassword;
// the API takes it as confirm_password and answers 403 auth.confirmation_required or
// auth.confirmation_failed). A helper: it has no routes.

import { h } from '../dom.js';
import { t, locale, has } from '../i18n.js';
import { get } from '../api.js';
import { confirmPassword, unknown, errorBox } from '../ui.js';
import { userWithRole } from './modules-common.js';

/** The roles that run the voucher office (docs/roles.md: manage_vouchers). */
export const OFFICE_ROLES = ['admin', 'voucher_office'];

/** The signed-in office user, or null after saying why not (main.js shows the rest). */
export function officeUser(main, ctx, next) {
  return userWithRole(main, ctx, OFFICE_ROLES, next);
}

const TABS = [['office', 'office.tab_funds'], ['office/vouchers', 'office.tab_vouchers'],
  ['office/claims', 'office.tab_claims'], ['office/payments', 'office.tab_payments']];

/** The links between the office's four pages, the current one marked. */
export function officeTabs(current) {
  return h('nav', { class: 'tabs', 'aria-label': t('office.tabs_label') },
    h('ul', {}, TABS.map(([path, key]) => h('li', {},
      h('a', { href: `#/${path}`, 'aria-current': path === current ? 'page' : null }, t(key))))));
}

/**
 * Minor units (bani) as money in the page's locale with its currency:
 * "1.500,00 RON" in ro, "RON 1,500.00" in en. The division is exact for
 * every amount the API can hold (below 2^53); only the shown text is made.
 */
export function lei(minor, currency = 'RON') {
  if (minor === null || minor === undefined || Number.isNaN(Number(minor))) return unknown();
  return new Intl.NumberFormat(locale(), { style: 'currency', currency: currency || 'RON',
    minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(Number(minor) / 100);
}

/**
 * An amount typed in lei with at most two decimals ("1500", "1500.5",
 * "1500,50"; a comma or a point before the decimals, no sign, no
 * thousands separator) as whole bani, without floating point:
 * {minor} or {error: the text saying what is wrong}.
 */
export function parseLei(typed) {
  const s = String(typed ?? '').trim().replace(/\s+/g, '');
  if (!s) return { error: t('office.amount_missing') };
  const m = s.match(/^(\d{1,13})(?:[.,](\d{1,2}))?$/);
  if (!m) return { error: t('office.amount_bad', { typed: s.slice(0, 30) }) };
  const minor = Number(m[1]) * 100 + Number((m[2] || '').padEnd(2, '0'));
  return { minor };
}

/** An input for lei with its label and hint (two decimals at most). */
export function amountField(id, label, { value = '', required = true } = {}) {
  const hintId = `${id}-hint`;
  const input = h('input', { id, type: 'text', inputmode: 'decimal', autocomplete: 'off', class: 'short',
    required, value, 'aria-describedby': hintId, pattern: '\\s*\\d+([.,]\\d{1,2})?\\s*' });
  return { input, field: h('div', { class: 'field' }, h('label', { for: id }, label), input,
    h('p', { class: 'hint', id: hintId }, t('office.amount_hint'))) };
}

/** A fresh idempotency key for one action (a retry of the same action sends it again). */
export function newKey(prefix) {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `${prefix}-${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

/** 'required' or 'failed' for the API's two confirmation errors; null for any other. */
export function confirmationError(err) {
  if (!err || err.status !== 403) return null;
  if (err.code === 'auth.confirmation_required') return 'required';
  if (err.code === 'auth.confirmation_failed') return 'failed';
  return null;
}

/**
 * Runs send(password) after asking for the user's password (confirmPassword):
 * a wrong or missing password asks again, saying which; Cancel gives null.
 * Any other error is thrown to the caller as it came.
 */
export async function withConfirmation({ title, summary, confirmLabel }, send) {
  let error = null;
  for (;;) {
    const password = await confirmPassword({ title, summary, confirmLabel, error });
    if (password === null) return null;
    try {
      return await send(password);
    } catch (err) {
      const kind = confirmationError(err);
      if (!kind) throw err;
      error = t(kind === 'failed' ? 'office.confirmation_failed' : 'office.confirmation_required');
    }
  }
}

const BADGE = {
  issued: 'badge-neutral', active: 'badge-yes', expired: 'badge-unknown', cancelled: 'badge-no',
  redeemed: 'badge-neutral', payable: 'badge-yes', batched: 'badge-neutral', paid: 'badge-yes', refunded: 'badge-unknown',
  draft: 'badge-neutral', pending: 'badge-neutral',
};

/** A status of a voucher, claim or batch as a badge (data-status: the API's code). */
export function statusBadge(status) {
  const key = `office.status_${status}`;
  return h('span', { class: `badge ${BADGE[status] || 'badge-unknown'}`, 'data-status': status }, has(key) ? t(key) : status);
}

/** A budget line's purpose in the page's language. */
export function purposeName(purpose) {
  const key = `office.purpose_${purpose}`;
  return has(key) ? t(key) : purpose;
}

export const PURPOSES = ['learning_module', 'lab_time', 'community_facilitation', 'business_support'];

/** A budget line as "Fund — purpose year (name)". */
export function lineName(l) {
  if (!l) return unknown();
  const fund = l.fund && l.fund.name ? `${l.fund.name} — ` : '';
  return `${fund}${purposeName(l.purpose)} ${l.year}${l.name ? ` (${l.name})` : ''}`;
}

/** Unix seconds as a date and time in the locale. */
export function when(seconds) {
  if (!seconds) return unknown();
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(seconds * 1000));
}

/** A labelled select of options [[value, text]]. */
export function selectField(id, label, options, { value = '', required = false } = {}) {
  const select = h('select', { id, required }, options.map(([v, text]) => h('option', { value: v, selected: String(v) === String(value) }, text)));
  return { select, field: h('div', { class: 'field' }, h('label', { for: id }, label), select) };
}

/** A labelled input. */
export function inputField(id, label, attrs = {}, hint = null) {
  const hintId = hint ? `${id}-hint` : null;
  const input = h('input', { id, type: 'text', ...attrs, 'aria-describedby': hintId });
  return { input, field: h('div', { class: 'field' }, h('label', { for: id }, label), input,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null) };
}

/**
 * The training providers' names by id, from the public catalogue (GET
 * /api/v1/modules: each module names its provider); an empty map when the
 * catalogue cannot be read (the ids are shown then).
 */
export async function providerNames() {
  const names = new Map();
  try {
    for (const m of (await get('/modules')).modules || []) if (m.provider && m.provider.id) names.set(m.provider.id, m.provider.name);
  } catch (_) { /* the ids stand in for the names */ }
  return names;
}

/** A provider's name (from providerNames), else its id. */
export function providerLabel(names, id) {
  if (!id) return t('office.provider_office');
  return names.get(id) || `#${id}`;
}

/**
 * errorBox (ui.js) for the office's actions; too many wrong passwords (429
 * auth.confirmation_throttled) is worded in the page's language.
 */
export function officeErrorBox(err) {
  if (err && err.code === 'auth.confirmation_throttled') {
    return h('div', { class: 'error-box', role: 'alert' }, h('p', { class: 'error-title' }, t('office.confirmation_throttled')),
      h('p', { class: 'muted small' }, `HTTP ${err.status} · ${err.code}`));
  }
  return errorBox(err);
}
