using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SecureHeaders.Csp;
using SecureHeaders.Reporting.Suggestions;

namespace SecureHeaders.Reporting.AspNetCore.Tests.Api;

/// <summary>The three forms of a learned policy are the same policy: pasted into configuration or code, the app sends the header value.</summary>
public sealed class LearnedOutputTests
{
    private const string Base =
        "default-src 'self'; script-src 'self' 'nonce' 'report-sample'; style-src 'self' 'nonce'; img-src 'self'; object-src 'none'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests; report-to secureheaders; report-uri /_secureheaders/reports?policy=default";

    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private static LearnedPolicy Learned(string name = "default")
    {
        string[] pages = ["https://shop.example.com/", "https://shop.example.com/a", "https://shop.example.com/b"];
        Violation V(string fp, string directive, string blocked) => new()
        {
            Fingerprint = fp, Type = ReportTypes.CspViolation, Disposition = "report", DocumentOrigin = "https://shop.example.com", Directive = directive,
            BlockedUri = blocked, SourceHost = string.Empty, Count = 3, FirstSeen = T0, LastSeen = T0, Policy = name,
        };
        var violations = new[] { V("a", "script-src-elem", "https://cdn.example.net"), V("b", "font-src", "https://fonts.example.org"), V("c", "frame-src", "https://video.example.com") };
        var evidence = new ViolationEvidence([.. violations.SelectMany(v => pages.Select(p => new ViolationTally(v.Fingerprint, p, 1, T0, T0)))], []);
        var learned = PolicyLearner.Learn(new AppPolicy(name, "report", Base.Replace("policy=default", "policy=" + name, StringComparison.Ordinal)), violations, [], evidence, [], []);
        Assert.Equal(3, learned.Added.Count);
        return learned;
    }

    /// <summary>Starts an app configured by <paramref name="configure"/> and returns its CSP headers for one page, nonces replaced by the placeholder.</summary>
    private static async Task<(string? Enforced, string? ReportOnly)> HeadersAsync(Action<WebApplicationBuilder> configure, string path = "/")
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = Path.GetTempPath(), EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        configure(builder);
        builder.Services.AddSecureHeadersReporting(o => o.SqlitePath = Path.Combine(Path.GetTempPath(), "secureheaders-output-" + Guid.NewGuid().ToString("n") + ".db"));
        await using var app = builder.Build();
        app.UseSecureHeaders();
        app.MapGet("/", () => "ok");
        app.MapGet("/widget", () => "ok");
        await app.StartAsync(TestContext.Current.CancellationToken);
        using var client = app.GetTestClient();
        client.BaseAddress = new Uri("https://localhost");
        using var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        static string? Placeholders(IEnumerable<string>? values) => values?.Single() is { } v
            ? System.Text.RegularExpressions.Regex.Replace(v, "'nonce-[A-Za-z0-9+/=]+'", "'nonce'")
            : null;
        var enforced = Placeholders(response.Headers.TryGetValues("Content-Security-Policy", out var e) ? e : null);
        var reportOnly = Placeholders(response.Headers.TryGetValues("Content-Security-Policy-Report-Only", out var r) ? r : null);
        await app.StopAsync(TestContext.Current.CancellationToken);
        return (enforced, reportOnly);
    }

    private static Dictionary<string, string> Directives(string csp) =>
        CspPolicy.Parse(csp).Directives.ToDictionary(d => d.Name, d => string.Join(' ', d.Values.Select(v => v.Text)));

    [Fact]
    public async Task The_appsettings_fragment_makes_the_app_send_the_learned_policy()
    {
        var learned = Learned();
        var (enforced, reportOnly) = await HeadersAsync(b =>
        {
            b.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(learned.AppSettingsJson)));
            b.Services.AddSecureHeaders();
        });
        Assert.Equal(Directives(learned.Csp), Directives(enforced!));
        Assert.Null(reportOnly);
    }

    [Fact]
    public async Task The_appsettings_fragment_of_a_named_policy_configures_that_policy()
    {
        var learned = Learned("widget");
        Assert.Contains("\"Policies\": {", learned.AppSettingsJson, StringComparison.Ordinal);
        var (enforced, _) = await HeadersAsync(b =>
        {
            b.Configuration.AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(learned.AppSettingsJson)));
            b.Services.AddSecureHeaders(o => o.PolicySelector = c => c.Request.Path == "/widget" ? "widget" : null);
        }, "/widget");
        Assert.True(Directives(learned.Csp).OrderBy(d => d.Key).SequenceEqual(Directives(enforced!).OrderBy(d => d.Key)), learned.Csp + "\n" + enforced);
    }

    [Fact]
    public async Task The_csharp_compiles_and_makes_the_app_send_the_learned_policy()
    {
        var learned = Learned();
        var configure = Compile(learned.CSharp);
        var (enforced, reportOnly) = await HeadersAsync(b => configure(b.Services));
        Assert.Equal(Directives(learned.Csp), Directives(enforced!));
        Assert.Null(reportOnly);
    }

    [Fact]
    public async Task The_header_value_enforced_as_is_is_the_same_policy()
    {
        var learned = Learned();
        var (enforced, _) = await HeadersAsync(b => b.Services.AddSecureHeaders(o =>
        {
            o.ContentSecurityPolicy.Use(learned.Csp);
            o.ContentSecurityPolicyReportOnly.Enabled = false;
        }));
        Assert.Equal(Directives(learned.Csp), Directives(enforced!));
    }

    /// <summary>Compiles the printed snippet as the body of a method that receives <c>builder.Services</c>.</summary>
    private static Action<IServiceCollection> Compile(string snippet)
    {
        var source = $$"""
            using Microsoft.Extensions.DependencyInjection;
            public static class Snippet
            {
                public static void Run(IServiceCollection services)
                {
                    var builder = new { Services = services };
            {{snippet}}
                }
            }
            """;
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(AppDomain.CurrentDomain.GetAssemblies().Where(a => !a.IsDynamic && a.Location.Length > 0).Select(a => a.Location))
            .Append(typeof(SecureHeaders.AspNetCore.SecureHeadersOptions).Assembly.Location)
            .Append(typeof(SecureHeaders.Policies.SecureHeadersPolicy).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("LearnedSnippet", [CSharpSyntaxTree.ParseText(source)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var dll = new MemoryStream();
        var emitted = compilation.Emit(dll);
        Assert.True(emitted.Success, string.Join('\n', emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)) + "\n" + source);
        var assembly = Assembly.Load(dll.ToArray());
        var run = assembly.GetType("Snippet")!.GetMethod("Run")!;
        return services => run.Invoke(null, [services]);
    }
}
