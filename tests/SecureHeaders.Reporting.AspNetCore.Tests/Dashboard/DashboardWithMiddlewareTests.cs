using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SecureHeaders.Reporting.Tests.Support;
using SecureHeaders.Reporting.AspNetCore.Tests.Support;

namespace SecureHeaders.Reporting.AspNetCore.Tests.Dashboard;

/// <summary>The dashboard behind the SecureHeaders middleware: whatever policy ends up on the response must allow the page.</summary>
public sealed class DashboardWithMiddlewareTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> Policies => new()
    {
        "defaults",
        "strict-nonce",
    };

    [Theory]
    [MemberData(nameof(Policies))]
    public async Task Every_csp_on_the_dashboard_allows_its_script_and_stylesheet(string policy)
    {
        await using var app = await ReportingApp.StartAsync(_dir.Path,
            services: s =>
            {
                if (policy == "strict-nonce")
                {
                    // The showcase's strict policy: nonce and 'strict-dynamic' for scripts, nonce or 'self' for styles.
                    var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
                    {
                        ["SecureHeaders:ContentSecurityPolicy:Directives:script-src:0"] = "'nonce'",
                        ["SecureHeaders:ContentSecurityPolicy:Directives:script-src:1"] = "'strict-dynamic'",
                        ["SecureHeaders:ContentSecurityPolicy:Directives:style-src:0"] = "'nonce'",
                    }).Build();
                    s.AddSingleton<IConfiguration>(config);
                }

                s.AddSecureHeaders();
            },
            beforeMap: web => web.UseSecureHeaders());

        using var response = await app.Client.GetAsync("/_secureheaders/dashboard", TestContext.Current.CancellationToken);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var nonce = System.Text.RegularExpressions.Regex.Match(html, "<script [^>]*nonce=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Contains($"<link rel=\"stylesheet\" href=\"/_secureheaders/dashboard/assets/dashboard.css?v=", html, StringComparison.Ordinal);
        Assert.Contains($"nonce=\"{nonce}\">", html, StringComparison.Ordinal);

        var policies = response.Headers.GetValues("Content-Security-Policy").ToList();
        Assert.NotEmpty(policies);
        if (policy == "strict-nonce")
        {
            Assert.Contains(policies, p => p.Contains("'strict-dynamic'", StringComparison.Ordinal));
        }

        foreach (var csp in policies)
        {
            Assert.True(Allows(csp, "script-src", nonce), $"scripts blocked by: {csp}");
            Assert.True(Allows(csp, "style-src", nonce), $"styles blocked by: {csp}");
        }
    }

    // A same-origin element carrying the nonce is allowed when the directive in force has 'self' or that nonce.
    private static bool Allows(string csp, string directive, string nonce)
    {
        var directives = csp.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(d => d[0], d => d.Skip(1).ToArray(), StringComparer.OrdinalIgnoreCase);
        if (!directives.TryGetValue(directive, out var sources) && !directives.TryGetValue("default-src", out sources))
        {
            return true;
        }

        return sources.Contains("'self'") || sources.Contains($"'nonce-{nonce}'");
    }
}
