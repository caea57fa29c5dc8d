using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json;
using SecureHeaders.Analysis.Grading;
using SecureHeaders.Analysis.Observatory;

namespace SecureHeaders.Analysis.Drift;

/// <summary>What a baseline remembers of one scanned URL.</summary>
/// <param name="Url">The URL scanned.</param>
/// <param name="Score">The Observatory score, or <see langword="null"/> when the URL could not be graded.</param>
/// <param name="Grade">The grade.</param>
/// <param name="Tests">Each Observatory test's result name and modifier.</param>
/// <param name="Headers">The security headers, normalized (<see cref="SecurityHeaderValues"/>); absent ones are <see langword="null"/>.</param>
public sealed record BaselineEntry(string Url, int? Score, string? Grade, ImmutableDictionary<string, (string Result, int Modifier)> Tests, ImmutableDictionary<string, string?> Headers);

/// <summary>One difference between a baseline and a new scan.</summary>
/// <param name="Url">The URL concerned.</param>
/// <param name="Kind">
/// <c>score-lower</c>, <c>grade-lower</c>, <c>test-worse</c>, <c>header-removed</c>, <c>header-weakened</c>,
/// <c>csp-source-added</c>, <c>csp-directive-removed</c>, <c>page-error</c> (regressions); <c>score-higher</c>,
/// <c>header-added</c>, <c>header-changed</c>, <c>csp-source-removed</c>, <c>page-missing</c>, <c>page-new</c> (the rest).
/// </param>
/// <param name="Regression">True when this makes the comparison fail.</param>
/// <param name="Header">The header concerned, if any.</param>
/// <param name="Before">The old value.</param>
/// <param name="After">The new value.</param>
/// <param name="Message">One line for people.</param>
public sealed record BaselineChange(string Url, string Kind, bool Regression, string? Header, string? Before, string? After, string Message);

/// <summary>
/// A saved scan (<c>scan --save-baseline FILE</c>) that a later scan is compared with (<c>--baseline FILE</c>): a
/// lower score or grade, a worse Observatory test, a security header removed or weakened, or a CSP source added is a
/// regression. JSON shape in the README.
/// </summary>
public sealed class ScanBaseline
{
    /// <summary>The version of the file format.</summary>
    public const int SchemaVersion = 1;

    private static readonly string[] s_noFallback = ["frame-ancestors", "base-uri", "form-action", "upgrade-insecure-requests", "block-all-mixed-content", "sandbox", "require-trusted-types-for", "trusted-types", "report-uri", "report-to"];

    private ScanBaseline(string observatory, DateTimeOffset savedAt, ImmutableArray<BaselineEntry> entries)
    {
        Observatory = observatory;
        SavedAt = savedAt;
        Entries = entries;
    }

    /// <summary>The Observatory release the scores come from.</summary>
    public string Observatory { get; }

    /// <summary>When the baseline was saved.</summary>
    public DateTimeOffset SavedAt { get; }

    /// <summary>One entry per scanned URL.</summary>
    public ImmutableArray<BaselineEntry> Entries { get; }

