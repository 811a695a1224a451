// modules-common.js — what the pages of modules written by providers
// (modules-mine.js) and their review (modules-review.js) share: who may see
// them, a module's status, title, cost and skills in the page's language.
// A helper: it has no routes.

import { h, append } from '../dom.js';
import { t, lang, locale } from '../i18n.js';
import { text, roleName } from '../ui.js';
import { session, refreshSession } from '../session.js';

/** The signed-in user when their role is one of roles; else shows why not
 * (sign in first, or a role that may not) and returns null. */
export async function userWithRole(main, ctx, roles, next) {
  let s = session();
  if (!s.checked) s = await refreshSession();
  if (!ctx.isCurrent()) return null;
  if (!s.user) {
    // every page that asks for a role comes here (people, a case, a plan, my record, the jury, the office,
    // modules): the words name no page in particular
    append(main, h('p', {}, t('walk.sign_in_first')),
      h('p', {}, h('a', { class: 'button', href: `#/login?next=${next}` }, t('account.login'))));
    return null;
  }
  if (!roles.includes(s.user.role)) {
    append(main, h('div', { class: 'warning', role: 'note' },
      t('walk.not_allowed', { role: roleName(s.user.role), roles: roles.map(roleName).join(', ') })));
    return null;
  }
  return s.user;
}

/** A badge of a module's status (draft, submitted, approved, rejected). */
export function statusBadge(status) {
  const cls = status === 'approved' ? 'badge-yes' : status === 'rejected' ? 'badge-no'
    : status === 'submitted' ? 'badge-neutral' : 'badge-unknown';
  return h('span', { class: `badge ${cls}`, 'data-status': status }, t(`modedit.status_${status}`));
}

/** The module's title in the page's language (the other one when empty). */
export function titleOf(m) {
  const mine = m.title && m.title[lang()];
  return mine || (m.title && (m.title.ro || m.title.en)) || m.code;
}

/** Its cost per participant, e.g. "450,00 RON". */
export function costOf(m) {
  if (!m.cost) return text(null);
  const amount = new Intl.NumberFormat(locale(), { style: 'currency', currency: m.cost.currency })
    .format(m.cost.minor_units / 100);
  return t('modedit.cost_per', { amount });
}

/** The labels of the skills it teaches. */
export function skillsOf(m) {
  return (m.skills || []).map((s) => s.label).join('; ');
}
