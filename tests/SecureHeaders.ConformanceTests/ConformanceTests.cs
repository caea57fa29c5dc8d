using SecureHeaders.ConformanceTests.Checks;

namespace SecureHeaders.ConformanceTests;

/// <summary>
/// Runs every check in one engine and compares the outcome with the committed matrix. A failure names the engine,
/// its version, the protection and what was observed. Filter one engine with
/// <c>--filter "FullyQualifiedName~Firefox"</c> or SECUREHEADERS_CONFORMANCE_ENGINES=firefox.
/// </summary>
public abstract class ConformanceTests(ConformanceServerFixture server, EngineFixture engine)
{
    public static TheoryData<string> Checks => [.. ConformanceCatalog.All.Select(static c => c.Id)];

    [Theory]
    [MemberData(nameof(Checks))]
    public async Task Protection_behaves_as_the_matrix_says(string check)
    {
        var browser = await engine.GetAsync(server.Server);
        var definition = ConformanceCatalog.Get(check);
        if (definition.NeedsTrustedCertificate && !browser.TrustsTestCertificate)
        {
            const string why = "it needs the test CA trusted by the engine (.ci/run installs it for WebKitGTK; Chromium and Firefox need certutil from libnss3-tools).";
            if (Environment.GetEnvironmentVariable("SECUREHEADERS_REQUIRE_SERVICES") == "1")
            {
                Assert.Fail($"{browser.Id} {browser.Version}: {check} cannot be measured: {why}");
            }

            Assert.Skip($"{browser.Id}: {check} not measured: {why}");
        }

        var context = new CheckContext(browser, server.Server, TestContext.Current.CancellationToken);
        CheckResult result;
        try
        {
            result = await definition.RunAsync(context);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new InvalidOperationException($"{browser.Id} {browser.Version}: check {check} ({definition.Description}) failed to run: {e.Message}", e);
        }

        MatrixRun.Record(browser.Id, browser.Version, definition, result);
        TestContext.Current.SendDiagnosticMessage($"{browser.Id} {check}: {MatrixRun.Name(result.Outcome)} — {result.Evidence}");
        if (!MatrixRun.Writing && MatrixRun.Compare(browser.Id, browser.Version, definition, result) is { } mismatch)
        {
            Assert.Fail(mismatch);
        }
    }
}

[Collection("chromium")]
public sealed class Chromium(ConformanceServerFixture server, ChromiumFixture engine) : ConformanceTests(server, engine);

[Collection("firefox")]
public sealed class Firefox(ConformanceServerFixture server, FirefoxFixture engine) : ConformanceTests(server, engine);

[Collection("webkit")]
public sealed class WebKit(ConformanceServerFixture server, WebKitFixture engine) : ConformanceTests(server, engine);
