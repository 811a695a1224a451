// vouchers-mine.js — "My vouchers" (#/me/vouchers, role person; docs/vouchers.md):
// the signed-in person's Cluj Experimentation Vouchers from GET /api/v1/me/vouchers —
// balance (from the voucher's ledger account), validity, whether it can be spent
// today, where (the providers and modules it allows, or any), what was redeemed
// from it — and its QR code (GET /api/v1/vouchers/{code}/qr.svg), which a
// provider's phone opens at #/redeem?code=CODE. Read-only.

import { h, replace } from '../dom.js';
import { t, tp, lang } from '../i18n.js';
import { get, apiUrl } from '../api.js';
import { session } from '../session.js';
import { pageTitle, errorBox, loading, table, text, dateTime, nowrap } from '../ui.js';
import { money } from './calls.js';

/** The addresses of this page (main.js). */
export const routes = [{ path: 'me/vouchers', nav: 'me-vouchers' }];

/** A {en, ro} title in the page's language. */
export function localTitle(title) {
  if (!title) return '';
  return title[lang()] || title.en || title.ro || '';
}

/** A range of two dates, each kept on one line. */
export function dateRange(from, until) {
  return h('span', {}, nowrap(from), ' – ', nowrap(until));
}

/** A voucher status as a badge. */
export function voucherStatus(status) {
  const kind = status === 'active' ? 'badge-yes' : status === 'issued' ? 'badge-neutral' : 'badge-no';
  return h('span', { class: `badge ${kind}` }, t(`vside.status_${status}`));
}

/** A claim (redemption) status as a badge. */
export function claimStatus(status) {
  const kind = status === 'paid' || status === 'payable' ? 'badge-yes'
    : status === 'refunded' ? 'badge-no' : 'badge-neutral';
  return h('span', { class: `badge ${kind}` }, t(`vside.claim_${status}`));
}

/** Why a voucher cannot be spent today, or null when it can. */
function notUsableReason(held) {
  const v = held.voucher;
  if (held.usable) return null;
  if (v.status !== 'active') return t(`vside.why_${v.status}`);
  if (v.amounts.balance_minor <= 0) return t('vside.why_spent');
  const today = new Date().toISOString().slice(0, 10);
  if (today < v.valid_from) return t('vside.why_not_yet', { date: v.valid_from });
  return t('vside.why_past', { date: v.valid_until });
}

function whereList(held) {
  const w = held.where;
  const items = [];
  if (w.any_provider && w.any_module) items.push(h('li', {}, t('vside.where_any')));
  if (!w.any_provider) {
    items.push(h('li', {}, t('vside.where_providers'), ' ',
      w.providers.map((p) => p.name || t('vside.provider_id', { id: p.id })).join(', ')));
  }
  if (!w.any_module) {
    items.push(h('li', {}, t('vside.where_modules'), ' ',
      w.modules.map((m) => (m.title ? `${localTitle(m.title)} (${m.code})` : m.code)).join(', ')));
  }
  return h('ul', { class: 'plain' }, items);
}

function voucherCard(held) {
  const v = held.voucher;
  const cur = v.currency;
  const why = notUsableReason(held);
  const id = `vside-${v.id}`;
  const facts = [
    [t('vside.code'), h('code', { class: 'voucher-code' }, v.code)],
    [t('vside.status'), voucherStatus(v.status)],
    [t('vside.balance'), h('strong', {}, money({ minor_units: v.amounts.balance_minor, currency: cur }))],
    [t('vside.value'), money({ minor_units: v.amounts.value_minor, currency: cur })],
    [t('vside.redeemed'), money({ minor_units: v.amounts.redeemed_minor, currency: cur })],
    [t('vside.valid'), dateRange(v.valid_from, v.valid_until)],
    [t('vside.where'), whereList(held)],
  ];
  const redemptions = held.redemptions || [];
  return h('section', { class: 'section voucher-card', 'aria-labelledby': id, 'data-code': v.code },
    h('h2', { id }, t(`vside.purpose_${v.purpose}`, {}) || v.purpose),
    h('div', { class: 'voucher-body' },
      h('dl', { class: 'facts-dl' }, facts.flatMap(([k, val]) => [h('dt', {}, k), h('dd', {}, val)])),
      h('figure', { class: 'voucher-qr' },
        h('img', { src: apiUrl(`/vouchers/${encodeURIComponent(v.code)}/qr.svg`), width: 200, height: 200,
          alt: t('vside.qr_alt', { code: v.code }) }),
        h('figcaption', { class: 'hint' }, held.usable ? t('vside.qr_caption') : t('vside.qr_caption_unusable')))),
    why ? h('p', { class: 'warning', role: 'note' }, why) : h('p', { class: 'hint' }, t('vside.usable_note')),
    h('h3', {}, t('vside.redemptions_title')),
    redemptions.length
      ? table(t('vside.redemptions_title'), [
        { key: 'module', label: t('vside.module'), render: (r) => text(r.title ? `${localTitle(r.title)} (${r.module})` : r.module) },
        { key: 'provider', label: t('vside.provider'), render: (r) => text(r.provider || '—') },
        { key: 'amount', label: t('vside.amount'), num: true, render: (r) => money({ minor_units: r.amount_minor, currency: r.currency }) },
        { key: 'status', label: t('vside.claim_status'), render: (r) => claimStatus(r.status) },
        { key: 'when', label: t('vside.when'), render: (r) => dateTime(new Date(r.redeemed_at * 1000).toISOString()) },
      ], redemptions)
      : h('p', { class: 'hint' }, t('vside.no_redemptions')));
}

export async function render(main, ctx) {
  ctx.setTitle(t('vside.mine_title'));
  const body = h('div', {}, loading());
  replace(main, pageTitle(t('vside.mine_title'), t('vside.mine_lead')), body);
  const user = session().user;
  if (!user || user.role !== 'person') {
    replace(body, h('p', { class: 'warning', role: 'note' }, t('vside.mine_person_only')));
    return;
  }
  try {
    const data = await get('/me/vouchers');
    if (!ctx.isCurrent()) return;
    const list = data.vouchers || [];
    replace(body,
      h('p', { class: 'hint', 'data-testid': 'vside-count' }, tp('vside.count', list.length)),
      list.length ? list.map(voucherCard) : h('p', {}, t('vside.none')),
      h('p', { class: 'hint small' }, t('vside.mine_source')));
    // ?code=CEV-… (the link of the person's awarded application on #/call/ID): that voucher's card
    const wanted = ctx.query.get('code');
    const card = wanted ? [...body.querySelectorAll('.voucher-card')].find((c) => c.dataset.code === wanted) : null;
    if (card) {
      card.classList.add('voucher-card-focus');
      card.setAttribute('tabindex', '-1');
      ctx.focusOn(card); // the router focuses it and scrolls to it once the page is drawn
    }
  } catch (err) {
    if (!ctx.isCurrent()) return;
    replace(body, errorBox(err));
  }
}
