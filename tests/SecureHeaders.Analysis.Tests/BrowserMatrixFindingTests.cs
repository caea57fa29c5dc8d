using SecureHeaders.Analysis.Grading;
using SecureHeaders.Compatibility;

namespace SecureHeaders.Analysis.Tests;

/// <summary>The scanner's browser-support findings quote what the conformance suite measured (docs/browser-matrix.json).</summary>
public sealed class BrowserMatrixFindingTests
{
    [Fact]
    public void Permissions_policy_finding_names_the_engines_that_ignored_it_in_the_conformance_run()
    {
        var report = SecurityAnalyzer.Analyze(new HeaderSet(("Permissions-Policy", "camera=(), geolocation=()")));
        var protection = BrowserMatrix.Find("permissions-policy-feature-disabled")!;

        var finding = Assert.Single(report.Findings, static f => f.Id == "permissions-policy-browser-support");
        foreach (var cell in protection.NotEnforced)
        {
            Assert.Contains(cell.ToString(), finding.Message, StringComparison.Ordinal);
        }

        Assert.NotEmpty(protection.NotEnforced);
    }
}
