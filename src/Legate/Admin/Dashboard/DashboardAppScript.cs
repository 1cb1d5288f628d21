namespace Legate.Admin.Dashboard;

/// <summary>The dashboard's page logic: polls /dashboard/data every second, keeps the samples and redraws charts and tables.</summary>
internal static class DashboardAppScript
{
    public const string Js = """
        'use strict';
        // Polls /dashboard/data every second, keeps the samples it has seen and redraws everything.
        const CODE_CLASSES = [
          { name: '2xx', index: 1, color: '#22c38e' },
          { name: '3xx', index: 2, color: '#4f8cff' },
          { name: '4xx', index: 3, color: '#f5a524' },
          { name: '5xx', index: 4, color: '#e5484d' },
          { name: '1xx', index: 0, color: '#94a3b8' },
        ];
        const PERCENTILES = [
          { name: 'P50', index: 0, color: '#22c3a6' },
          { name: 'P90', index: 1, color: '#4f8cff' },
          { name: 'P99', index: 2, color: '#ec5a91' },
        ];
        const WINDOWS = [60, 300, 600];
        const THEMES = ['auto', 'dark', 'light'];
        const state = { samples: [], lastSeq: 0, window: 300, data: null, failures: 0, lastOk: 0, colors: new Map() };

        function param(name) {
          return new URLSearchParams(location.search).get(name);
        }

        function stored(key) {
          try { return localStorage.getItem(key); } catch { return null; }
        }

        function store(key, value) {
          try { localStorage.setItem(key, value); } catch { /* private mode */ }
        }

        function setWindow(seconds) {
          state.window = WINDOWS.includes(seconds) ? seconds : 300;
          for (const b of document.querySelectorAll('#window button')) {
            b.classList.toggle('on', Number(b.dataset.window) === state.window);
          }
        }

        function setTheme(theme) {
          const t = THEMES.includes(theme) ? theme : 'auto';
          if (t === 'auto') delete document.documentElement.dataset.theme; else document.documentElement.dataset.theme = t;
          document.getElementById('theme').title = 'Theme: ' + t + ' (click to change)';
          document.getElementById('theme').textContent = t === 'dark' ? '☾' : t === 'light' ? '☀' : '◐';
          state.theme = t;
        }

        // One colour per name for the page's life, so a cluster keeps its colour when others come and go.
        function colorOf(name) {
          if (!state.colors.has(name)) state.colors.set(name, PALETTE[state.colors.size % PALETTE.length]);
          return state.colors.get(name);
        }

        function esc(s) {
          return String(s).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
        }

        function fmtUptime(s) {
          const d = Math.floor(s / 86400), h = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
          if (d) return `${d}d ${h}h`;
          if (h) return `${h}h ${m}m`;
          if (m) return `${m}m ${s % 60}s`;
          return `${s}s`;
        }

        async function poll() {
          try {
            const response = await fetch('/dashboard/data?since=' + state.lastSeq, { cache: 'no-store' });
            if (!response.ok) throw new Error('HTTP ' + response.status);
            const data = await response.json();
            if (data.last_seq < state.lastSeq) {
              // The server restarted: its sequence numbers began again.
              state.samples = [];
              state.lastSeq = 0;
            }
            for (const s of data.samples) {
              if (s.seq > state.lastSeq) { state.samples.push(s); state.lastSeq = s.seq; }
            }
            if (state.samples.length > data.capacity) state.samples.splice(0, state.samples.length - data.capacity);
            state.data = data;
            state.failures = 0;
            state.lastOk = Date.now();
            render();
          } catch (e) {
            state.failures++;
            renderStale(e);
          }
          setTimeout(poll, 1000);
        }

        function windowed() {
          const end = state.data.now;
          const from = end - state.window * 1000 - 1000;
          const samples = state.samples.filter(s => s.t >= from);
          return { end, samples, times: samples.map(s => s.t) };
        }

        function namesOf(samples, pick) {
          const names = new Set();
          for (const s of samples) for (const n of Object.keys(pick(s))) names.add(n);
          return [...names].sort();
        }

        function lastValues(values, n) {
          const tail = values.slice(-n).filter(v => v != null);
          return tail.length ? tail.reduce((a, b) => a + b, 0) / tail.length : null;
        }

        function sum(values) {
          return values.reduce((a, b) => a + (b || 0), 0);
        }

        function render() {
          const d = state.data;
          const w = windowed();
          renderServer(d);
          const hcms = namesOf(w.samples, s => s.hcm);
          const clusters = namesOf(w.samples, s => s.clusters);
          const base = { times: w.times, end: w.end, window: state.window };

          const dsSeries = hcms.map(n => ({ name: n, color: colorOf('hcm:' + n), values: w.samples.map(s => s.hcm[n] ?? null) }));
          drawChart(document.getElementById('c-ds-rps'), { ...base, series: dsSeries, emptyText: 'no HTTP connection manager' });
          legend('c-ds-rps', dsSeries.map(s => [s.color, s.name, fmtNum(lastValues(s.values, 5)) + ' req/s']));

          const codeSeries = CODE_CLASSES.map(c => ({ name: c.name, color: c.color, values: w.samples.map(s => s.codes[c.index]) }));
          drawChart(document.getElementById('c-ds-codes'), { ...base, series: codeSeries, stacked: true });
          // Rates times tick lengths: request counts over the window.
          const codeTotals = CODE_CLASSES.map(c => sum(w.samples.map(s => s.codes[c.index] * s.dt)));
          const allCodes = sum(codeTotals);
          legend('c-ds-codes', codeSeries.map((s, i) => [s.color, s.name, allCodes ? fmtPct(codeTotals[i] / allCodes) : '–'])
            .filter((row, i) => codeTotals[i] > 0 || CODE_CLASSES[i].name === '2xx' || CODE_CLASSES[i].name === '5xx'));

          const dsLat = PERCENTILES.map(p => ({ name: p.name, color: p.color, values: w.samples.map(s => s.ds ? s.ds[p.index] : null) }));
          drawChart(document.getElementById('c-ds-lat'), { ...base, series: dsLat, log: true, axis: fmtAxisMs, value: fmtMs, emptyText: 'no requests' });
          legend('c-ds-lat', dsLat.map(s => [s.color, s.name, fmtMs(s.values[s.values.length - 1])]));

          const usSeries = clusters.map(n => ({ name: n, color: colorOf('cluster:' + n), values: w.samples.map(s => s.clusters[n] ? s.clusters[n][0] : null) }));
          drawChart(document.getElementById('c-us-rps'), { ...base, series: usSeries, emptyText: 'no clusters' });
          legend('c-us-rps', usSeries.map(s => [s.color, s.name, fmtNum(lastValues(s.values, 5)) + ' req/s']));

          const errSeries = clusters.map(n => ({ name: n, color: colorOf('cluster:' + n), values: w.samples.map(s => s.clusters[n] ? s.clusters[n][1] : null) }));
          drawChart(document.getElementById('c-us-err'), { ...base, series: errSeries, emptyText: 'no clusters' });
          legend('c-us-err', errSeries.map(s => [s.color, s.name, fmtNum(Math.round(sum(s.values.map((v, j) => (v || 0) * w.samples[j].dt)))) + ' in ' + windowLabel()]));

          const usLat = PERCENTILES.map(p => ({ name: p.name, color: p.color, values: w.samples.map(s => s.us ? s.us[p.index] : null) }));
          drawChart(document.getElementById('c-us-lat'), { ...base, series: usLat, log: true, axis: fmtAxisMs, value: fmtMs, emptyText: 'no requests' });
          legend('c-us-lat', usLat.map(s => [s.color, s.name, fmtMs(s.values[s.values.length - 1])]));

          renderKpis(w, codeTotals, allCodes, dsSeries, usSeries, dsLat);
          renderListeners(d.listeners);
          renderClusters(d.clusters, w);
          document.getElementById('updated').textContent = 'updated ' + fmtClock(d.now) + ' · ' + w.samples.length + ' samples in view';
          const rps = sum(dsSeries.map(s => lastValues(s.values, 5)));
          document.title = 'Legate · ' + fmtNum(rps) + ' req/s';
        }

        function fmtPct(f) {
          if (f >= 0.9995 && f < 1) return '99.9%';
          return (f * 100).toFixed(f === 1 || f === 0 ? 0 : 1) + '%';
        }

        function legend(id, rows) {
          const box = document.querySelector('#' + id + ' .legend');
          box.innerHTML = rows.map(([color, name, value]) =>
            `<span><i style="background:${color}"></i>${esc(name)} <b>${esc(value)}</b></span>`).join('');
        }

        function renderServer(d) {
          const pill = document.getElementById('state');
          pill.textContent = d.server.state.replace('_', ' ');
          pill.className = 'pill ' + (d.server.state === 'LIVE' ? 'live' : d.server.state === 'DRAINING' ? 'draining' : '');
          const parts = ['up ' + fmtUptime(d.server.uptime_s)];
          if (d.server.node) parts.push('node ' + d.server.node);
          if (d.server.cluster) parts.push('cluster ' + d.server.cluster);
          parts.push(d.server.version);
          document.getElementById('server-meta').textContent = parts.join(' · ');
        }

        function renderStale(error) {
          const pill = document.getElementById('state');
          pill.textContent = 'UNREACHABLE';
          pill.className = 'pill down';
          const since = state.lastOk ? 'last update ' + fmtClock(state.lastOk) : 'never updated';
          document.getElementById('updated').textContent = since + ' · ' + error.message + ' · retrying';
        }

        function renderKpis(w, codeTotals, allCodes, dsSeries, usSeries, dsLat) {
          const rps = sum(dsSeries.map(s => lastValues(s.values, 5)));
          setKpi('kpi-rps', fmtNum(rps), 'req/s');
          const success = allCodes ? 1 - codeTotals[3] / allCodes : null;
          const el = setKpi('kpi-success', success == null ? '–' : fmtPct(success), '');
          el.className = 'kpi-value ' + (success == null ? '' : success >= 0.999 ? 'ok' : success >= 0.99 ? 'warn' : 'bad');
          document.getElementById('kpi-success-sub').textContent = 'non-5xx of ' + fmtNum(Math.round(allCodes)) + ' requests, last ' + windowLabel();
          const p99 = dsLat[2].values.length ? dsLat[2].values[dsLat[2].values.length - 1] : null;
          const p99Text = fmtMs(p99).split(' ');
          setKpi('kpi-p99', p99Text[0], p99Text[1] || '');
          setKpi('kpi-ups', fmtNum(sum(usSeries.map(s => lastValues(s.values, 5)))), 'req/s');
          let healthy = 0, total = 0;
          for (const c of state.data.clusters) for (const h of c.hosts) { total++; if (h.health === 'healthy') healthy++; }
          const hostsEl = setKpi('kpi-hosts', String(healthy), '/ ' + total);
          hostsEl.className = 'kpi-value ' + (total === 0 ? '' : healthy === total ? 'ok' : healthy > 0 ? 'warn' : 'bad');
          document.getElementById('kpi-hosts-sub').textContent = 'across ' + state.data.clusters.length + ' cluster' + (state.data.clusters.length === 1 ? '' : 's');
        }

        function windowLabel() {
          return state.window >= 60 ? state.window / 60 + ' min' : state.window + ' s';
        }

        function setKpi(id, value, unit) {
          const el = document.getElementById(id);
          el.innerHTML = esc(value) + (unit ? `<small>${esc(unit)}</small>` : '');
          return el;
        }

        function renderListeners(listeners) {
          const body = document.querySelector('#listeners tbody');
          if (!listeners.length) {
            body.innerHTML = '<tr><td colspan="5" class="muted">no listeners</td></tr>';
            return;
          }
          body.innerHTML = listeners.map(l => `<tr>
            <td><span class="dot ${l.bound ? 'healthy' : 'excluded'}"></span>${esc(l.name)}</td>
            <td class="addr">${esc(l.address)}</td>
            <td class="num">${l.filter_chains}</td>
            <td class="num">${fmtNum(l.cx_active)}</td>
            <td class="num">${fmtNum(l.cx_total)}</td></tr>`).join('');
        }

        const MAX_HOST_ROWS = 50;

        // envoy.cluster.static -> static, envoy.load_balancing_policies.round_robin -> round_robin.
        function shortName(extension) {
          return String(extension).replace(/^envoy\.(cluster|clusters|load_balancing_policies)\./, '');
        }

        function renderClusters(clusters, w) {
          const box = document.getElementById('clusters');
          if (!clusters.length) {
            box.innerHTML = '<p class="muted">no clusters</p>';
            return;
          }
          box.replaceChildren();
          for (const c of clusters) {
            const rates = w.samples.map(s => s.clusters[c.name] ? s.clusters[c.name][0] : null);
            const errors = w.samples.map(s => s.clusters[c.name] ? s.clusters[c.name][1] : null);
            const healthy = c.hosts.filter(h => h.health === 'healthy').length;
            const section = document.createElement('div');
            section.className = 'cluster';
            section.innerHTML = `<div class="cluster-head">
                <span class="dot" style="background:${colorOf('cluster:' + c.name)}"></span><span class="cluster-name">${esc(c.name)}</span>
                <span class="tag" title="${esc(c.type)}">${esc(shortName(c.type))}</span><span class="tag" title="${esc(c.lb)}">${esc(shortName(c.lb))}</span>
                <span class="cluster-stats"><b>${fmtNum(lastValues(rates, 5))}</b> req/s · <b>${fmtNum(lastValues(errors, 5))}</b> 5xx/s ·
                  <b>${fmtNum(c.rq_active)}</b> active · <b>${fmtNum(c.rq_total)}</b> total · <b>${healthy}/${c.hosts.length}</b> healthy</span>
              </div>
              <table class="grid"><thead><tr><th>Host</th><th>Health</th><th class="num">Weight</th><th>Last minute</th>
                <th class="num">req/s</th><th class="num">Total</th><th>Success</th><th class="num">Active</th></tr></thead><tbody></tbody></table>`;
            const body = section.querySelector('tbody');
            for (const h of c.hosts.slice(0, MAX_HOST_ROWS)) {
              const row = document.createElement('tr');
              const done = h.rq_success + h.rq_error;
              const ok = done ? h.rq_success / done : null;
              row.innerHTML = `<td class="addr">${esc(h.address)}${h.hostname ? ` <span class="muted">${esc(h.hostname)}</span>` : ''}</td>
                <td><span class="dot ${esc(h.health)}"></span>${esc(h.health)}</td>
                <td class="num">${h.weight}</td><td class="sparkcell"></td>
                <td class="num">${fmtNum(lastValues(h.rates, 5))}</td>
                <td class="num">${fmtNum(h.rq_total)}</td>
                <td>${ok == null ? '<span class="muted">–</span>' : `<span class="bar"><i style="width:${(ok * 100).toFixed(1)}%;background:${ok >= 0.99 ? 'var(--ok)' : ok >= 0.9 ? 'var(--warn)' : 'var(--bad)'}"></i></span><span class="${ok >= 0.99 ? '' : ok >= 0.9 ? 'warn-text' : 'bad-text'}">${fmtPct(ok)}</span>`}</td>
                <td class="num">${fmtNum(h.rq_active)}</td>`;
              row.querySelector('.sparkcell').appendChild(sparkline(h.rates, 120, 22));
              body.appendChild(row);
            }
            if (c.hosts.length > MAX_HOST_ROWS) {
              const more = document.createElement('tr');
              more.innerHTML = `<td colspan="8" class="muted">and ${c.hosts.length - MAX_HOST_ROWS} more hosts (see /clusters)</td>`;
              body.appendChild(more);
            }
            if (!c.hosts.length) body.innerHTML = '<tr><td colspan="8" class="muted">no hosts</td></tr>';
            box.appendChild(section);
          }
        }

        function start() {
          setWindow(Number(param('window')) || Number(stored('legate.dashboard.window')) || 300);
          setTheme(param('theme') || stored('legate.dashboard.theme') || 'auto');
          document.getElementById('window').addEventListener('click', e => {
            const seconds = Number(e.target.dataset && e.target.dataset.window);
            if (!seconds) return;
            setWindow(seconds);
            store('legate.dashboard.window', String(seconds));
            if (state.data) render();
          });
          document.getElementById('theme').addEventListener('click', () => {
            const next = THEMES[(THEMES.indexOf(state.theme) + 1) % THEMES.length];
            setTheme(next);
            store('legate.dashboard.theme', next);
          });
          window.addEventListener('resize', () => { if (state.data) render(); });
          poll();
        }

        start();
        """;
}
