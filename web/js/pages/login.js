// login.js — signing in (POST /api/v1/auth/login). The server sets an
// HttpOnly session cookie and returns the CSRF token; the password never
// stays in the page.

import { h, append, replace, newId } from '../dom.js';
import { t } from '../i18n.js';
import { pageTitle, errorBox } from '../ui.js';
import { login, session } from '../session.js';

/** The addresses of this page (main.js): #/path, with its menu entry. */
export const routes = [{ path: 'login' }];

export async function render(main, ctx) {
  ctx.setTitle(t('login.title'));
  const next = ctx.query.get('next') || 'admin';
  const s = session();
  if (s.user) {
    append(main, pageTitle(t('login.title')),
      h('p', {}, t('login.already', { name: s.user.name })),
      h('p', {}, h('a', { href: `#/${next}` }, t('login.continue'))));
    return;
  }
  const nameId = newId('n');
  const pwId = newId('p');
  const errors = h('div', { class: 'form-errors' });
  const name = h('input', { id: nameId, name: 'name', type: 'text', autocomplete: 'username', required: true, autocapitalize: 'off', spellcheck: 'false' });
  const password = h('input', { id: pwId, name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'button' }, t('login.submit'));
  const form = h('form', { class: 'panel narrow', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: nameId }, t('login.name')), name),
    h('div', { class: 'field' }, h('label', { for: pwId }, t('login.password')), password),
    errors,
    h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    replace(errors);
    if (!name.value.trim() || !password.value) {
      replace(errors, h('p', { class: 'field-error', role: 'alert' }, t('login.required')));
      (name.value.trim() ? password : name).focus();
      return;
    }
    submit.disabled = true;
    try {
      await login(name.value.trim(), password.value);
      password.value = '';
      ctx.go(next);
    } catch (err) {
      password.value = '';
      replace(errors, errorBox(err, { context: t('login.failed') }));
      password.focus();
    } finally {
      submit.disabled = false;
    }
  });
  append(main, pageTitle(t('login.title'), t('login.lead')), form);
  if (s.checked && !s.available) append(main, h('p', { class: 'warning' }, t('login.unavailable')));
}
