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
  loadECharts().then((echarts) => whenSized(box, () => {
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
  })).catch((err) => {
    box.removeAttribute('role');
    box.removeAttribute('aria-label');
    box.style.height = 'auto';
    box.appendChild(h('p', { class: 'muted' }, `${t('chart.unavailable')} (${err.message})`));
  });
  return fig;
}

/**
 * Runs draw() once box has a width: at once when it is laid out, else when
 * it first gets one (a chart inside a closed <details> section is drawn when
 * the section opens, since ECharts cannot measure a hidden box). Charts that
 * were drawn while visible are resized when their section opens again.
 */
function whenSized(box, draw) {
  if (box.clientWidth > 0 || typeof ResizeObserver === 'undefined') { draw(); return; }
  const ro = new ResizeObserver(() => {
    if (box.clientWidth <= 0) return;
    ro.disconnect();
    draw();
  });
  ro.observe(box);
}

/** Resizes the charts inside node (a section that has just been opened). */
export function resizeChartsIn(node) {
  for (const c of live) {
    const dom = c.getDom && c.getDom();
    if (dom && node.contains(dom) && dom.clientWidth > 0) c.resize();
  }
}

/**
 * An axis name for ECharts: the quantity and its range, e.g.
 * "Similarity (0–1)" — every chart axis says what it measures and on which
 * scale (nameLocation middle, below or beside the axis).
 */
export function axisName(name, { gap = 28, vertical = false } = {}) {
  return {
    name,
    nameLocation: 'middle',
    nameGap: gap,
    nameTextStyle: { color: '#1d232b', fontSize: 12, ...(vertical ? {} : { align: 'center' }) },
  };
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
