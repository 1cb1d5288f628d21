namespace Legate.Admin.Dashboard;

/// <summary>The dashboard's stylesheet: a neutral light palette, a dark one (system preference or the page's toggle), no external fonts.</summary>
internal static class DashboardStyles
{
    public const string Css = """
        :root {
          --bg: #f4f5f7; --card: #ffffff; --border: #e2e5ea; --text: #1b1f27; --muted: #6b7280; --faint: #9aa1ad;
          --grid: #eceef2; --axis: #c9ced6; --hover: #f0f2f5; --shadow: 0 1px 2px rgba(16, 24, 40, .05);
          --ok: #16a673; --warn: #d98a0b; --bad: #dc3c45; --info: #3b7bf0; --idle: #94a3b8;
          color-scheme: light;
        }
        :root[data-theme="dark"] {
          --bg: #0e1014; --card: #161920; --border: #252a34; --text: #e6e8ee; --muted: #8b93a7; --faint: #5d6577;
          --grid: #20242d; --axis: #343a46; --hover: #1d2129; --shadow: none;
          --ok: #2fcf94; --warn: #f2ab35; --bad: #f0616a; --info: #5b93ff; --idle: #7b8496;
          color-scheme: dark;
        }
        @media (prefers-color-scheme: dark) {
          :root:not([data-theme="light"]) {
            --bg: #0e1014; --card: #161920; --border: #252a34; --text: #e6e8ee; --muted: #8b93a7; --faint: #5d6577;
            --grid: #20242d; --axis: #343a46; --hover: #1d2129; --shadow: none;
            --ok: #2fcf94; --warn: #f2ab35; --bad: #f0616a; --info: #5b93ff; --idle: #7b8496;
            color-scheme: dark;
          }
        }
        * { box-sizing: border-box; }
        html, body { margin: 0; background: var(--bg); color: var(--text); }
        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        a { color: var(--info); text-decoration: none; }
        a:hover { text-decoration: underline; }
        .num, .kpi-value, .meta, td.addr, .tip { font-variant-numeric: tabular-nums; }

        .top { display: flex; align-items: center; gap: 24px; padding: 14px 28px; background: var(--card);
          border-bottom: 1px solid var(--border); position: sticky; top: 0; z-index: 5; }
        .brand { display: flex; align-items: baseline; gap: 8px; }
        .logo { width: 14px; height: 14px; border-radius: 4px; align-self: center;
          background: linear-gradient(135deg, #5b93ff, #2fcf94); }
        .brand-name { font-weight: 650; font-size: 17px; letter-spacing: .2px; }
        .brand-sub { color: var(--muted); }
        .server { display: flex; align-items: center; gap: 12px; flex: 1; min-width: 0; }
        .meta { color: var(--muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
        .pill { font-size: 11px; font-weight: 650; letter-spacing: .6px; padding: 3px 9px; border-radius: 999px;
          background: var(--hover); color: var(--muted); }
        .pill.live { background: color-mix(in srgb, var(--ok) 16%, transparent); color: var(--ok); }
        .pill.draining, .pill.stale { background: color-mix(in srgb, var(--warn) 18%, transparent); color: var(--warn); }
        .pill.down { background: color-mix(in srgb, var(--bad) 16%, transparent); color: var(--bad); }
        .controls { display: flex; align-items: center; gap: 10px; }
        .seg { display: inline-flex; border: 1px solid var(--border); border-radius: 8px; overflow: hidden; }
        .seg button, .icon { font: inherit; font-size: 13px; color: var(--muted); background: transparent; border: 0;
          padding: 5px 11px; cursor: pointer; }
        .seg button + button { border-left: 1px solid var(--border); }
        .seg button.on { background: var(--hover); color: var(--text); font-weight: 600; }
        .icon { border: 1px solid var(--border); border-radius: 8px; }
        .icon.link { color: var(--muted); }

        main { padding: 20px 28px 8px; max-width: 1680px; margin: 0 auto; }
        .card { background: var(--card); border: 1px solid var(--border); border-radius: 12px; box-shadow: var(--shadow); }
        .kpis { display: grid; grid-template-columns: repeat(5, minmax(0, 1fr)); gap: 14px; }
        .kpi { background: var(--card); border: 1px solid var(--border); border-radius: 12px; padding: 14px 16px 12px;
          box-shadow: var(--shadow); }
        .kpi-label { color: var(--muted); font-size: 12px; font-weight: 600; text-transform: uppercase; letter-spacing: .5px; }
        .kpi-value { font-size: 28px; font-weight: 650; margin-top: 2px; letter-spacing: -.3px; }
        .kpi-value small { font-size: 14px; font-weight: 500; color: var(--muted); margin-left: 4px; }
        .kpi-sub { color: var(--faint); font-size: 12px; }
        .kpi-value.ok { color: var(--ok); } .kpi-value.warn { color: var(--warn); } .kpi-value.bad { color: var(--bad); }

        .row-title { font-size: 13px; font-weight: 650; text-transform: uppercase; letter-spacing: .6px; margin: 26px 0 10px;
          color: var(--text); }
        .row-title span { font-weight: 400; text-transform: none; letter-spacing: 0; color: var(--muted); margin-left: 8px; }
        .charts { display: grid; grid-template-columns: repeat(3, minmax(0, 1fr)); gap: 14px; }
        .chart { margin: 0; padding: 12px 14px 8px; min-width: 0; }
        .chart figcaption { display: flex; align-items: baseline; justify-content: space-between; }
        .chart .title { font-weight: 600; }
        .chart .unit { color: var(--faint); font-size: 12px; }
        .legend { display: flex; flex-wrap: wrap; gap: 4px 14px; min-height: 20px; margin: 4px 0 2px; font-size: 12px; color: var(--muted); }
        .legend span { display: inline-flex; align-items: center; gap: 6px; white-space: nowrap; }
        .legend i { width: 10px; height: 3px; border-radius: 2px; display: inline-block; }
        .legend b { color: var(--text); font-weight: 600; }
        .plot { position: relative; height: 190px; }
        .plot svg { display: block; width: 100%; height: 100%; overflow: visible; }
        .plot .gridline { stroke: var(--grid); stroke-width: 1; }
        .plot .axis { stroke: var(--axis); stroke-width: 1; }
        .plot text { fill: var(--faint); font-size: 11px; }
        .plot .line { fill: none; stroke-width: 1.8; stroke-linejoin: round; stroke-linecap: round; }
        .plot .cursor { stroke: var(--axis); stroke-dasharray: 3 3; }
        .plot .empty { fill: var(--faint); font-size: 12px; }

        .tables { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 14px; margin-top: 26px; align-items: start; }
        .tables .card { padding: 14px 16px; }
        .tables h3 { margin: 0 0 8px; font-size: 13px; font-weight: 650; text-transform: uppercase; letter-spacing: .6px; }
        table.grid { width: 100%; border-collapse: collapse; font-size: 13px; }
        table.grid th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12px; padding: 6px 8px;
          border-bottom: 1px solid var(--border); white-space: nowrap; }
        table.grid td { padding: 7px 8px; border-bottom: 1px solid var(--grid); white-space: nowrap; }
        table.grid tr:last-child td { border-bottom: 0; }
        table.grid tbody tr:hover td { background: var(--hover); }
        table.grid .num { text-align: right; }
        td.addr { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12.5px; }
        .cluster + .cluster { margin-top: 14px; padding-top: 12px; border-top: 1px solid var(--border); }
        .cluster-head { display: flex; align-items: baseline; gap: 10px; flex-wrap: wrap; margin-bottom: 4px; }
        .cluster-name { font-weight: 650; }
        .tag { font-size: 11px; color: var(--muted); border: 1px solid var(--border); border-radius: 6px; padding: 0 6px; }
        .cluster-stats { margin-left: auto; color: var(--muted); font-size: 12.5px; }
        .cluster-stats b { color: var(--text); font-weight: 600; }
        .dot { display: inline-block; width: 8px; height: 8px; border-radius: 50%; margin-right: 8px; vertical-align: 1px; }
        .dot.healthy { background: var(--ok); box-shadow: 0 0 0 3px color-mix(in srgb, var(--ok) 20%, transparent); }
        .dot.degraded { background: var(--warn); } .dot.unhealthy { background: var(--bad); } .dot.excluded { background: var(--idle); }
        .spark { width: 120px; height: 22px; display: block; }
        .spark path { fill: none; stroke: var(--info); stroke-width: 1.5; }
        .spark .area { fill: color-mix(in srgb, var(--info) 14%, transparent); stroke: none; }
        .muted { color: var(--muted); }
        .warn-text { color: var(--warn); } .bad-text { color: var(--bad); }
        .bar { display: inline-block; width: 64px; height: 6px; border-radius: 3px; background: var(--grid); vertical-align: middle; margin-right: 6px; overflow: hidden; }
        .bar i { display: block; height: 100%; background: var(--ok); }

        .foot { display: flex; justify-content: space-between; gap: 12px; padding: 14px 28px 22px; color: var(--faint); font-size: 12px;
          max-width: 1680px; margin: 0 auto; }
        .tip { position: fixed; pointer-events: none; z-index: 10; background: var(--card); color: var(--text); border: 1px solid var(--border);
          border-radius: 8px; padding: 8px 10px; font-size: 12px; box-shadow: 0 6px 24px rgba(0, 0, 0, .18); min-width: 140px; }
        .tip .t { color: var(--muted); margin-bottom: 4px; }
        .tip div.r { display: flex; align-items: center; gap: 8px; }
        .tip div.r b { margin-left: auto; font-weight: 600; padding-left: 12px; }
        .tip i { width: 8px; height: 8px; border-radius: 2px; display: inline-block; }

        @media (max-width: 1100px) {
          .charts { grid-template-columns: minmax(0, 1fr); }
          .kpis { grid-template-columns: repeat(2, minmax(0, 1fr)); }
          .tables { grid-template-columns: minmax(0, 1fr); }
          .top { flex-wrap: wrap; gap: 10px; padding: 12px 16px; }
          main { padding: 14px 16px; }
        }
        """;
}
