// ui.js — the pieces pages share: numbers that say "unknown" instead of
// guessing, yes/no/unknown badges, error boxes with the server's message,
// provenance notes, tables with CSV/JSON export, and links.

import { h, download, newId, replace } from './dom.js';
import { t, locale, has, tmsg, hasMsg, lang } from './i18n.js';
import { occupationId, skillId } from './api.js';

/** "necunoscut"/"unknown" for null, undefined and NaN; otherwise the number formatted. */
export function num(value, digits = 2, opts = {}) {
  if (value === null || value === undefined || Number.isNaN(value)) return unknown();
  return new Intl.NumberFormat(locale(), { minimumFractionDigits: opts.min ?? 0, maximumFractionDigits: digits, ...opts.fmt })
    .format(value);
}

/** A similarity (0..1) with two decimals. */
export function sim(value) {
  return num(value, 2, { min: 2 });
}

/** An integer with the locale's grouping. */
export function int(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return unknown();
  return new Intl.NumberFormat(locale(), { maximumFractionDigits: 0 }).format(value);
}

/** A share 0..1 as a percentage. */
export function pct(value, digits = 0) {
  if (value === null || value === undefined || Number.isNaN(value)) return unknown();
  return new Intl.NumberFormat(locale(), { style: 'percent', maximumFractionDigits: digits }).format(value);
}

/** Pounds sterling (the UK ASHE earnings the MCC attributes use). */
export function gbp(value) {
  if (value === null || value === undefined || Number.isNaN(value)) return unknown();
  return new Intl.NumberFormat(locale(), { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 }).format(value);
}

export function unknown() { return t('common.unknown'); }

/**
 * A server message ({code, params, text}, or a plain string) as a span in
 * the page's language; a message the strings cannot word yet shows the
 * server's English text, marked lang="en".
 */
export function msgText(m) {
  if (m === null || m === undefined || m === '') return h('span', {}, unknown());
  return hasMsg(m) ? h('span', {}, tmsg(m)) : h('span', { lang: 'en' }, tmsg(m));
}

/** A number (already formatted) that never breaks across lines. */
export function nowrap(textValue) {
  return h('span', { class: 'nowrap' }, textValue);
}

/** A text or "unknown" when empty. */
export function text(value) {
  return value === null || value === undefined || value === '' ? unknown() : String(value);
}

