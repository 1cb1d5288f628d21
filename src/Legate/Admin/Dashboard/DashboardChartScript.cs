namespace Legate.Admin.Dashboard;

/// <summary>The dashboard's plotting code: SVG time series, stacked bands, sparklines and the hover tooltip.</summary>
internal static class DashboardChartScript
{
    public const string Js = """
        'use strict';
        // Small SVG time-series plots: no library, redrawn whole on every poll (a few hundred points at most).
        const SVG_NS = 'http://www.w3.org/2000/svg';
        const HOST_HISTORY = 60;
        const PALETTE = ['#4f8cff', '#22c3a6', '#f5a524', '#a78bfa', '#ec5a91', '#06b6d4', '#84cc16', '#f97316'];

        function svgEl(tag, attrs, parent) {
          const e = document.createElementNS(SVG_NS, tag);
          for (const k in attrs) e.setAttribute(k, attrs[k]);
          if (parent) parent.appendChild(e);
          return e;
        }

        function niceStep(range, count) {
          const raw = range / count;
          const mag = Math.pow(10, Math.floor(Math.log10(raw)));
          const n = raw / mag;
          return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * mag;
        }

        function fmtNum(v) {
          if (v == null || !isFinite(v)) return '–';
          const a = Math.abs(v);
          if (a >= 1e6) return (v / 1e6).toFixed(a >= 1e7 ? 0 : 1) + 'M';
          if (a >= 1e4) return (v / 1e3).toFixed(a >= 1e5 ? 0 : 1) + 'k';
          if (a >= 100) return v.toFixed(0);
          if (a >= 10) return v.toFixed(1).replace(/\.0$/, '');
          if (a === 0) return '0';
          return v.toFixed(2).replace(/\.?0+$/, '');
        }

        function fmtMs(v) {
          if (v == null || !isFinite(v)) return '–';
          if (v >= 1000) return fmtNum(v / 1000) + ' s';
          return fmtNum(v) + ' ms';
        }

        function fmtAxisMs(v) {
          return v >= 1000 ? fmtNum(v / 1000) + 's' : fmtNum(v);
        }

        function fmtClock(ms) {
          const d = new Date(ms);
          return [d.getHours(), d.getMinutes(), d.getSeconds()].map(n => String(n).padStart(2, '0')).join(':');
        }

        // spec: { times: [ms], end: ms, window: s, series: [{ name, color, values: [number|null], dash }],
        //         stacked: bool, minTop: number, axis: v => label, value: v => label }
        function drawChart(fig, spec) {
          const plot = fig.querySelector('.plot');
          const w = Math.max(plot.clientWidth, 120), h = Math.max(plot.clientHeight, 80);
          const m = { l: 44, r: 10, t: 10, b: 22 };
          const iw = w - m.l - m.r, ih = h - m.t - m.b;
          const t1 = spec.end, t0 = t1 - spec.window * 1000;
          const times = spec.times;
          const first = lowerBound(times, t0 - 1);

          // Stacked series are drawn as cumulative bands; gaps count as zero.
          const layers = spec.series.map(s => s.values);
          const tops = spec.stacked ? cumulative(layers) : layers;
          let max = 0, points = 0, nonzero = 0;
          for (let i = 0; i < tops.length; i++) {
            for (let j = first; j < times.length; j++) {
              const v = tops[i][j];
              if (v != null) { max = Math.max(max, v); }
              const raw = layers[i][j];
              if (raw != null) { points++; if (raw > 0) nonzero++; }
            }
          }
          const x = t => m.l + (t - t0) / (t1 - t0) * iw;
          const scale = spec.log ? logScale(max, m.t, ih) : linearScale(Math.max(max, spec.minTop || 1), m.t, ih);
          const y = scale.y;
          const axis = spec.axis || fmtNum;

          const svg = svgEl('svg', { viewBox: `0 0 ${w} ${h}`, preserveAspectRatio: 'none', role: 'img' });
          const clipId = fig.id + '-clip';
          svgEl('rect', { x: m.l, y: 0, width: iw, height: h }, svgEl('clipPath', { id: clipId }, svgEl('defs', {}, svg)));
          scale.ticks.forEach((v, i) => {
            svgEl('line', { class: i === 0 ? 'axis' : 'gridline', x1: m.l, x2: w - m.r, y1: y(v), y2: y(v) }, svg);
            svgEl('text', { x: m.l - 6, y: y(v) + 3.5, 'text-anchor': 'end' }, svg).textContent = axis(v);
          });
          const xStep = spec.window <= 60 ? 15 : spec.window <= 300 ? 60 : 120;
          for (let s = 0; s <= spec.window; s += xStep) {
            const px = x(t1 - s * 1000);
            svgEl('line', { class: 'axis', x1: px, x2: px, y1: m.t + ih, y2: m.t + ih + 4 }, svg);
            const label = s === 0 ? 'now' : '−' + (s >= 60 ? s / 60 + ' min' : s + ' s');
            svgEl('text', { x: px, y: h - 4, 'text-anchor': s === 0 ? 'end' : s === spec.window ? 'start' : 'middle' }, svg).textContent = label;
          }

          const g = svgEl('g', { 'clip-path': `url(#${clipId})` }, svg);
          if (spec.stacked) {
            for (let i = tops.length - 1; i >= 0; i--) {
              const color = spec.series[i].color;
              const band = bandPath(times, first, tops[i], i > 0 ? tops[i - 1] : null, x, y);
              if (band) svgEl('path', { d: band, fill: color, 'fill-opacity': 0.28 }, g);
              // A class with no requests would only retrace the edge of the band below it.
              const line = layers[i].some((v, j) => j >= first && v > 0) ? linePath(times, first, tops[i], x, y) : '';
              if (line) svgEl('path', { d: line, class: 'line', stroke: color, 'stroke-width': 1.4 }, g);
            }
          } else {
            spec.series.forEach(s => {
              const line = linePath(times, first, s.values, x, y);
              if (!line) return;
              if (spec.series.length === 1 || spec.fillAll) {
                const band = bandPath(times, first, s.values, null, x, y);
                if (band) svgEl('path', { d: band, fill: s.color, 'fill-opacity': spec.series.length === 1 ? 0.12 : 0.05 }, g);
              }
              const attrs = { d: line, class: 'line', stroke: s.color };
              if (s.dash) attrs['stroke-dasharray'] = s.dash;
              svgEl('path', attrs, g);
            });
          }
          if (points === 0) {
            svgEl('text', { class: 'empty', x: m.l + iw / 2, y: m.t + ih / 2, 'text-anchor': 'middle' }, svg).textContent =
              spec.emptyText || 'no data yet';
          }

          const cursor = svgEl('line', { class: 'cursor', x1: 0, x2: 0, y1: m.t, y2: m.t + ih, visibility: 'hidden' }, svg);
          const hit = svgEl('rect', { x: m.l, y: m.t, width: iw, height: ih, fill: 'transparent' }, svg);
          const show = clientX => {
            const r = svg.getBoundingClientRect();
            const px = (clientX - r.left) * (w / r.width);
            const t = t0 + (px - m.l) / iw * (t1 - t0);
            const j = nearest(times, first, t);
            if (j < 0) return hide();
            cursor.setAttribute('x1', x(times[j]));
            cursor.setAttribute('x2', x(times[j]));
            cursor.setAttribute('visibility', 'visible');
            showTip(clientX, r.top + m.t, fmtClock(times[j]), spec.series.map(s => [s.color, s.name, (spec.value || fmtNum)(s.values[j])]));
            fig._hoverX = clientX;
          };
          const hide = () => { cursor.setAttribute('visibility', 'hidden'); hideTip(); fig._hoverX = null; };
          hit.addEventListener('mousemove', e => show(e.clientX));
          hit.addEventListener('mouseleave', hide);
          plot.replaceChildren(svg);
          if (fig._hoverX != null) show(fig._hoverX);

          fig.dataset.points = String(points);
          fig.dataset.nonzero = String(nonzero);
        }

        function linearScale(max, top, height) {
          const step = niceStep(max, 4);
          const ceiling = Math.max(step, Math.ceil(max / step - 1e-9) * step);
          const ticks = [];
          for (let v = 0; v <= ceiling + step / 1000; v += step) ticks.push(v);
          return { ticks, y: v => top + height - Math.min(v, ceiling) / ceiling * height };
        }

        // Latency spans decades (a cold start at 200 ms, steady state under 1 ms): one gridline per power of ten.
        function logScale(max, top, height) {
          const lo = -1;
          const hi = Math.max(lo + 2, Math.ceil(Math.log10(Math.max(max, 1)) - 1e-9));
          const ticks = [];
          for (let e = lo; e <= hi; e++) ticks.push(Math.pow(10, e));
          const y = v => {
            const e = Math.log10(Math.max(v, ticks[0]));
            return top + height - (Math.min(e, hi) - lo) / (hi - lo) * height;
          };
          return { ticks, y };
        }

        function cumulative(layers) {
          const out = [];
          layers.forEach((values, i) => {
            out.push(values.map((v, j) => (v || 0) + (i > 0 ? out[i - 1][j] : 0)));
          });
          return out;
        }

        function linePath(times, first, values, x, y) {
          let d = '', pen = false;
          for (let j = first; j < times.length; j++) {
            const v = values[j];
            if (v == null) { pen = false; continue; }
            d += (pen ? 'L' : 'M') + x(times[j]).toFixed(1) + ' ' + y(v).toFixed(1);
            pen = true;
          }
          return d;
        }

        // The area between values and base (or the x axis), one closed shape per run without gaps.
        function bandPath(times, first, values, base, x, y) {
          let d = '', run = [];
          const flush = () => {
            if (run.length > 1) {
              d += 'M' + run.map(j => x(times[j]).toFixed(1) + ' ' + y(values[j]).toFixed(1)).join('L');
              for (let k = run.length - 1; k >= 0; k--) {
                const j = run[k];
                d += 'L' + x(times[j]).toFixed(1) + ' ' + y(base ? base[j] : 0).toFixed(1);
              }
              d += 'Z';
            }
            run = [];
          };
          for (let j = first; j < times.length; j++) {
            if (values[j] == null) flush(); else run.push(j);
          }
          flush();
          return d;
        }

        function lowerBound(times, t) {
          let lo = 0, hi = times.length;
          while (lo < hi) { const mid = (lo + hi) >> 1; if (times[mid] < t) lo = mid + 1; else hi = mid; }
          return lo;
        }

        function nearest(times, first, t) {
          if (times.length <= first) return -1;
          const j = Math.min(Math.max(lowerBound(times, t), first), times.length - 1);
          return j > first && Math.abs(times[j - 1] - t) < Math.abs(times[j] - t) ? j - 1 : j;
        }

        function showTip(clientX, clientY, title, rows) {
          const tip = document.getElementById('tip');
          tip.replaceChildren();
          const head = document.createElement('div');
          head.className = 't';
          head.textContent = title;
          tip.appendChild(head);
          for (const [color, name, value] of rows) {
            const row = document.createElement('div');
            row.className = 'r';
            const sw = document.createElement('i');
            sw.style.background = color;
            const label = document.createElement('span');
            label.textContent = name;
            const val = document.createElement('b');
            val.textContent = value;
            row.append(sw, label, val);
            tip.appendChild(row);
          }
          tip.hidden = false;
          const left = clientX + 14 + tip.offsetWidth > window.innerWidth ? clientX - 14 - tip.offsetWidth : clientX + 14;
          tip.style.left = left + 'px';
          tip.style.top = Math.max(8, clientY) + 'px';
        }

        function hideTip() {
          document.getElementById('tip').hidden = true;
        }

        function sparkline(values, width, height) {
          const svg = svgEl('svg', { class: 'spark', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none' });
          if (values.length < 2) return svg;
          const max = Math.max(...values, 0.001);
          const py = v => height - 1 - v / max * (height - 3);
          const step = width / (HOST_HISTORY - 1);
          const xs = i => width - (values.length - 1 - i) * step;
          let line = '';
          values.forEach((v, i) => { line += (i ? 'L' : 'M') + xs(i).toFixed(1) + ' ' + py(v).toFixed(1); });
          svgEl('path', { class: 'area', d: line + `L${xs(values.length - 1).toFixed(1)} ${height}L${xs(0).toFixed(1)} ${height}Z` }, svg);
          svgEl('path', { d: line }, svg);
          return svg;
        }
        """;
}
