// combobox.js — search as you type, following the WAI-ARIA 1.2 combobox
// pattern (an input with a listbox popup): debounced requests to
// /api/v1/search (the previous one aborted), arrows to move, Enter to pick,
// Escape to close (a second Escape clears), Tab leaves; the count of
// results is announced.

import { h, replace, newId, debounce } from './dom.js';
import { t, tp } from './i18n.js';
import { get } from './api.js';
import { riskCategory } from './ui.js';

/**
 * combobox({label, kind, onSelect(hit), onEnter(text), hint, placeholder,
 *           clearOnSelect, value, id, hideLabel})
 * → {element, input, focus(), setValue(text)}
 */
export function combobox(opts) {
  const kind = opts.kind || 'any';
  const inputId = opts.id || newId('cb');
  const listId = `${inputId}-list`;
  const hintId = `${inputId}-hint`;
  const statusId = `${inputId}-status`;
  let hits = [];
  let active = -1;
  let controller = null;
  let lastQuery = '';

  const input = h('input', {
    id: inputId, type: 'text', role: 'combobox', 'aria-autocomplete': 'list', 'aria-expanded': 'false',
    'aria-controls': listId, autocomplete: 'off', spellcheck: 'false', autocapitalize: 'off',
    'aria-describedby': opts.hint ? hintId : null, placeholder: opts.placeholder || null,
    value: opts.value || '',
  });
  const list = h('ul', { id: listId, role: 'listbox', class: 'cb-list', hidden: true, 'aria-label': opts.label });
  const status = h('div', { id: statusId, class: 'cb-status', role: 'status', 'aria-live': 'polite' });
  const element = h('div', { class: 'combobox' },
    h('label', { for: inputId, class: opts.hideLabel ? 'visually-hidden' : null }, opts.label),
    opts.hint ? h('p', { id: hintId, class: 'hint' }, opts.hint) : null,
    h('div', { class: 'cb-box' }, input, list),
    status);

  function open() {
    list.hidden = hits.length === 0;
    input.setAttribute('aria-expanded', hits.length ? 'true' : 'false');
  }

  function close() {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  }

  function setActive(i) {
    const items = list.querySelectorAll('[role="option"]');
    items.forEach((el, k) => el.setAttribute('aria-selected', k === i ? 'true' : 'false'));
    active = i;
    if (i >= 0 && items[i]) {
      input.setAttribute('aria-activedescendant', items[i].id);
      items[i].scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  function pick(i) {
    const hit = hits[i];
    if (!hit) return;
    close();
    if (opts.clearOnSelect) input.value = '';
    else input.value = hit.label;
    lastQuery = input.value.trim();
    status.textContent = '';
    opts.onSelect(hit);
  }

  function render() {
    replace(list, hits.map((hit, i) => {
      const other = hit.matched_label && hit.matched_label !== hit.label;
      const li = h('li', { role: 'option', id: `${listId}-${i}`, 'aria-selected': 'false', class: 'cb-option' },
        h('span', { class: 'cb-label' }, hit.label),
        h('span', { class: 'cb-meta' },
          kind === 'any' ? h('span', { class: 'tag' }, t(`kind.${hit.kind}`)) : null,
          hit.code ? h('span', {}, `ISCO ${hit.code}`) : null,
          other ? h('span', { lang: hit.lang || null }, `„${hit.matched_label}”`) : null,
          hit.kind === 'occupation' && hit.risk_category_mcc
            ? h('span', {}, `${t('risk.mcc_short')}: ${riskCategory(hit.risk_category_mcc)}`) : null));
      li.addEventListener('mousedown', (ev) => ev.preventDefault()); // keep the focus in the input
      li.addEventListener('click', () => pick(i));
      return li;
    }));
    open();
  }

  const search = debounce(async () => {
    const q = input.value.trim();
    if (q === lastQuery) return;
    lastQuery = q;
    if (controller) controller.abort();
    if (q.length < 2) {
      hits = [];
      render();
      status.textContent = q.length ? t('search.type_more') : '';
      return;
    }
    controller = new AbortController();
    element.setAttribute('aria-busy', 'true');
    try {
      const res = await get('/search', { q, kind, limit: 8 }, { signal: controller.signal });
      // keep the option the user is on when fresher results still hold it
      const was = active >= 0 && hits[active] ? `${hits[active].kind} ${hits[active].uri} ${hits[active].label}` : null;
      hits = res.results || [];
      render();
      const again = was ? hits.findIndex((x) => `${x.kind} ${x.uri} ${x.label}` === was) : -1;
      setActive(again);
      status.textContent = hits.length
        ? tp('search.count', res.total, { shown: hits.length })
        : t('search.none', { q });
    } catch (err) {
      if (err.name === 'AbortError') return;
      hits = [];
      render();
      status.textContent = `${t('search.failed')} ${err.message}`;
    } finally {
      element.removeAttribute('aria-busy');
    }
  }, 200);

  input.addEventListener('input', () => search());
  input.addEventListener('keydown', (ev) => {
    const n = hits.length;
    switch (ev.key) {
      case 'ArrowDown':
        ev.preventDefault();
        if (list.hidden && n) { open(); setActive(0); } else if (n) setActive((active + 1) % n);
        break;
      case 'ArrowUp':
        ev.preventDefault();
        if (list.hidden && n) { open(); setActive(n - 1); } else if (n) setActive(active <= 0 ? n - 1 : active - 1);
        break;
      case 'Home':
      case 'End':
        if (!list.hidden && n && ev.altKey === false && ev.ctrlKey) {
          ev.preventDefault();
          setActive(ev.key === 'Home' ? 0 : n - 1);
        }
        break;
      case 'Enter':
        if (!list.hidden && active >= 0) {
          ev.preventDefault();
          pick(active);
        } else if (opts.onEnter && input.value.trim()) {
          ev.preventDefault();
          search.cancel();
          close();
          opts.onEnter(input.value.trim());
        }
        break;
      case 'Escape':
        if (!list.hidden) {
          ev.preventDefault();
          close();
        } else if (input.value) {
          ev.preventDefault();
          input.value = '';
          lastQuery = '';
          hits = [];
          status.textContent = '';
        }
        break;
      case 'Tab':
        close();
        break;
      default:
        break;
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
  input.addEventListener('focus', () => { if (hits.length && input.value.trim() === lastQuery) open(); });

  return {
    element,
    input,
    focus() { input.focus(); },
    setValue(v) { input.value = v; lastQuery = v.trim(); },
  };
}
