namespace SecureHeaders.ConformanceTests.Hosting;

/// <summary>
/// The host names the suite serves (RFC 6761 <c>.test</c>, reached through <see cref="ForwardProxy"/>). Real host
/// names, not loopback literals or <c>localhost</c>, so that no engine applies its localhost exceptions (secure
/// context, HSTS, mixed content). <c>app.test</c> and <c>other.test</c> are different sites as well as different
/// origins, since <c>test</c> is a public suffix by the PSL's default rule. Checks that depend on per-host browser
/// state (HSTS, Clear-Site-Data) use a host of their own, because WebKit shares that state across pages.
/// </summary>
public static class ConformanceHosts
{
    public const string App = "app.test";
    public const string Other = "other.test";
    public const string Hsts = "hsts.test";
    public const string HstsControl = "hsts-control.test";
    public const string Upgrade = "uir.test";
    public const string ClearSiteData = "csd.test";
    public const string Cookies = "cookies.test";

    /// <summary>The template apps of tests/Fixtures, each run as its own process (see <see cref="ForwardProxy.Route"/>).</summary>
    public const string BlazorApp = "blazor.test";

    /// <summary>The Razor Pages template app with Swagger UI, ReDoc and Scalar (tests/Fixtures/RazorPagesApp).</summary>
    public const string RazorPagesApp = "razor.test";

    public static IReadOnlyList<string> All { get; } = [App, Other, Hsts, HstsControl, Upgrade, ClearSiteData, Cookies, BlazorApp, RazorPagesApp];

    public static bool IsKnown(string host) => All.Contains(host, StringComparer.OrdinalIgnoreCase);

    public static Uri Https(string host, string pathAndQuery) => new("https://" + host + pathAndQuery);

    public static Uri Http(string host, string pathAndQuery) => new("http://" + host + pathAndQuery);
}
