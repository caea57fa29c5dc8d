using SecureHeaders.Compatibility;

namespace SecureHeaders.Tests.Compatibility;

/// <summary>The matrix SecureHeaders ships is the one the conformance suite wrote to docs/browser-matrix.json.</summary>
public sealed class BrowserMatrixTests
{
    private static readonly string[] s_contractIds =
    [
        "csp-nonce-inline-runs", "csp-injected-handler-blocked", "csp-strict-dynamic-propagates", "nosniff-script-blocked",
        "referrer-policy-cross-origin", "frame-ancestors-blocks-framing", "x-frame-options-blocks-framing",
        "permissions-policy-feature-disabled", "coop-severs-opener", "corp-blocks-cross-origin-embed", "csp-report-to-delivered",
        "csp-report-uri-delivered", "trusted-types-enforced", "hsts-upgrades-navigation", "clear-site-data-clears-cookies",
    ];

    private static string RepositoryFile(params string[] parts)
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SecureHeaders.slnx")))
            {
                return Path.Combine([directory.FullName, .. parts]);
            }
        }

        throw new InvalidOperationException("SecureHeaders.slnx not found");
    }

    [Fact]
    public void Embedded_copy_is_byte_for_byte_docs_browser_matrix_json()
    {
        using var stream = typeof(BrowserMatrix).Assembly.GetManifestResourceStream("SecureHeaders.Data.browser-matrix.json");
        Assert.NotNull(stream);
        using var reader = new StreamReader(stream);
        var embedded = reader.ReadToEnd();
        var committed = File.ReadAllText(RepositoryFile("docs", "browser-matrix.json"));
        Assert.True(embedded == committed,
            "src/SecureHeaders/Data/browser-matrix.json differs from docs/browser-matrix.json. Both are written by the conformance suite "
            + "(SECUREHEADERS_CONFORMANCE_WRITE=1); copy docs/browser-matrix.json over the embedded one, never edit either by hand.");
    }

    [Fact]
    public void Every_contract_protection_has_a_cell_for_each_engine()
    {
        Assert.Equal(3, BrowserMatrix.EngineVersions.Count);
        foreach (var id in s_contractIds)
        {
            var protection = BrowserMatrix.Find(id);
            Assert.True(protection is not null, $"docs/browser-matrix.json has no protection {id}");
            foreach (var engine in Enum.GetValues<Engine>())
            {
                Assert.True(protection.For(engine) is { Evidence.Length: > 0 }, $"{id} has no measured {engine} cell with evidence");
            }
        }
    }

    [Fact]
    public void Measured_description_names_engines_and_shows_mdn_where_it_disagrees()
    {
        var permissions = BrowserMatrix.Find("permissions-policy-feature-disabled")!;
        var gaps = BrowserMatrix.DescribeGaps([permissions]);

        foreach (var cell in permissions.NotEnforced)
        {
            Assert.Contains(cell.EngineName, gaps, StringComparison.Ordinal);
        }

        foreach (var engine in Enum.GetValues<Engine>().Where(permissions.DisagreesWithMdn))
        {
            Assert.Contains("MDN: " + permissions.Mdn(engine), BrowserMatrix.DescribeMeasured("Permissions-Policy"), StringComparison.Ordinal);
        }
    }
}

/// <summary>The startup CSP checks quote the measured matrix next to MDN.</summary>
public sealed class MeasuredSupportInFindingsTests
{
    [Fact]
    public void Browser_support_gap_for_a_measured_directive_names_the_measurement()
    {
        var findings = SecureHeaders.Csp.Evaluation.CspEvaluator.Evaluate("script-src 'nonce-abcdefghijklmnop' 'strict-dynamic'; object-src 'none'; base-uri 'none'; require-trusted-types-for 'script'");
        var measured = BrowserMatrix.DescribeMeasured("Content-Security-Policy/require-trusted-types-for");

        Assert.NotNull(measured);
        Assert.Contains("trusted-types-enforced", measured, StringComparison.Ordinal);
        foreach (var finding in findings.Where(static f => f.Check == "browser-support-gap" && f.Directive == "require-trusted-types-for" && f.Value is null))
        {
            Assert.Contains(measured, finding.Message, StringComparison.Ordinal);
            Assert.Contains("(MDN: ", finding.Message, StringComparison.Ordinal);
        }
    }
}

/// <summary>Where MDN and the measurement disagree, both are shown (synthetic matrix: Firefox ignoring what MDN says it supports).</summary>
public sealed class MatrixMdnDisagreementTests
{
    [Fact]
    public void Disagreement_with_mdn_is_detected_and_shown_next_to_the_measurement()
    {
        using var document = System.Text.Json.JsonDocument.Parse("""
            {
              "engines": { "chromium": "156.0.1", "firefox": "153.8.0", "webkit": "2.50.6" },
              "protections": {
                "nosniff-script-blocked": {
                  "chromium": { "outcome": "enforced", "evidence": "refused" },
                  "firefox": { "outcome": "ignored", "evidence": "ran" },
                  "webkit": { "outcome": "enforced", "evidence": "refused" }
                }
              },
              "checks": { "nosniff-script-blocked": { "header": "X-Content-Type-Options", "description": "d", "mdn": "X-Content-Type-Options" } }
            }
            """);
        var protection = Assert.Single(BrowserMatrix.Parse(document.RootElement).Protections);

        Assert.True(protection.DisagreesWithMdn(Engine.Firefox));
        Assert.False(protection.DisagreesWithMdn(Engine.Chromium));
        Assert.Equal("Tested: ignored in Firefox 153 (MDN: Firefox 50+).", BrowserMatrix.DescribeGaps([protection]));
    }
}