/** A date-time from the API (ISO 8601) in the locale. */
export function dateTime(iso) {
  if (!iso) return unknown();
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** A yes/no/unknown badge (tristate strings or booleans from the API). */
export function tri(value, kind = '') {
  let v = value;
  if (v === true) v = 'yes';
  else if (v === false) v = 'no';
  else if (v !== 'yes' && v !== 'no') v = 'unknown';
  const label = kind ? t(`tri.${kind}.${v}`) : t(`tri.${v}`);
  return h('span', { class: `badge badge-${v}` }, label);
}

/** The MCC risk category ("High risk", "Other") in the interface language. */
export function riskCategory(cat) {
  if (!cat) return unknown();
  const key = `risk.category.${cat.toLowerCase().replace(/[^a-z]+/g, '_')}`;
  return has(key) ? t(key) : cat;
}

/** A badge for an MCC category. */
export function riskBadge(cat) {
  if (!cat) return h('span', { class: 'badge badge-unknown' }, t('risk.category_unknown'));
  const high = /high/i.test(cat);
  return h('span', { class: `badge ${high ? 'badge-no' : 'badge-neutral'}` }, riskCategory(cat));
}

/**
 * The attributes of an element showing a taxonomy label: one the taxonomy
 * has only in its own language (label_untranslated, from api.js) is marked
 * with that language (label_lang, else "en") and data-taxonomy-label, as the
 * browser test expects.
 */
export function labelAttrs(item, attrs = {}) {
  // label_lang: the language of the label when the API says it (the worker's plan); else the taxonomy's, English
  return item && item.label_untranslated ? { ...attrs, lang: item.label_lang || 'en', 'data-taxonomy-label': '' } : attrs;
}

/** A taxonomy label (of an occupation, skill or ISCO group) as a span. */
export function taxonomyLabel(item) {
  return h('span', labelAttrs(item), item && item.label ? item.label : unknown());
}

/**
 * A label of the ISCO classification (a group's title), which the taxonomy
 * holds in its own language only: marked as a taxonomy label on pages in
 * another language.
 */
export function iscoLabel(textValue) {
  return lang() === 'en' ? h('span', {}, textValue) : h('span', { lang: 'en', 'data-taxonomy-label': '' }, textValue);
}

/** The label of a row naming an ISCO group or an occupation: its label_local when the API gave one, else marked as the taxonomy's. */
export function groupLabel(r) {
  return r && r.label_source ? h('span', {}, r.label) : iscoLabel(text(r && r.label));
}

/** A link to an occupation page. */
export function occLink(o, label) {
  return h('a', labelAttrs(label ? null : o, { href: `#/occupation/${encodeURIComponent(occupationId(o))}` }),
    label || o.label || o.code || unknown());
}

/** A link to a skill page. */
export function skillLink(s, label) {
  return h('a', labelAttrs(label ? null : s, { href: `#/skill/${encodeURIComponent(skillId(s))}` }), label || s.label || unknown());
}

/** An error box with the server's message (and the field it names). */
export function errorBox(err, { context } = {}) {
  if (err && err.name === 'AbortError') return null;
  const status = err && err.status;
  let title = t('error.title');
  if (status === 0) title = t('error.network');
  else if (status === 404) title = t('error.not_found');
  else if (status === 401) title = t('error.unauthorized');
  else if (status === 403) title = t('error.forbidden');
  else if (status === 503) title = t('error.unavailable');
  else if (status === 429) title = t('error.too_many');
  return h('div', { class: 'error-box', role: 'alert' },
    h('p', { class: 'error-title' }, context ? `${title} (${context})` : title),
    err && err.message ? h('p', {}, h('span', { class: 'muted' }, `${t('error.server_says')} `),
      h('span', { lang: 'en' }, err.message)) : null,
    err && err.field ? h('p', { class: 'muted' }, t('error.field', { field: err.field })) : null,
    status ? h('p', { class: 'muted small' }, `HTTP ${status}${err.code ? ` · ${err.code}` : ''}`) : null);
}

/** A "loading" paragraph for busy regions. */
export function loading() {
  return h('p', { class: 'loading' }, t('common.loading'));
}

/**
 * Where the numbers come from: the provenance object of a transitions,
 * gap or upskill response.
 */
export function provenanceNote(p) {
  if (!p) return null;
  const model = p.risk_model === 'frey-osborne' ? t('model.frey-osborne') : t('model.mcc');
  return h('details', { class: 'provenance' },
    h('summary', {}, t('prov.title')),
    h('dl', {},
      h('dt', {}, t('prov.similarity')), h('dd', {}, msgText(p.similarity_message || p.similarity)),
      h('dt', {}, t('prov.thresholds')),
      h('dd', {}, t('prov.thresholds_text', { viable: num(p.viable_from), highly: num(p.highly_viable_from) })),
      h('dt', {}, t('prov.risk', { model })), h('dd', { lang: 'en', 'data-name': '' }, text(p.risk_source || null)),
      h('dt', {}, t('prov.attributes')), h('dd', { lang: 'en', 'data-name': '' }, text(p.attributes_source || null)),
      h('dt', {}, t('prov.rules')), h('dd', {}, t('prov.rules_text'), ' ',
        h('a', { href: '#/sources#methods' }, t('prov.methods_link')))));
}

function csvCell(v) {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Export buttons for rows (plain objects): CSV with columns (keys), and
 * the JSON of the rows. name: the file name without extension.
 */
export function exportButtons(name, getRows, columns) {
  const csv = () => {
    const rows = getRows();
    const cols = columns || (rows.length ? Object.keys(rows[0]) : []);
    const lines = [cols.join(',')];
    for (const r of rows) {
      lines.push(cols.map((c) => {
        const v = r[c];
        return csvCell(v !== null && typeof v === 'object' ? JSON.stringify(v) : v);
      }).join(','));
    }
    download(`${name}.csv`, `${lines.join('\r\n')}\r\n`, 'text/csv;charset=utf-8');
  };
  const json = () => download(`${name}.json`, `${JSON.stringify(getRows(), null, 2)}\n`, 'application/json');
  return h('div', { class: 'export', role: 'group', 'aria-label': t('export.label') },
    h('button', { type: 'button', class: 'btn-small', onclick: csv }, t('export.csv')),
    h('button', { type: 'button', class: 'btn-small', onclick: json }, t('export.json')));
}

/**
 * A table: columns [{key, label, render(row) → node|string, num: bool}],
 * with a caption. Wide tables scroll inside their own box, never the page.
 */
export function table(caption, columns, rows, { className = '' } = {}) {
  return h('div', { class: 'table-wrap', role: 'region', 'aria-label': caption, tabindex: '0' },
    h('table', { class: `stack ${className}`.trim() },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.num ? 'num' : null }, c.label)))),
      h('tbody', {}, rows.map((r) => h('tr', {}, columns.map((c, i) => {
        const cell = c.render ? c.render(r) : text(r[c.key]);
        return i === 0 && c.rowHeader !== false
          ? h('th', { scope: 'row', class: c.num ? 'num' : null }, cell)
          : h('td', { class: c.num ? 'num' : null, 'data-label': c.label }, cell);
      }))))));
}

/** A page heading that takes the focus after navigation. */
export function pageTitle(textValue, sub) {
  return h('div', { class: 'page-head' },
    h('h1', { tabindex: '-1', id: 'page-title' }, textValue),
    sub ? h('p', { class: 'lead' }, sub) : null);
}

