// modules-mine.js — "My modules": a training provider's staff write the
// modules of their provider, change them, send them to review and delete
// them (POST/PUT/DELETE /api/v1/modules, POST /api/v1/modules/{id}/submit),
// and see every one of their provider's modules with its status (GET
// /api/v1/provider-modules). An administrator sees every provider's and
// names the provider of a new module. A module is public once a programme
// manager approved it (modules-review.js); a change makes it a draft again.
// Imported modules are listed but change only by importing their file again.

import { h, append, replace, newId, announce } from '../dom.js';
import { t, tp } from '../i18n.js';
import { get, post, put, del } from '../api.js';
import { pageTitle, errorBox, loading, table, text, num } from '../ui.js';
import { userWithRole, statusBadge, titleOf, costOf, skillsOf } from './modules-common.js';

/** The addresses of this page (main.js): #/path, with its menu entry. */
export const routes = [{ path: 'my-modules', nav: 'my-modules' }];

const MODES = ['in_person', 'online', 'blended'];

function field(label, input, hint) {
  const id = newId('f');
  input.id = id;
  const hintId = hint ? newId('h') : null;
  if (hintId) input.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' }, h('label', { for: id }, label), input,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null);
}

// "450,5" or "450.50" → 45050 minor units; null when it is not an amount.
function minorUnits(textValue) {
  const m = /^\s*(\d{1,9})(?:[.,](\d{1,2}))?\s*$/.exec(textValue);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] || '0').padEnd(2, '0'));
}

function lines(textValue) {
  return textValue.split(/\n|;/).map((s) => s.trim()).filter(Boolean);
}

