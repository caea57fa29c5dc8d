using System.Globalization;
using System.Text;
using SecureHeaders.Reporting.Suggestions;
using static SecureHeaders.Reporting.AspNetCore.Dashboard.DashboardPage;

namespace SecureHeaders.Reporting.AspNetCore.Dashboard;

/// <summary>
/// The dashboard's learning section: per policy, the allowed additions next to the rejected ones. Likely attacks are
/// shown as incidents (a blocked injection is good news worth seeing) and are never part of what the Copy buttons copy.
/// </summary>
internal static class LearningSection
{
    public static void Render(StringBuilder html, LearningResult? learning, string? error, string apiPath)
    {
        html.Append("<section id=\"suggestion\"><h2>Suggested policy change</h2>");
        if (learning is null)
        {
            html.Append("<p class=\"empty\">").Append(E(error ?? "No policy to learn from.")).Append("</p></section>");
            return;
        }

        html.Append("<p class=\"window\">");
        if (learning.Session is { } s)
        {
            html.Append(CultureInfo.InvariantCulture, $"From learning session {s.Id}")
                .Append(s.Name is null ? string.Empty : " “" + E(s.Name) + "”")
                .Append(", started ").Append(Time(s.StartedAt))
                .Append(s.EndedAt is { } end ? ", ended " + Time(end) : ", still open").Append('.');
        }
        else
        {
            html.Append("From every stored report (no learning session).");
        }

        if (learning.UnattributedReports > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $" {learning.UnattributedReports} report(s) could not be credited to a policy of this app and are not counted.");
        }

        html.Append("</p>");
        var incidents = learning.Policies.Sum(static p => p.Rejected.Count(static r => r.IsIncident));
        if (incidents > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"incident-summary\"><strong>{incidents}</strong> likely injection(s) blocked and left out of every proposal.</p>");
        }

        for (var i = 0; i < learning.Policies.Count; i++)
        {
            RenderPolicy(html, learning.Policies[i], i, apiPath);
        }

        html.Append("</section>");
    }

    private static void RenderPolicy(StringBuilder html, LearnedPolicy p, int index, string apiPath)
    {
        var id = "learned-" + index.ToString(CultureInfo.InvariantCulture);
        html.Append("<article class=\"policy\" data-policy=\"").Append(E(p.Policy)).Append("\"><h3>").Append(E(p.Policy))
            .Append(p.Disposition == "report" ? " · Report-Only candidate" : " · enforced policy").Append("</h3>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">{p.ReportsConsidered} report(s) from {p.Pages} page(s) and {p.Clients} client(s).</p>")
            .Append("<div class=\"columns\"><div class=\"allowed\"><h4>Allowed additions</h4>");
        if (p.Added.Count == 0)
        {
            html.Append("<p class=\"empty\">None.</p>");
        }
        else
        {
            html.Append("<table><thead><tr><th>Directive</th><th>Source</th><th class=\"num\">Reports</th><th>Why</th></tr></thead><tbody>");
            foreach (var a in p.Added)
            {
                html.Append("<tr><td><code>").Append(E(a.Directive)).Append("</code></td><td><code class=\"add\">").Append(E(a.Source))
                    .Append("</code></td><td class=\"num\">").Append(a.Count.ToString(CultureInfo.InvariantCulture)).Append("</td><td>").Append(E(a.Reason)).Append("</td></tr>");
            }

            html.Append("</tbody></table>");
        }

        html.Append("<p>Proposed policy (header value) <button type=\"button\" data-copy=\"").Append(id).Append("-csp\">Copy</button></p>")
            .Append("<pre id=\"").Append(id).Append("-csp\">").Append(E(p.Csp)).Append("</pre>")
            .Append("<details><summary>appsettings.json</summary><button type=\"button\" data-copy=\"").Append(id).Append("-json\">Copy</button>")
            .Append("<pre id=\"").Append(id).Append("-json\">").Append(E(p.AppSettingsJson)).Append("</pre></details>")
            .Append("<details><summary>Program.cs</summary><button type=\"button\" data-copy=\"").Append(id).Append("-cs\">Copy</button>")
            .Append("<pre id=\"").Append(id).Append("-cs\">").Append(E(p.CSharp)).Append("</pre></details>");
        html.Append("</div><div class=\"rejected\"><h4>Rejected</h4>");
        if (p.Rejected.Count == 0)
        {
            html.Append("<p class=\"empty\">None.</p>");
        }
        else
        {
            html.Append("<table><thead><tr><th>Directive</th><th>Source</th><th class=\"num\">Reports</th><th class=\"num\">Pages</th><th>Seen</th><th>Why</th></tr></thead><tbody>");
            foreach (var r in p.Rejected)
            {
                html.Append(r.IsIncident ? "<tr class=\"incident\">" : "<tr>").Append("<td><code>").Append(E(r.Directive)).Append("</code></td><td><code>").Append(E(r.Source)).Append("</code>");
                foreach (var sample in r.Samples)
                {
                    html.Append("<br><code class=\"sample\">").Append(E(sample)).Append("</code>");
                }

                html.Append("</td><td class=\"num\">").Append(r.Count.ToString(CultureInfo.InvariantCulture)).Append("</td><td class=\"num\">")
                    .Append(r.Documents.ToString(CultureInfo.InvariantCulture)).Append("</td><td>").Append(Time(r.FirstSeen)).Append(" – ").Append(Time(r.LastSeen))
                    .Append("</td><td>").Append(r.IsIncident ? "<strong>Likely attack, blocked.</strong> " : string.Empty).Append(E(r.Reason));
                if (r.Pages.Count > 0)
                {
                    html.Append("<br><small>").Append(E(string.Join(", ", r.Pages))).Append("</small>");
                }

                html.Append("</td></tr>");
            }

            html.Append("</tbody></table>")
                .Append("<p class=\"muted\">A rejected source comes back only with an explicit, logged opt-in: <code>POST ").Append(E(apiPath))
                .Append("/opt-ins</code> with <code>{\"policy\", \"directive\", \"source\", \"reason\"}</code>, or <code>secureheaders reports allow</code>.</p>");
        }

        html.Append("</div></div>");
        foreach (var note in p.Notes)
        {
            html.Append("<p class=\"note\">").Append(E(note)).Append("</p>");
        }

        html.Append("</article>");
    }
}
