using System.Globalization;
using System.Net;
using System.Text;

namespace SecureHeaders.Reporting.AspNetCore.Dashboard;

/// <summary>
/// Renders the dashboard HTML. Every value from a report is HTML-encoded (reports are attacker-controlled input), and
/// the page has no inline script or style: its CSS and JS are separate files that can carry a nonce.
/// </summary>
internal static class DashboardPage
{
    public static string Render(DashboardModel m, string assetBase, string cssVersion, string jsVersion, string? nonce)
    {
        var html = new StringBuilder(16 * 1024);
        var inv = CultureInfo.InvariantCulture;
        var nonceAttr = nonce is null ? string.Empty : " nonce=\"" + E(nonce) + "\"";
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<meta name=\"referrer\" content=\"no-referrer\">")
            .Append("<title>SecureHeaders · violation reports</title>")
            .Append(inv, $"<link rel=\"stylesheet\" href=\"{E(assetBase)}/dashboard.css?v={cssVersion}\"{nonceAttr}>")
            .Append(inv, $"<script src=\"{E(assetBase)}/dashboard.js?v={jsVersion}\" defer{nonceAttr}></script>")
            .Append("</head><body><header><h1>Violation reports</h1><div class=\"stats\">")
            .Append(inv, $"<span><strong id=\"total\">{m.Total}</strong> reports stored</span>")
            .Append(inv, $"<span><strong>{m.Top.Count}</strong> distinct violations</span>")
            .Append(inv, $"<span>since start: {m.Counters.Accepted} accepted, {m.Counters.Noise} noise, {m.Counters.RateLimited} rate-limited, {m.Counters.QueueFull} dropped (queue full), {m.Counters.Refused} refused</span>")
            .Append("</div><label><input type=\"checkbox\" id=\"auto-refresh\"> refresh every 30 s</label></header><main>");

        html.Append(inv, $"<section id=\"timeline\"><h2>Reports per hour, last {m.TimelineHours} hours (UTC)</h2>");
        TimelineChart.Render(html, m.Timeline, m.TimelineStart, m.TimelineHours);
        html.Append("</section>");

        RenderTop(html, m.Top);
        RenderRecent(html, m.Recent);
        LearningSection.Render(html, m.Learning, m.LearningError, m.ApiPath);
        html.Append("</main></body></html>");
        return html.ToString();
    }

    private static void RenderTop(StringBuilder html, IReadOnlyList<Violation> top)
    {
        html.Append("<section id=\"top\"><h2>Top blocked origins per directive</h2>");
        if (top.Count == 0)
        {
            html.Append("<p class=\"empty\">No violations stored yet.</p></section>");
            return;
        }

        // Group by type and directive, keeping the count order the store returned.
        var groups = new Dictionary<string, List<Violation>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var v in top)
        {
            var key = v.Type == ReportTypes.CspViolation ? v.Directive : v.Type + " · " + v.Directive;
            if (!groups.TryGetValue(key, out var list))
            {
                groups[key] = list = [];
                order.Add(key);
            }

            list.Add(v);
        }

        foreach (var key in order)
        {
            var list = groups[key];
            html.Append("<h3>").Append(E(key)).Append("</h3><table><thead><tr><th>Blocked</th><th>Page origin</th><th>Disposition</th>")
                .Append("<th class=\"num\">Reports</th><th>Last seen</th></tr></thead><tbody>");
            for (var i = 0; i < list.Count && i < 10; i++)
            {
                var v = list[i];
                html.Append("<tr><td><code>").Append(E(Display(v.BlockedUri))).Append("</code></td><td>").Append(E(v.DocumentOrigin))
                    .Append("</td><td>").Append(E(v.Disposition)).Append("</td><td class=\"num\">")
                    .Append(v.Count.ToString(CultureInfo.InvariantCulture)).Append("</td><td>").Append(Time(v.LastSeen)).Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("</section>");
    }

    private static void RenderRecent(StringBuilder html, IReadOnlyList<Violation> recent)
    {
        html.Append("<section id=\"recent\"><h2>Recent samples</h2>");
        if (recent.Count == 0)
        {
            html.Append("<p class=\"empty\">Nothing yet.</p></section>");
            return;
        }

        html.Append("<table><thead><tr><th>Last seen</th><th>Directive</th><th>Blocked</th><th>Page</th><th>Source</th><th>Sample</th></tr></thead><tbody>");
        foreach (var v in recent)
        {
            var source = v.SourceFile is null ? string.Empty
                : v.SourceFile + (v.LineNumber is { } line ? ":" + line.ToString(CultureInfo.InvariantCulture) : string.Empty);
            html.Append("<tr><td>").Append(Time(v.LastSeen)).Append("</td><td><code>").Append(E(v.Directive)).Append("</code></td><td><code>")
                .Append(E(v.BlockedUrl ?? Display(v.BlockedUri))).Append("</code></td><td>").Append(E(v.DocumentUrl ?? v.DocumentOrigin))
                .Append("</td><td>").Append(E(source)).Append("</td><td><code>").Append(E(v.Sample ?? string.Empty)).Append("</code></td></tr>");
        }

        html.Append("</tbody></table></section>");
    }

    internal static string Display(string blocked) => blocked.Length == 0 ? "(none)" : blocked;

    internal static string Time(DateTimeOffset t)
    {
        var iso = t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return "<time datetime=\"" + iso + "\">" + iso + "</time>";
    }

    internal static string E(string value) => WebUtility.HtmlEncode(value);
}
