// plan-section.js — "Modules that close this gap": the plan of /api/v1/plan
// (the learning catalogue's modules that cover the skills to learn at the
// least cost), shown on the gap page. A helper module (no routes).

import { h } from '../dom.js';
import { t, tp, tmsg, lang, locale } from '../i18n.js';
import { int, pct, text, nowrap, exportButtons, taxonomyLabel } from '../ui.js';

/** A money object {minor_units, currency, amount} in the page's language ("free" for 0). */
export function money(m) {
  if (!m) return text(null);
  if (m.minor_units === 0) return t('plan.free');
  const value = m.minor_units / 100;
  return new Intl.NumberFormat(locale(), { style: 'currency', currency: m.currency || 'RON' }).format(value);
}

function hours(n) {
  return tp('plan.hours', n, { n: new Intl.NumberFormat(locale(), { maximumFractionDigits: 1 }).format(n) });
}

/** A language code ("ro") named in the page's language ("Romanian", "română"). */
function languageName(code) {
  try {
    return new Intl.DisplayNames([locale()], { type: 'language' }).of(code) || code;
  } catch (_) {
    return code;
  }
}

/** A skill's label (the page's language when the taxonomy has it; else marked as the taxonomy's). */
function skillName(s) {
  return taxonomyLabel(s);
}

/** When module m of plan p can next be started, in words. */
function nextStart(m, p) {
  const fmt = (iso) => new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${iso}T00:00:00Z`));
  if (!m.next_start) return t('plan.no_cohort', { date: fmt(p.parameters.date) });
  const date = fmt(m.next_start);
  const link = h('a', { href: `#/cohort/${encodeURIComponent(m.cohort_id)}` }, date);
  if (m.seats_left > 0) return [t('plan.next_start_lead'), ' ', link, ` (${tp('plan.seats', m.seats_left)})`];
  return [t('plan.next_start_lead'), ' ', link, ` (${t('plan.full')})`];
}

/** The plan p as a section; headingLevel 2 or 3. */
export function renderPlan(p, { headingLevel = 2, idPrefix = 'plan' } = {}) {
  const H = `h${headingLevel}`;
  const modules = p.modules || [];
  const cov = p.coverage || {};
  const notTaught = (p.not_taught || []).filter((s) => s.essential);
  const notTaughtOptional = (p.not_taught || []).length - notTaught.length;
  const notWorth = (p.skills || []).filter((s) => s.status === 'not_worth');
  const onlyExcluded = (p.skills || []).filter((s) => s.status === 'only_excluded');
  const byOrder = new Map(modules.map((m) => [m.id, m]));
  const moduleItem = (m) => h('li', { class: 'plan-module' },
    h('p', { class: 'plan-module-title' },
      h('span', { class: 'tag code' }, m.code), ' ',
      h('strong', {}, (lang() === 'ro' ? m.title.ro : m.title.en) || m.title.en)),
    h('p', { class: 'muted small' },
      [m.provider, nowrap(hours(m.hours)), t(`plan.mode.${m.mode}`), t('plan.language', { language: languageName(m.language) }),
        nowrap(money(m.cost))].filter(Boolean).map((part, i) => [i ? ' · ' : '', part])),
    m.required_by && byOrder.get(m.required_by.id)
      ? h('p', { class: 'small' }, t('plan.required_by', { code: m.required_by.code })) : null,
    m.covers.length
      ? h('p', { class: 'small' }, t('plan.teaches'), ' ',
        m.covers.map((s, i) => [i ? '; ' : '', skillName(s), s.essential ? '' : ` (${t('gap.optional')})`]))
      : null,
    h('p', { class: 'small plan-start' }, nextStart(m, p)));
  const empty = (p.catalogue && p.catalogue.modules === 0)
    ? h('p', {}, t('plan.catalogue_empty'))
    : h('p', {}, t('plan.no_module'));
  const rows = () => modules.map((m) => ({
    order: m.order, code: m.code, title: lang() === 'ro' ? m.title.ro : m.title.en, provider: m.provider,
    hours: m.hours, language: m.language, cost_minor_units: m.cost.minor_units, currency: m.cost.currency,
    required_by: m.required_by ? m.required_by.code : null,
    covers: m.covers.map((s) => s.label).join('; '), next_start: m.next_start, seats_left: m.seats_left,
  }));
  return h('section', { class: 'plan', 'aria-labelledby': `${idPrefix}-title` },
    h(H, { id: `${idPrefix}-title` }, t('plan.title')),
    modules.length
      ? h('p', { class: 'plan-summary' }, t('plan.summary', {
        modules: tp('plan.modules', modules.length, { n: int(modules.length) }),
        hours: hours(p.totals.hours),
        cost: money(p.totals.cost),
        covered: int(cov.covered),
        skills: tp('plan.skills', cov.skills, { n: int(cov.skills) }),
        weighted: pct(cov.share_weighted),
      }))
      : empty,
    modules.length ? h('ol', { class: 'plan-list' }, modules.map(moduleItem)) : null,
    notTaught.length ? h('div', { class: 'plan-commission' },
      h(`h${headingLevel + 1}`, {}, tp('plan.not_taught_title', notTaught.length)),
      h('p', { class: 'muted small' }, t('plan.not_taught_hint')),
      h('ul', { class: 'plan-skills' }, notTaught.map((s) => h('li', {}, skillName(s))))) : null,
    notTaughtOptional > 0 ? h('p', { class: 'muted small' }, tp('plan.not_taught_optional', notTaughtOptional)) : null,
    notWorth.length ? h('p', { class: 'muted small' },
      t('plan.not_worth_lead'), ' ', notWorth.map((x, i) => [i ? '; ' : '', skillName(x)])) : null,
    onlyExcluded.length ? h('p', { class: 'muted small' },
      t('plan.only_excluded_lead'), ' ', onlyExcluded.map((x, i) => [i ? '; ' : '', skillName(x)])) : null,
    (p.excluded || []).length ? h('details', { class: 'plan-excluded' },
      h('summary', {}, tp('plan.excluded_title', p.excluded.length)),
      h('ul', {}, p.excluded.map((x) => h('li', {}, h('span', { class: 'tag code' }, x.code), ' ', tmsg(x.message))))) : null,
    modules.length ? exportButtons('fow-plan', rows,
      ['order', 'code', 'title', 'provider', 'hours', 'language', 'cost_minor_units', 'currency', 'required_by', 'covers',
        'next_start', 'seats_left']) : null,
    h('details', { class: 'provenance' },
      h('summary', {}, t('plan.method_title')),
      h('p', {}, tmsg(p.method)),
      h('p', {}, tmsg(p.solver && p.solver.message)),
      h('p', {}, tmsg(p.cohorts))));
}
