using System.Net;
using System.Text;

namespace Legate.Admin.Handlers;

/// <summary>GET /: an HTML page listing every endpoint (GET ones as links, POST ones as buttons).</summary>
internal static class HomeHandler
{
    public static AdminHandler Create(Func<AdminHandlerTable> table) =>
        AdminHandler.Sync("/", "Admin home page", false, _ => AdminResponse.Html(Render(table())));

    private static string Render(AdminHandlerTable table)
    {
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Legate Admin</title>\n")
            .Append("<style>body{font-family:sans-serif}td{padding:2px 8px;vertical-align:top}.home-data{color:#555}</style>\n")
            .Append("</head>\n<body>\n<h1>Legate Admin</h1>\n")
            .Append("<p><a href=\"/dashboard\">Dashboard</a>: live request rates, response codes, latency and host health</p>\n")
            .Append("<table>\n<thead><tr><th>Command</th><th>Description</th></tr></thead>\n<tbody>\n");
        foreach (var handler in table.Handlers)
        {
            if (handler.Prefix == "/")
            {
                continue;
            }
            var prefix = WebUtility.HtmlEncode(handler.Prefix);
            sb.Append("<tr><td>");
            if (handler.MutatesState)
            {
                sb.Append("<form action=\"").Append(prefix).Append("\" method=\"post\"><button type=\"submit\">")
                    .Append(prefix).Append("</button></form>");
            }
            else
            {
                sb.Append("<a href=\"").Append(prefix).Append("\">").Append(prefix).Append("</a>");
            }
            sb.Append("</td><td class=\"home-data\">").Append(WebUtility.HtmlEncode(handler.HelpText));
            foreach (var param in handler.Params ?? [])
            {
                sb.Append("<br>&nbsp;&nbsp;<code>").Append(WebUtility.HtmlEncode(param.Name)).Append("</code>: ")
                    .Append(WebUtility.HtmlEncode(param.Help));
            }
            sb.Append("</td></tr>\n");
        }
        sb.Append("</tbody>\n</table>\n</body>\n</html>\n");
        return sb.ToString();
    }
}
