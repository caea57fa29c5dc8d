using SecureHeaders.Csp;

namespace SecureHeaders.Tests.Csp;

public class CspBuilderTests
{
    [Fact]
    public void Builds_a_strict_policy_with_the_nonce_placeholder()
    {
        var policy = new CspBuilder()
            .ScriptSrc(s => s.Nonce().StrictDynamic().UnsafeInline().Https())
            .ObjectSrc(s => s.None())
            .BaseUri(s => s.None())
            .FrameAncestors(s => s.None())
            .UpgradeInsecureRequests()
            .ReportTo("csp")
            .RequireTrustedTypesFor()
            .Build();

        Assert.Equal("script-src 'nonce' 'strict-dynamic' 'unsafe-inline' https:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; upgrade-insecure-requests; report-to csp; require-trusted-types-for 'script'", policy.ToString());
        Assert.True(policy.HasNoncePlaceholder);
        Assert.Equal("script-src 'nonce-abc' 'strict-dynamic'", new CspBuilder().ScriptSrc(s => s.Nonce().StrictDynamic()).Build().WithNonce("abc").ToString());
    }

    [Fact]
    public void Source_builders_offer_only_valid_kinds()
    {
        // Compile-time property: frame-ancestors takes CspUrlSources, which has no Nonce/UnsafeInline; img-src takes CspFetchSources without StrictDynamic.
        Assert.Null(typeof(CspUrlSources).GetMethod("Nonce"));
        Assert.Null(typeof(CspUrlSources).GetMethod("UnsafeInline"));
        Assert.Null(typeof(CspFetchSources).GetMethod("StrictDynamic"));
        Assert.Null(typeof(CspStyleSources).GetMethod("StrictDynamic"));
        Assert.Null(typeof(CspAttributeSources).GetMethod("Host"));
        Assert.NotNull(typeof(CspScriptSources).GetMethod("WasmUnsafeEval"));
    }

    [Fact]
    public void Repeated_calls_add_to_the_directive_and_sandbox_flags_are_kebab_case()
    {
        var policy = new CspBuilder()
            .ImgSrc(s => s.Self())
            .ImgSrc(s => s.Data().Self())
            .Sandbox(CspSandboxFlags.AllowScripts | CspSandboxFlags.AllowSameOrigin)
            .StyleSrc(s => s.Self().HashOf("body{}"))
            .ScriptSrcAttr(s => s.UnsafeHashes().HashOf("go()"))
            .Build();

        Assert.StartsWith("img-src 'self' data:; sandbox allow-same-origin allow-scripts; style-src 'self' 'sha256-", policy.ToString(), StringComparison.Ordinal);
        Assert.False(CspPolicyCompiler.Compile(policy).HasErrors);
    }

    [Fact]
    public void Builder_and_dictionary_compile_to_the_same_policy()
    {
        var fromBuilder = CspPolicyCompiler.Compile(b => b
            .DefaultSrc(s => s.Self())
            .ScriptSrc(s => s.Self().Host("https://cdn.example.com"))
            .UpgradeInsecureRequests());
        var fromDictionary = CspPolicyCompiler.Compile(new Dictionary<string, IReadOnlyList<string>>
        {
            ["default-src"] = ["'self'"],
            ["scriptSrc"] = ["'self' https://cdn.example.com"],
            ["upgrade-insecure-requests"] = [],
        });
        var fromStrings = CspPolicyCompiler.Compile(new Dictionary<string, string>
        {
            ["Default-Src"] = "'self'",
            ["script-src"] = "'self'   https://cdn.example.com",
            ["upgrade-insecure-requests"] = string.Empty,
        });

        Assert.Empty(fromBuilder.Diagnostics);
        Assert.Empty(fromDictionary.Diagnostics);
        Assert.Equal(fromBuilder.Policy, fromDictionary.Policy);
        Assert.Equal(fromBuilder.Policy, fromStrings.Policy);
        var (policy, diagnostics) = fromDictionary;
        Assert.Equal("default-src 'self'; script-src 'self' https://cdn.example.com; upgrade-insecure-requests", policy.ToString());
        Assert.Empty(diagnostics);
    }