// The form of a new module (m null) or of module m; done() after a save.
function moduleForm(user, m, done) {
  const v = (x) => (x === null || x === undefined ? '' : String(x));
  const code = h('input', { type: 'text', value: m ? m.code : '', maxlength: '60', disabled: !!m, autocomplete: 'off' });
  const provider = h('input', { type: 'number', min: '1', step: '1', value: m ? v(m.provider.id) : '' });
  const titleRo = h('input', { type: 'text', lang: 'ro', maxlength: '300', value: m ? m.title.ro : '' });
  const titleEn = h('input', { type: 'text', lang: 'en', maxlength: '300', value: m ? m.title.en : '' });
  const descRo = h('textarea', { lang: 'ro', rows: '3', maxlength: '4000' }, m ? v(m.description.ro) : '');
  const descEn = h('textarea', { lang: 'en', rows: '3', maxlength: '4000' }, m ? v(m.description.en) : '');
  const hours = h('input', { type: 'number', min: '0.5', max: '10000', step: '0.5', value: m ? v(m.hours) : '' });
  const mode = h('select', {}, MODES.map((x) => h('option', { value: x, selected: m ? m.mode === x : x === 'in_person' },
    t(`modedit.mode_${x}`))));
  const language = h('input', { type: 'text', maxlength: '3', value: m ? m.language : 'ro', autocomplete: 'off' });
  const place = h('input', { type: 'text', maxlength: '300', value: m ? v(m.place) : '' });
  const cost = h('input', { type: 'text', inputmode: 'decimal', value: m ? (m.cost.minor_units / 100).toFixed(2) : '' });
  const currency = h('input', { type: 'text', maxlength: '3', value: m ? m.cost.currency : 'RON', autocomplete: 'off' });
  const skills = h('textarea', { rows: '3' }, m ? (m.skills || []).map((s) => s.uri || s.label).join('\n') : '');
  const preSkills = h('textarea', { rows: '2' }, m ? (m.prerequisites.skills || []).map((s) => s.uri || s.label).join('\n') : '');
  const preModules = h('input', { type: 'text', value: m ? (m.prerequisites.modules || []).map((x) => x.id).join(', ') : '' });
  const eligibility = h('textarea', { rows: '2', maxlength: '2000' }, m ? v(m.eligibility) : '');
  const errors = h('div', { class: 'form-errors' });
  const submit = h('button', { type: 'submit', class: 'button' }, m ? t('modedit.save') : t('modedit.create'));
  const cancel = h('button', { type: 'button', class: 'button secondary', onclick: () => done(null) }, t('modedit.cancel'));
  const form = h('form', { class: 'panel', novalidate: true, 'aria-label': m ? t('modedit.edit_title', { code: m.code }) : t('modedit.new_title') },
    h('h2', {}, m ? t('modedit.edit_title', { code: m.code }) : t('modedit.new_title')),
    m ? h('p', { class: 'hint' }, t('modedit.edit_note')) : null,
    field(t('modedit.code'), code, m ? null : t('modedit.code_hint')),
    user.role === 'admin' && !m ? field(t('modedit.provider_id'), provider, t('modedit.provider_hint')) : null,
    h('div', { class: 'fields-2' }, field(t('modedit.title_ro'), titleRo), field(t('modedit.title_en'), titleEn)),
    h('div', { class: 'fields-2' }, field(t('modedit.description_ro'), descRo), field(t('modedit.description_en'), descEn)),
    h('div', { class: 'fields-2' }, field(t('modedit.hours'), hours), field(t('modedit.mode'), mode)),
    h('div', { class: 'fields-2' }, field(t('modedit.language'), language, t('modedit.language_hint')), field(t('modedit.place'), place)),
    h('div', { class: 'fields-2' }, field(t('modedit.cost'), cost, t('modedit.cost_hint')), field(t('modedit.currency'), currency)),
    field(t('modedit.skills'), skills, t('modedit.skills_hint')),
    field(t('modedit.pre_skills'), preSkills, t('modedit.skills_hint')),
    field(t('modedit.pre_modules'), preModules, t('modedit.pre_modules_hint')),
    field(t('modedit.eligibility'), eligibility),
    errors,
    h('div', { class: 'actions' }, submit, cancel));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    replace(errors);
    const minor = minorUnits(cost.value);
    if (minor === null) {
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('modedit.cost_invalid')));
      cost.focus();
      return;
    }
    const body = {
      title: { ro: titleRo.value.trim(), en: titleEn.value.trim() },
      description: { ro: descRo.value.trim(), en: descEn.value.trim() },
      hours: Number(hours.value), mode: mode.value, language: language.value.trim(), place: place.value.trim(),
      cost_minor: minor, currency: currency.value.trim(), eligibility: eligibility.value.trim(),
      skills: lines(skills.value), prerequisite_skills: lines(preSkills.value),
      prerequisite_modules: preModules.value.split(/[,\s]+/).filter(Boolean).map(Number),
    };
    if (!m) body.code = code.value.trim();
    if (!m && user.role === 'admin' && provider.value) body.provider_id = Number(provider.value);
    submit.disabled = true;
    try {
      const saved = m ? await put(`/modules/${m.id}`, body) : await post('/modules', body);
      announce(t('modedit.saved', { code: saved.code }));
      done(saved);
    } catch (err) {
      replace(errors, errorBox(err, { context: t('modedit.save_failed') }));
      const box = errors.querySelector('.error-box');
      if (box) { box.tabIndex = -1; box.focus(); }
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

async function listView(box, formBox, user) {
  replace(box, loading());
  let list;
  try {
    list = (await get('/provider-modules')).modules || [];
  } catch (err) {
    replace(box, errorBox(err));
    return;
  }
  const refresh = () => listView(box, formBox, user);
  const act = async (what, m) => {
    try {
      if (what === 'submit') await post(`/modules/${m.id}/submit`, {});
      if (what === 'delete') {
        if (!window.confirm(t('modedit.confirm_delete', { code: m.code }))) return;
        await del(`/modules/${m.id}`);
      }
      announce(t(`modedit.done_${what}`, { code: m.code }));
      refresh();
    } catch (err) {
      replace(formBox, errorBox(err));
    }
  };
  const edit = (m) => {
    replace(formBox, moduleForm(user, m, (saved) => { replace(formBox); if (saved) refresh(); }));
    formBox.querySelector('input:not([disabled]), textarea')?.focus();
  };
  const counts = {};
  for (const m of list) counts[m.status] = (counts[m.status] || 0) + 1;
  replace(box,
    h('p', {}, tp('modedit.count', list.length), list.length ? ' — ' : '',
      ['draft', 'submitted', 'approved', 'rejected'].filter((s) => counts[s])
        .map((s) => `${t(`modedit.status_${s}`)}: ${counts[s]}`).join(', ')),
    list.length ? table(t('modedit.list_caption'), [
      { key: 'code', label: t('modedit.code'), render: (m) => h('span', { 'data-name': '' }, m.code) },
      { key: 'title', label: t('modedit.title'), render: (m) => h('span', { 'data-name': '' }, titleOf(m)) },
      user.role === 'admin' ? { key: 'provider', label: t('modedit.provider'), render: (m) => h('span', { 'data-name': '' }, m.provider.name) } : null,
      { key: 'status', label: t('modedit.status'), render: (m) => h('span', {}, statusBadge(m.status),
        m.status === 'rejected' && m.review.reason ? h('span', { class: 'hint block' }, t('modedit.reason_was'), ' ', h('q', { 'data-name': '' }, m.review.reason)) : null) },
      { key: 'hours', label: t('modedit.hours'), num: true, render: (m) => num(m.hours, 1) },
      { key: 'cost', label: t('modedit.cost_col'), num: true, render: (m) => costOf(m) },
      { key: 'skills', label: t('modedit.skills_col'), render: (m) => h('span', { 'data-name': '' }, skillsOf(m)) },
      { key: 'actions', label: t('modedit.actions'), render: (m) => (m.source.written_by
        ? h('span', { class: 'row-actions' },
          h('button', { type: 'button', class: 'text-button', onclick: () => edit(m) }, t('modedit.edit')),
          m.status === 'draft' || m.status === 'rejected'
            ? h('button', { type: 'button', class: 'text-button', onclick: () => act('submit', m) }, t('modedit.submit')) : null,
          h('button', { type: 'button', class: 'text-button', onclick: () => act('delete', m) }, t('modedit.delete')))
        : h('span', { class: 'hint' }, t('modedit.imported'))) },
    ].filter(Boolean), list) : h('p', {}, t('modedit.none_yet')));
}

export async function render(main, ctx) {
  ctx.setTitle(t('modedit.mine_title'));
  append(main, pageTitle(t('modedit.mine_title'), t('modedit.mine_lead')));
  const user = await userWithRole(main, ctx, ['provider', 'admin'], 'my-modules');
  if (!user) return;
  const formBox = h('div', {});
  const listBox = h('section', { class: 'section', 'aria-live': 'polite' });
  const newButton = h('button', { type: 'button', class: 'button' }, t('modedit.new'));
  newButton.addEventListener('click', () => {
    replace(formBox, moduleForm(user, null, (saved) => { replace(formBox); if (saved) listView(listBox, formBox, user); }));
    formBox.querySelector('input')?.focus();
  });
  append(main, h('div', { class: 'actions' }, newButton), formBox, listBox);
  listView(listBox, formBox, user);
}