/** A bar showing a value in 0..1 next to its number (decorative). */
export function meter(value) {
  const v = typeof value === 'number' && !Number.isNaN(value) ? Math.max(0, Math.min(1, value)) : 0;
  return h('span', { class: 'meter', 'aria-hidden': 'true' }, h('span', { style: { width: `${Math.round(v * 100)}%` } }));
}

/** The label of a risk model. */
export function modelName(model) {
  return model === 'frey-osborne' ? t('model.frey-osborne') : t('model.mcc');
}

/** A role name ("admin", …) in the interface language. */
export function roleName(role) {
  const s = t(`role.${role}`);
  return s.startsWith('[') ? role : s;
}

/**
 * Asks for the signed-in user's own password before an action that moves
 * money (the office's routes take it as confirm_password): an accessible
 * modal dialog (role="dialog", aria-modal, labelled by its title and
 * described by what the action will do), the focus kept inside it while it
 * is open and given back to where it was after. Escape or "Cancel" resolve
 * null; "Confirm" resolves the password typed. The password is read once
 * from the field and the dialog removed: nothing keeps it (no storage, no
 * module variable). opts: {title, summary (a text or node: what will be
 * done), confirmLabel, error (a text shown in the dialog, e.g. after a
 * wrong password)}.
 */
export function confirmPassword({ title, summary, confirmLabel, error } = {}) {
  return new Promise((resolve) => {
    const before = document.activeElement;
    const titleId = newId('cp-title');
    const descId = newId('cp-desc');
    const fieldId = newId('cp-pw');
    const errorId = newId('cp-err');
    const input = h('input', { id: fieldId, type: 'password', autocomplete: 'current-password', required: true,
      'aria-describedby': error ? errorId : null, 'aria-invalid': error ? 'true' : null });
    const problem = h('p', { id: errorId, class: 'field-error', role: 'alert' }, error || '');
    problem.hidden = !error;
    let done = false;
    let behind = [];
    const close = (value) => {
      if (done) return;
      done = true;
      input.value = '';
      document.removeEventListener('focusin', keepFocus, true);
      for (const el of behind) el.inert = false;
      backdrop.remove();
      document.body.classList.remove('has-dialog');
      if (before && typeof before.focus === 'function' && before.isConnected) before.focus();
      resolve(value);
    };
    const submit = (ev) => {
      ev.preventDefault();
      const value = input.value;
      if (!value) {
        replace(problem, t('office.confirm_password_empty'));
        problem.hidden = false;
        input.setAttribute('aria-invalid', 'true');
        input.setAttribute('aria-describedby', errorId);
        input.focus();
        return;
      }
      close(value);
    };
    const cancelButton = h('button', { type: 'button', class: 'button secondary', onclick: () => close(null) }, t('office.confirm_cancel'));
    const dialog = h('div', { class: 'dialog', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': titleId,
      'aria-describedby': descId },
    h('form', { class: 'form', novalidate: true, onsubmit: submit },
      h('h2', { id: titleId }, title || t('office.confirm_title')),
      h('div', { id: descId },
        summary ? h('p', { class: 'dialog-summary' }, summary) : null,
        h('p', { class: 'hint' }, t('office.confirm_lead'))),
      h('div', { class: 'field' }, h('label', { for: fieldId }, t('office.confirm_password')), input),
      problem,
      h('div', { class: 'actions' },
        h('button', { type: 'submit', class: 'button' }, confirmLabel || t('office.confirm_confirm')),
        cancelButton)));
    const backdrop = h('div', { class: 'dialog-backdrop' }, dialog);
    const focusables = () => [...dialog.querySelectorAll('input, button, a[href], select, textarea, [tabindex]:not([tabindex="-1"])')]
      .filter((el) => !el.disabled && !el.hidden);
    // Tab and Shift+Tab go round the dialog's controls; Escape cancels
    dialog.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') { ev.preventDefault(); ev.stopPropagation(); close(null); return; }
      if (ev.key !== 'Tab') return;
      const list = focusables();
      if (!list.length) return;
      const first = list[0];
      const last = list[list.length - 1];
      if (ev.shiftKey && document.activeElement === first) { ev.preventDefault(); last.focus(); }
      else if (!ev.shiftKey && document.activeElement === last) { ev.preventDefault(); first.focus(); }
    });
    // a click or focus outside (the page behind is inert for the user) comes back to the dialog
    function keepFocus(ev) {
      if (!dialog.contains(ev.target)) input.focus();
    }
    backdrop.addEventListener('mousedown', (ev) => { if (ev.target === backdrop) ev.preventDefault(); });
    document.addEventListener('focusin', keepFocus, true);
    document.body.classList.add('has-dialog');
    // the page behind is inert while the dialog is open (screen readers and the keyboard stay in it)
    behind = [...document.body.children].filter((el) => !el.inert && el.id !== 'announcer');
    for (const el of behind) el.inert = true;
    document.body.appendChild(backdrop);
    input.focus();
  });
}