    [Theory]
    [InlineData("script-src", "self", CspDiagnosticCode.UnquotedKeyword, "Quote it: 'self'")]
    [InlineData("script-src", "'self'; object-src *", CspDiagnosticCode.SemicolonInValue, "own entry")]
    [InlineData("script-src", "'self',https://a.example", CspDiagnosticCode.CommaInPolicy, "spaces")]
    [InlineData("script-src", "'self'\r\nX-Injected: 1", CspDiagnosticCode.ControlCharacter, "line breaks")]
    [InlineData("scirpt-src", "'self'", CspDiagnosticCode.UnknownDirective, "Did you mean script-src?")]
    [InlineData("script-src 'self'", "https:", CspDiagnosticCode.InvalidDirectiveName, "Did you mean script-src?")]
    [InlineData("", "'self'", CspDiagnosticCode.InvalidDirectiveName, "directive name")]
    [InlineData("script-src", "'nonce-ab!'", CspDiagnosticCode.InvalidNonce, "random bytes")]
    [InlineData("script-src", "'sha256-abc='", CspDiagnosticCode.InvalidHash, "secureheaders csp hash")]
    [InlineData("script-src", "'strict-dynamic' https:", CspDiagnosticCode.StrictDynamicWithoutNonceOrHash, "nonce")]
    [InlineData("script-src", "'nonce-abcdefgh12345678'", CspDiagnosticCode.StaticNonce, "'nonce'")]
    [InlineData("frame-ancestors", "'nonce'", CspDiagnosticCode.SourceIgnoredInDirective, "Remove")]
    public void Dictionary_errors_name_the_directive_and_the_fix(string name, string value, CspDiagnosticCode code, string fixContains)
    {
        var compilation = CspPolicyCompiler.Compile(new Dictionary<string, IReadOnlyList<string>> { [name] = [value], ["object-src"] = ["'none'"] });

        var diagnostic = Assert.Single(compilation.Diagnostics, d => d.Code == code);
        Assert.Equal(CspDiagnosticSeverity.Error, diagnostic.Severity);
        Assert.Contains(fixContains, diagnostic.Fix ?? diagnostic.Message, StringComparison.Ordinal);
        Assert.True(compilation.HasErrors);
        var exception = Assert.Throws<CspValidationException>(() => compilation.GetPolicyOrThrow());
        Assert.Contains(diagnostic.Message, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Injection_attempts_never_reach_the_policy()
    {
        var compilation = CspPolicyCompiler.Compile(new Dictionary<string, string[]>
        {
            ["script-src"] = ["'self'; script-src *"],
            ["img-src"] = ["https://a.example\nSet-Cookie: x=1"],
            ["default-src"] = ["'self'"],
        });

        Assert.Equal("default-src 'self'", compilation.Policy.ToString());
        Assert.Equal(2, compilation.Errors.Count());
    }

    [Fact]
    public void Duplicate_keys_differing_in_case_are_reported()
    {
        var compilation = CspPolicyCompiler.Compile(new Dictionary<string, string> { ["script-src"] = "'self'", ["Script-Src"] = "*" });

        Assert.Contains(compilation.Diagnostics, d => d.Code == CspDiagnosticCode.DuplicateDirective);
        Assert.Equal("script-src 'self'", compilation.Policy.ToString());
    }

    [Fact]
    public void Report_only_without_destination_is_a_warning_and_empty_policies_are_errors()
    {
        var reportOnly = CspPolicyCompiler.Compile("default-src 'self'", new CspCompileOptions { ReportOnly = true });
        var warning = Assert.Single(reportOnly.Diagnostics);
        Assert.Equal(CspDiagnosticCode.ReportOnlyWithoutDestination, warning.Code);
        Assert.Equal(CspDiagnosticSeverity.Warning, warning.Severity);
        Assert.False(reportOnly.HasErrors);

        Assert.DoesNotContain(CspPolicyCompiler.Compile("default-src 'self'; report-uri /csp", new CspCompileOptions { ReportOnly = true }).Diagnostics, d => d.Code == CspDiagnosticCode.ReportOnlyWithoutDestination);
        Assert.Contains(CspPolicyCompiler.Compile(new CspBuilder()).Diagnostics, d => d.Code == CspDiagnosticCode.EmptyPolicy);
    }

    [Fact]
    public void Presets_compile_cleanly()
    {
        foreach (var name in CspPresets.Names)
        {
            var compilation = CspPolicyCompiler.Compile(CspPresets.Find(name)!);
            Assert.False(compilation.HasErrors, name + ": " + string.Join("; ", compilation.Diagnostics));
        }

        Assert.Equal("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; media-src 'self'; manifest-src 'self'; frame-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests", CspPresets.Basic.ToString());
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", CspPresets.Api.ToString());
    }

    [Fact]
    public void Merge_adds_allowances_and_keeps_restrictions()
    {
        Assert.Equal(
            "default-src 'none'; script-src 'self' 'nonce' 'strict-dynamic' 'unsafe-inline' https:; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; media-src 'self'; manifest-src 'self'; frame-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests",
            CspPresets.StrictWithBasic.ToString());

        var fonts = CspPresets.Combine(CspPolicy.Parse("default-src 'self'"), CspPresets.GoogleFonts);
        Assert.Equal("default-src 'self'; style-src 'self' https://fonts.googleapis.com; font-src 'self' https://fonts.gstatic.com", fonts.ToString());

        var strictOnSelf = CspPolicy.Parse("default-src 'self'").Merge(CspPresets.Strict);
        Assert.Equal("'none'", strictOnSelf.Find("object-src")!.Values.Single().Text);

        var sandbox = CspPolicy.Parse("sandbox allow-forms; report-to a").Merge(CspPolicy.Parse("sandbox allow-scripts; report-to b"));
        Assert.Equal("sandbox allow-forms allow-scripts; report-to b", sandbox.ToString());
    }

    [Fact]
    public void Starting_from_a_preset()
    {
        var policy = new CspBuilder(CspPresets.Basic).ConnectSrc(s => s.Self().Wss()).Remove("upgrade-insecure-requests").Build();

        Assert.Contains("connect-src 'self' wss:", policy.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("upgrade-insecure-requests", policy.ToString(), StringComparison.Ordinal);
    }
}
