using System.Collections.Immutable;
using SecureHeaders.Headers.StructuredFields;
using SecureHeaders.Configuration;

namespace SecureHeaders.Headers;

/// <summary>A parsed <c>Reporting-Endpoints</c> value: endpoint names and URLs in order.</summary>
/// <param name="Endpoints">Each endpoint name with its URL as written.</param>
public sealed record ReportingEndpointsValue(ImmutableArray<KeyValuePair<string, string>> Endpoints)
{
    /// <summary>Serializes as a structured-field dictionary of strings.</summary>
    public override string ToString()
    {
        // A loop rather than LINQ over the struct pairs, which would be JIT-compiled when the policy is compiled at startup.
        var members = new KeyValuePair<string, SfMember>[Endpoints.Length];
        for (var i = 0; i < members.Length; i++)
        {
            members[i] = new(Endpoints[i].Key, SfMember.FromItem(new SfItem(SfBareItem.String(Endpoints[i].Value))));
        }

        return SfSerializer.SerializeDictionary(members);
    }
}

/// <summary>The <c>Reporting-Endpoints</c> header (W3C Reporting API §3.1).</summary>
public static class ReportingEndpointsHeader
{
    /// <summary>The header name.</summary>
    public const string Name = "Reporting-Endpoints";

    /// <summary>
    /// Parses a value: a structured-field dictionary whose values are URL strings (Reporting API §3.1 and §3.2
    /// "Process reporting endpoints"). Members that are not strings, or whose URL is not potentially trustworthy,
    /// are ignored by browsers.
    /// </summary>
    public static HeaderParseResult<ReportingEndpointsValue> Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var dictionary = SfParser.ParseDictionary(value);
        if (!dictionary.Success)
        {
            return HeaderParseResult<ReportingEndpointsValue>.Invalid("reporting-endpoints-syntax", $"The value is not a structured-field dictionary: {dictionary.Error}",
                "Write endpoints as name=\"https://example.com/reports\".");
        }

        var diagnostics = ImmutableArray.CreateBuilder<HeaderDiagnostic>();
        var endpoints = ImmutableArray.CreateBuilder<KeyValuePair<string, string>>();
        foreach (var (name, member) in dictionary.Value)
        {
            if (member.Item is not { } item || item.Value.Kind != SfKind.String)
            {
                diagnostics.Add(new("reporting-endpoints-not-a-string", $"The endpoint {name} is not a quoted URL; browsers ignore it.", $"Write {name}=\"https://…\"."));
                continue;
            }

            var url = item.Value.AsString!;
            if (!IsAcceptableUrl(url))
            {
                diagnostics.Add(new("reporting-endpoints-url", $"The URL of {name}, \"{url}\", is neither an absolute https URL nor a path starting with '/'; browsers only send reports to potentially trustworthy URLs.",
                    "Use https://your-site/reports or /reports."));
                continue;
            }

            endpoints.Add(new(name, url));
        }