    /// <summary>Builds a baseline from reports.</summary>
    public static ScanBaseline From(IEnumerable<SecurityReport> reports, DateTimeOffset savedAt)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var list = reports.ToList();
        var version = list.Count > 0 ? list[0].Observatory.Version.Label() : ObservatoryVersions.Default.Label();
        return new ScanBaseline(version, savedAt, [.. list.Select(EntryOf)]);
    }

    internal static BaselineEntry EntryOf(SecurityReport report)
    {
        var o = report.Observatory;
        var graded = o.Error is null && report.Site.FetchFailure is null;
        var tests = o.Tests.ToImmutableDictionary(static t => t.Name, static t => (t.Result, t.ScoreModifier), StringComparer.Ordinal);
        var headers = report.Site.Primary is { } primary ? SecurityHeaderValues.Of(primary) : ImmutableDictionary<string, string?>.Empty;
        return new BaselineEntry(report.Target.AbsoluteUri, graded ? o.Score : null, graded ? o.Grade : null, tests, headers);
    }

    /// <summary>Serializes the baseline.</summary>
    public string ToJson()
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", SchemaVersion);
            w.WriteString("observatory", Observatory);
            w.WriteString("savedAt", SavedAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            w.WriteStartArray("pages");
            foreach (var entry in Entries)
            {
                w.WriteStartObject();
                w.WriteString("url", entry.Url);
                if (entry.Score is { } score)
                {
                    w.WriteNumber("score", score);
                    w.WriteString("grade", entry.Grade);
                }
                else
                {
                    w.WriteNull("score");
                    w.WriteNull("grade");
                }

                w.WriteStartObject("tests");
                foreach (var (name, (result, modifier)) in entry.Tests.OrderBy(static t => t.Key, StringComparer.Ordinal))
                {
                    w.WriteStartObject(name);
                    w.WriteString("result", result);
                    w.WriteNumber("scoreModifier", modifier);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
                w.WriteStartObject("headers");
                foreach (var name in SecurityHeaderValues.Names)
                {
                    if (entry.Headers.GetValueOrDefault(name) is { } value)
                    {
                        w.WriteString(name, value);
                    }
                    else
                    {
                        w.WriteNull(name);
                    }
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Reads a baseline file's text; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static ScanBaseline Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("schemaVersion", out var schema) || schema.GetInt32() != SchemaVersion
                || !root.TryGetProperty("pages", out var pages) || pages.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"not a baseline of schema version {SchemaVersion} (expected {{\"schemaVersion\": 1, \"pages\": [...]}}; save one with --save-baseline).");
            }

            var entries = ImmutableArray.CreateBuilder<BaselineEntry>();
            foreach (var page in pages.EnumerateArray())
            {
                var tests = ImmutableDictionary.CreateBuilder<string, (string, int)>(StringComparer.Ordinal);
                if (page.TryGetProperty("tests", out var t) && t.ValueKind == JsonValueKind.Object)
                {
                    foreach (var test in t.EnumerateObject())
                    {
                        tests[test.Name] = (test.Value.GetProperty("result").GetString() ?? string.Empty, test.Value.GetProperty("scoreModifier").GetInt32());
                    }
                }

                var headers = ImmutableDictionary.CreateBuilder<string, string?>(StringComparer.OrdinalIgnoreCase);
                if (page.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object)
                {
                    foreach (var header in h.EnumerateObject())
                    {
                        headers[header.Name] = header.Value.ValueKind == JsonValueKind.String ? header.Value.GetString() : null;
                    }
                }

                var score = page.TryGetProperty("score", out var s) && s.ValueKind == JsonValueKind.Number ? s.GetInt32() : (int?)null;
                var grade = page.TryGetProperty("grade", out var g) && g.ValueKind == JsonValueKind.String ? g.GetString() : null;
                entries.Add(new BaselineEntry(page.GetProperty("url").GetString() ?? throw new FormatException("a page has no \"url\"."), score, grade, tests.ToImmutable(), headers.ToImmutable()));
            }

            var saved = root.TryGetProperty("savedAt", out var at) && at.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(at.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when) ? when : DateTimeOffset.MinValue;
            var observatory = root.TryGetProperty("observatory", out var obs) && obs.ValueKind == JsonValueKind.String ? obs.GetString()! : ObservatoryVersions.Default.Label();
            return new ScanBaseline(observatory, saved, entries.ToImmutable());
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException("not a readable baseline: " + e.Message, e);
        }
    }

    /// <summary>Compares new reports with the baseline, URL by URL.</summary>
    public ImmutableArray<BaselineChange> Compare(IEnumerable<SecurityReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        var changes = ImmutableArray.CreateBuilder<BaselineChange>();
        var current = reports.Select(EntryOf).ToList();
        var before = Entries.GroupBy(static e => e.Url, StringComparer.Ordinal).ToDictionary(static g => g.Key, static g => g.First(), StringComparer.Ordinal);
        foreach (var now in current)
        {
            if (!before.TryGetValue(now.Url, out var old))
            {
                changes.Add(new(now.Url, "page-new", false, null, null, now.Grade, $"new page (grade {now.Grade ?? "none"})."));
                continue;
            }

            CompareEntry(old, now, changes);
        }

        foreach (var old in Entries.Where(e => !current.Exists(c => c.Url == e.Url)))
        {
            changes.Add(new(old.Url, "page-missing", false, null, old.Grade, null, "was in the baseline but not scanned now."));
        }

        return changes.ToImmutable();
    }

    private static void CompareEntry(BaselineEntry old, BaselineEntry now, ImmutableArray<BaselineChange>.Builder changes)
    {
        var url = now.Url;
        if (old.Score is not null && now.Score is null)
        {
            changes.Add(new(url, "page-error", true, null, old.Grade, null, $"could not be graded now (was {old.Grade} {old.Score})."));
        }
        else if (old.Score is { } before && now.Score is { } after)
        {
            if (after < before)
            {
                changes.Add(new(url, "score-lower", true, null, Str(before), Str(after), $"score {before} -> {after}."));
            }
            else if (after > before)
            {
                changes.Add(new(url, "score-higher", false, null, Str(before), Str(after), $"score {before} -> {after}."));
            }

            if (ObservatoryScoring.RankOf(now.Grade!) < ObservatoryScoring.RankOf(old.Grade!))
            {
                changes.Add(new(url, "grade-lower", true, null, old.Grade, now.Grade, $"grade {old.Grade} -> {now.Grade}."));
            }
        }

        foreach (var (test, (result, modifier)) in now.Tests)
        {
            if (old.Tests.TryGetValue(test, out var was) && was.Result != result)
            {
                var worse = modifier < was.Modifier;
                changes.Add(new(url, worse ? "test-worse" : "test-changed", worse, test, was.Result, result,
                    $"{test}: {was.Result} ({Signed(was.Modifier)}) -> {result} ({Signed(modifier)})."));
            }
        }

        foreach (var header in SecurityHeaderValues.Names)
        {
            var was = old.Headers.GetValueOrDefault(header);
            var value = now.Headers.GetValueOrDefault(header);
            if (was == value)
            {
                continue;
            }

            if (was is not null && value is null)
            {
                changes.Add(new(url, "header-removed", true, header, was, null, $"{header} removed (was: {SecurityHeaderValues.Shorten(was)})."));
            }
            else if (was is null)
            {
                changes.Add(new(url, "header-added", false, header, null, value, $"{header} added: {SecurityHeaderValues.Shorten(value)}."));
            }
            else if (header.StartsWith("Content-Security-Policy", StringComparison.OrdinalIgnoreCase))
            {
                CompareCsp(url, header, was, value!, changes);
            }
            else
            {
                var weaker = Strength(header, value!) < Strength(header, was);
                changes.Add(new(url, weaker ? "header-weakened" : "header-changed", weaker, header, was, value,
                    $"{header}: {SecurityHeaderValues.Shorten(was)} -> {SecurityHeaderValues.Shorten(value)}."));
            }
        }
    }

    // A source that now applies to a directive (explicitly or through default-src) and did not before widens the
    // policy; a directive without fallback that disappeared removes a protection.
    private static void CompareCsp(string url, string header, string was, string value, ImmutableArray<BaselineChange>.Builder changes)
    {
        var before = SecurityHeaderValues.Directives(was);
        var after = SecurityHeaderValues.Directives(value);
        var names = before.Keys.Union(after.Keys).Where(static n => n != "default-src").Prepend("default-src").Distinct(StringComparer.Ordinal);
        var any = false;
        foreach (var name in names)
        {
            var fallback = name.EndsWith("-src", StringComparison.Ordinal) || name.EndsWith("-src-elem", StringComparison.Ordinal) || name.EndsWith("-src-attr", StringComparison.Ordinal);
            var old = before.GetValueOrDefault(name) ?? (fallback ? before.GetValueOrDefault("default-src") : null);
            var now = after.GetValueOrDefault(name) ?? (fallback ? after.GetValueOrDefault("default-src") : null);
            if (old is not null && now is null && Array.IndexOf(s_noFallback, name) >= 0 && name is not "report-uri" and not "report-to")
            {
                changes.Add(new(url, "csp-directive-removed", true, header, name, null, $"{header}: directive {name} removed."));
                any = true;
                continue;
            }

            var added = (now ?? []).Except(old ?? []).ToList();
            var removed = (old ?? []).Except(now ?? []).ToList();
            if (added.Count > 0 && old is not null && !(name is "report-uri" or "report-to"))
            {
                changes.Add(new(url, "csp-source-added", true, header, string.Join(' ', old), string.Join(' ', now!),
                    $"{header} {name}: + {string.Join(' ', added)}"));
                any = true;
            }

            if (removed.Count > 0 && now is not null)
            {
                changes.Add(new(url, "csp-source-removed", false, header, string.Join(' ', old!), string.Join(' ', now),
                    $"{header} {name}: - {string.Join(' ', removed)}"));
                any = true;
            }
        }

        if (!any)
        {
            changes.Add(new(url, "header-changed", false, header, was, value, $"{header}: {SecurityHeaderValues.Shorten(was)} -> {SecurityHeaderValues.Shorten(value)}."));
        }
    }

    // How strong a header value is, on a scale of its own per header; equal or unknown values compare equal.
    private static double Strength(string header, string value)
    {
        var v = value.Trim().ToLowerInvariant();
        switch (header.ToLowerInvariant())
        {
            case "strict-transport-security":
                var maxAge = 0d;
                foreach (var part in v.Split(';'))
                {
                    var p = part.Trim();
                    if (p.StartsWith("max-age=", StringComparison.Ordinal) && double.TryParse(p[8..].Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out var age))
                    {
                        maxAge = age;
                    }
                }

                // Any shorter max-age is weaker; includeSubDomains and preload add on top.
                return maxAge + (v.Contains("includesubdomains", StringComparison.Ordinal) ? 0.5 : 0) + (v.Contains("preload", StringComparison.Ordinal) ? 0.25 : 0);
            case "x-frame-options":
                return v == "deny" ? 2 : v == "sameorigin" ? 1 : 0;
            case "x-content-type-options":
                return v == "nosniff" ? 1 : 0;
            case "referrer-policy":
                var last = v.Split(',').Select(static t => t.Trim()).LastOrDefault(static t => Array.IndexOf(s_referrerOrder, t) >= 0);
                return last is null ? -1 : Array.IndexOf(s_referrerOrder, last);
            case "cross-origin-opener-policy":
                return v.StartsWith("same-origin-allow-popups", StringComparison.Ordinal) || v.StartsWith("noopener-allow-popups", StringComparison.Ordinal) ? 1 : v.StartsWith("same-origin", StringComparison.Ordinal) ? 2 : 0;
            case "cross-origin-embedder-policy":
                return v.StartsWith("require-corp", StringComparison.Ordinal) || v.StartsWith("credentialless", StringComparison.Ordinal) ? 1 : 0;
            case "cross-origin-resource-policy":
                return v == "same-origin" ? 2 : v == "same-site" ? 1 : 0;
            case "permissions-policy":
                // Fewer features switched off entirely, or more origins allowed, is weaker: count what is denied.
                return -v.Split(',').Sum(static f => f.Contains('*', StringComparison.Ordinal) ? 2 : f.Contains("()", StringComparison.Ordinal) ? 0 : 1)
                    + v.Split(',').Count(static f => f.Contains("()", StringComparison.Ordinal));
            default:
                return 0;
        }
    }

    private static readonly string[] s_referrerOrder =
    [
        "unsafe-url", "no-referrer-when-downgrade", "origin-when-cross-origin", "origin", "strict-origin-when-cross-origin", "strict-origin", "same-origin", "no-referrer",
    ];

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Signed(int value) => value > 0 ? "+" + Str(value) : Str(value);
}
