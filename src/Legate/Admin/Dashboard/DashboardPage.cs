namespace Legate.Admin.Dashboard;

/// <summary>
/// GET /dashboard: one self-contained HTML page (styles and scripts inline, nothing fetched from
/// elsewhere) so it works on an admin port with no internet access.
/// </summary>
internal static class DashboardPage
{
    private const string Template = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>Legate dashboard</title>
        <link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='4' fill='%234f8cff'/%3E%3C/svg%3E">
        <style>
        /*STYLE*/
        </style>
        </head>
        <body>
        <header class="top">
          <div class="brand"><span class="logo" aria-hidden="true"></span><span class="brand-name">Legate</span><span class="brand-sub">dashboard</span></div>
          <div class="server" id="server">
            <span class="pill" id="state">…</span>
            <span class="meta" id="server-meta"></span>
          </div>
          <div class="controls">
            <div class="seg" role="group" aria-label="time window" id="window">
              <button type="button" data-window="60">1m</button>
              <button type="button" data-window="300">5m</button>
              <button type="button" data-window="600">10m</button>
            </div>
            <button type="button" class="icon" id="theme" title="Theme: auto / dark / light">◐</button>
            <a class="icon link" href="/" title="Admin endpoints">admin ↗</a>
          </div>
        </header>
        <main>
          <section class="kpis" id="kpis">
            <div class="kpi"><div class="kpi-label">Downstream</div><div class="kpi-value" id="kpi-rps">–</div><div class="kpi-sub">requests / s, 5 s avg</div></div>
            <div class="kpi"><div class="kpi-label">Success</div><div class="kpi-value" id="kpi-success">–</div><div class="kpi-sub" id="kpi-success-sub">non-5xx, window</div></div>
            <div class="kpi"><div class="kpi-label">Latency P99</div><div class="kpi-value" id="kpi-p99">–</div><div class="kpi-sub" id="kpi-p99-sub">downstream, last 5 s</div></div>
            <div class="kpi"><div class="kpi-label">Upstream</div><div class="kpi-value" id="kpi-ups">–</div><div class="kpi-sub">requests / s, 5 s avg</div></div>
            <div class="kpi"><div class="kpi-label">Healthy hosts</div><div class="kpi-value" id="kpi-hosts">–</div><div class="kpi-sub" id="kpi-hosts-sub">across clusters</div></div>
          </section>

          <h2 class="row-title">Downstream <span>traffic received on listeners, by HTTP connection manager</span></h2>
          <section class="charts">
            <figure class="card chart" id="c-ds-rps" data-chart="downstream-rps"><figcaption><span class="title">Requests</span><span class="unit">req/s</span></figcaption><div class="legend"></div><div class="plot"></div></figure>
            <figure class="card chart" id="c-ds-codes" data-chart="response-codes"><figcaption><span class="title">Response codes</span><span class="unit">req/s</span></figcaption><div class="legend"></div><div class="plot"></div></figure>
            <figure class="card chart" id="c-ds-lat" data-chart="downstream-latency"><figcaption><span class="title">Request time</span><span class="unit">ms</span></figcaption><div class="legend"></div><div class="plot"></div></figure>
          </section>

          <h2 class="row-title">Upstream <span>requests sent to clusters</span></h2>
          <section class="charts">
            <figure class="card chart" id="c-us-rps" data-chart="upstream-rps"><figcaption><span class="title">Requests by cluster</span><span class="unit">req/s</span></figcaption><div class="legend"></div><div class="plot"></div></figure>
            <figure class="card chart" id="c-us-err" data-chart="upstream-errors"><figcaption><span class="title">5xx by cluster</span><span class="unit">req/s</span></figcaption><div class="legend"></div><div class="plot"></div></figure>
            <figure class="card chart" id="c-us-lat" data-chart="upstream-latency"><figcaption><span class="title">Upstream request time</span><span class="unit">ms</span></figcaption><div class="legend"></div><div class="plot"></div></figure>
          </section>

          <section class="tables">
            <div class="card">
              <h3>Listeners</h3>
              <table class="grid" id="listeners"><thead><tr><th>Name</th><th>Address</th><th class="num">Chains</th><th class="num">Active cx</th><th class="num">Total cx</th></tr></thead><tbody></tbody></table>
            </div>
            <div class="card wide">
              <h3>Clusters</h3>
              <div id="clusters"></div>
            </div>
          </section>
        </main>
        <footer class="foot"><span id="updated">connecting…</span><span>One sample a second · <a href="/dashboard/data">/dashboard/data</a> · <a href="/stats">/stats</a> · <a href="/clusters">/clusters</a></span></footer>
        <div class="tip" id="tip" hidden></div>
        <script>
        /*SCRIPT*/
        </script>
        </body>
        </html>
        """;

    public static readonly string Html = Template
        .Replace("/*STYLE*/", DashboardStyles.Css, StringComparison.Ordinal)
        .Replace("/*SCRIPT*/", DashboardChartScript.Js + "\n" + DashboardAppScript.Js, StringComparison.Ordinal);
}