        return new(new ReportingEndpointsValue(endpoints.ToImmutable()), diagnostics.ToImmutable());
    }

    /// <summary>
    /// True for an absolute https URL (or http on a loopback host), or a path beginning with a single '/', which the
    /// browser resolves against the response URL (Reporting API §3.2 step 3.3 parses with the response URL as base).
    /// </summary>
    public static bool IsAcceptableUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal))
        {
            return Uri.TryCreate(url, UriKind.Relative, out _);
        }

        return Uri.TryCreate(url, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
    }

    /// <summary>
    /// A configured URL that can be written into <c>Reporting-Endpoints</c> (a quoted string): acceptable to browsers,
    /// without quotes or control characters. With <paramref name="alsoReportUri"/> it must also fit CSP's
    /// <c>report-uri</c>, where it is one token: no <c>;</c>, <c>,</c> or spaces.
    /// </summary>
    internal static bool IsConfigurableUrl(string? url, bool alsoReportUri = false) =>
        !string.IsNullOrWhiteSpace(url) && IsAcceptableUrl(url) && Internal.HttpTokens.IsSafeFieldValue(url)
        && url.AsSpan().IndexOfAny(alsoReportUri ? "\";, " : "\"") < 0;

    internal static string? Compile(IDictionary<string, string> endpoints, string path, ConfigurationProblems problems)
    {
        if (endpoints.Count == 0)
        {
            return null;
        }

        var ok = new List<KeyValuePair<string, string>>();
        foreach (var (name, url) in endpoints)
        {
            var entryPath = path + ":" + name;
            if (!SfSerializer.IsKey(name))
            {
                problems.Error(entryPath, $"\"{name}\" is not an endpoint name (lower-case letters, digits, '_', '-', '.', '*').", "Use a name such as csp-endpoint.");
            }
            else if (!IsConfigurableUrl(url))
            {
                problems.Error(entryPath, $"\"{HeaderCompiler.Printable(url ?? string.Empty)}\" is not an absolute https URL or a path starting with '/'.", "Use https://example.com/reports or /reports.");
            }
            else
            {
                ok.Add(new(name, url));
            }
        }

        return ok.Count == 0 ? null : new ReportingEndpointsValue([.. ok]).ToString();
    }

    /// <summary>How SecureHeaders configures, validates, documents and sends the header.</summary>
    public static HeaderDescription Description { get; } = new EndpointsDescription();

    /// <summary>Endpoint name → URL. An object of names, or the header value itself as one string.</summary>
    private sealed class EndpointsDescription : HeaderDescription
    {
        private readonly Lazy<Setting> _setting;

        public EndpointsDescription()
            : base(ReportingEndpointsHeader.Name, "ReportingEndpoints", "Reporting API endpoints: name → absolute https URL or a path starting with '/'. SecureHeaders' own collector adds its endpoint when reporting is enabled. Default: none.") =>
            _setting = new Lazy<Setting>(() => new EndpointsSetting(Key, Summary) { Default = "none", Shortcuts = [(SettingKind.String, "the header value, e.g. default=\"https://example.com/reports\"")] });

        internal override Setting Setting => _setting.Value;

        internal override object? CreateDefault() => new OrderedDictionary<string, string>(StringComparer.Ordinal);

        internal override object? CloneValue(object? value) => new OrderedDictionary<string, string>((IDictionary<string, string>)value!, StringComparer.Ordinal);

        internal override HeaderField? Compile(object? value, string path, ConfigurationProblems problems, HeaderCompileContext context) =>
            ReportingEndpointsHeader.Compile((IDictionary<string, string>)value!, path, problems) is { } text ? new HeaderField(Name, text) : null;
    }

    private sealed class EndpointsSetting(string key, string summary) : Setting(key, SettingKind.Map, summary)
    {
        public override IReadOnlyList<Setting> Children { get; } = [new UrlValue()];

        internal override void Bind(ConfigNode node, object owner, BindContext context)
        {
            var endpoints = (IDictionary<string, string>)((HeaderSlot)owner).Value!;
            switch (node.Shape)
            {
                case ConfigNodeShape.Null:
                    endpoints.Clear();
                    return;
                case ConfigNodeShape.Scalar:
                    var parsed = Parse(node.Value!);
                    HeaderCompiler.Report(parsed.Diagnostics, node.Path, context.Problems);
                    if (parsed.Value is not null)
                    {
                        endpoints.Clear();
                        foreach (var (name, url) in parsed.Value.Endpoints)
                        {
                            endpoints[name] = url;
                        }
                    }

                    return;
                case ConfigNodeShape.Composite when !node.IsList:
                    foreach (var child in node.Children())
                    {
                        if (child.Shape == ConfigNodeShape.Null)
                        {
                            endpoints.Remove(child.Key);
                        }
                        else if (child.Shape == ConfigNodeShape.Scalar)
                        {
                            endpoints[child.Key] = child.Value!;
                        }
                        else
                        {
                            context.Error(child, $"The endpoint {child.Key} takes a URL string.", $"Write \"{child.Key}\": \"https://example.com/reports\".");
                        }
                    }

                    return;
                default:
                    context.WrongShape(node, this);
                    return;
            }
        }
    }

    private sealed class UrlValue() : Setting("*", SettingKind.String, "An absolute https URL, or a path starting with '/'.")
    {
        internal override void Bind(ConfigNode node, object owner, BindContext context) => throw new NotSupportedException();
    }
}
