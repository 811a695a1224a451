// charts.js — Apache ECharts, loaded on first use from the npm package
// (web/node_modules/echarts, installed by `make web-deps`). A chart is an
// extra view: every chart has a table with the same numbers next to it, so
// when the library is missing the page says so and works on.

import { h } from './dom.js';
import { t } from './i18n.js';

let loading = null;

/** window.echarts, loading the script once. */
export function loadECharts() {
  if (window.echarts) return Promise.resolve(window.echarts);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = 'node_modules/echarts/dist/echarts.min.js';
      s.async = true;
      s.onload = () => (window.echarts ? resolve(window.echarts) : reject(new Error('echarts did not load')));
      s.onerror = () => { loading = null; reject(new Error('node_modules/echarts/dist/echarts.min.js is missing (make web-deps)')); };
      document.head.appendChild(s);
    });
  }
  return loading;
}

const live = new Set();

/** Disposes every chart (on navigation). */
export function disposeCharts() {
  for (const c of live) c.dispose();
  live.clear();
}

let resizeHooked = false;
function hookResize() {
  if (resizeHooked) return;
  resizeHooked = true;
  let timer = null;
  window.addEventListener('resize', () => {
    clearTimeout(timer);
    timer = setTimeout(() => { for (const c of live) c.resize(); }, 150);
  });
}

/**
 * A chart box: a figure with a caption; the chart itself is an image to
 * screen readers (described by description), since the table next to it
 * carries the numbers. option(echarts) returns the ECharts option.
 * height: CSS pixels. onClick(params) for clicks on items.
 */
export function chartFigure({ caption, description, height = 360, option, onClick, compact = false }) {
  const box = h('div', { class: 'chart', role: 'img', 'aria-label': description, style: { height: `${height}px` } });
  const fig = h('figure', { class: compact ? 'chart-figure compact' : 'chart-figure' }, box, h('figcaption', {}, caption));
  loadECharts().then((echarts) => {
    if (!box.isConnected) return;
    const chart = echarts.init(box, null, { renderer: 'svg' });
    const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    chart.setOption({ animation: !reduced, animationDuration: 400, ...option(echarts) });
    if (onClick) chart.on('click', onClick);
    live.add(chart);
    hookResize();
    // the SVG renderer adds its own aria-label; the box describes it already
    const svg = box.querySelector('svg');
    if (svg) svg.setAttribute('aria-hidden', 'true');
  }).catch((err) => {
    box.removeAttribute('role');
    box.removeAttribute('aria-label');
    box.style.height = 'auto';
    box.appendChild(h('p', { class: 'muted' }, `${t('chart.unavailable')} (${err.message})`));
  });
  return fig;
}

/** Shortens a label for a chart axis (the table shows it whole). */
export function shortLabel(s, n = 32) {
  if (!s) return '';
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

// colours with ≥ 3:1 contrast against white for graphical objects (WCAG 1.4.11)
export const COLOURS = {
  yes: '#1b7a3a',
  no: '#b3261e',
  unknown: '#6b6b6b',
  primary: '#12355b',
  accent: '#1f5f99',
};
