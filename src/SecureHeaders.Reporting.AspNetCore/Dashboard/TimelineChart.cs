using System.Globalization;
using System.Text;

namespace SecureHeaders.Reporting.AspNetCore.Dashboard;

/// <summary>
/// Draws reports per hour as an inline SVG bar chart. Only presentation attributes and classes are used (no
/// <c>style</c> attributes), so the chart renders under <c>style-src 'self'</c> without <c>'unsafe-inline'</c>.
/// </summary>
internal static class TimelineChart
{
    private const int Width = 960;
    private const int Height = 180;
    private const int Left = 40;
    private const int Bottom = 20;

    public static void Render(StringBuilder html, IReadOnlyList<TimelinePoint> points, DateTimeOffset start, int hours)
    {
        var counts = new long[hours];
        foreach (var p in points)
        {
            var index = (int)Math.Floor((p.Start - start).TotalHours);
            if (index >= 0 && index < hours)
            {
                counts[index] += p.Count;
            }
        }

        long max = 1;
        foreach (var c in counts)
        {
            max = Math.Max(max, c);
        }

        var inv = CultureInfo.InvariantCulture;
        var plotWidth = Width - Left;
        var plotHeight = Height - Bottom;
        var slot = plotWidth / (double)hours;
        html.Append(inv, $"<svg class=\"chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"Reports per hour\">");
        html.Append(inv, $"<line class=\"axis\" x1=\"{Left}\" y1=\"{plotHeight}\" x2=\"{Width}\" y2=\"{plotHeight}\"/>");
        html.Append(inv, $"<text x=\"0\" y=\"10\">{max}</text><text x=\"0\" y=\"{plotHeight}\">0</text>");
        for (var i = 0; i < hours; i++)
        {
            var hourStart = start.AddHours(i);
            if (i % 6 == 0)
            {
                html.Append(inv, $"<text x=\"{Left + (i * slot):0.#}\" y=\"{Height - 4}\">{hourStart:MM-dd HH}h</text>");
            }

            if (counts[i] == 0)
            {
                continue;
            }

            var h = Math.Max(1, counts[i] * (plotHeight - 12) / (double)max);
            html.Append(inv, $"<rect class=\"bar\" x=\"{Left + (i * slot) + 1:0.#}\" y=\"{plotHeight - h:0.#}\" width=\"{Math.Max(1, slot - 2):0.#}\" height=\"{h:0.#}\">");
            html.Append(inv, $"<title>{hourStart:yyyy-MM-dd HH}:00 UTC: {counts[i]} report(s)</title></rect>");
        }

        html.Append("</svg>");
    }
}
