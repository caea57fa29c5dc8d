using SecureHeaders.Csp;

namespace SecureHeaders.Tests.Csp;

public class CspParserTests
{
    [Fact]
    public void Parses_directives_in_order_with_lowercase_names()
    {
        var result = CspParser.Parse("Default-Src 'self'; SCRIPT-SRC 'nonce-abc123==' https://cdn.example.com;object-src 'none'");

        Assert.Empty(result.Diagnostics);
        Assert.Equal(["default-src", "script-src", "object-src"], result.Policy.Directives.Select(d => d.Name));
        var script = result.Policy.Find("script-src")!;
        Assert.Equal(CspSourceKind.Nonce, script.Values[0].Kind);
        Assert.Equal("abc123==", script.Values[0].Value);
        Assert.Equal(CspSourceKind.Host, script.Values[1].Kind);
        Assert.Equal("cdn.example.com", script.Values[1].Host);
        Assert.Equal("https", script.Values[1].Scheme);
    }

    [Fact]
    public void First_occurrence_of_a_directive_wins_and_the_repeat_is_reported()
    {
        var result = CspParser.Parse("script-src 'self'; script-src *");

        Assert.Equal("script-src 'self'", result.Policy.ToString());
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal(CspDiagnosticCode.DuplicateDirective, diagnostic.Code);
    }

    [Theory]
    [InlineData("default-src self", CspDiagnosticCode.UnquotedKeyword, "'self'")]
    [InlineData("script-src nonce-abcdefgh", CspDiagnosticCode.UnquotedNonceOrHash, "'nonce-abcdefgh'")]
    [InlineData("script-src 'unsafe-inlin'", CspDiagnosticCode.UnknownKeyword, "'unsafe-inline'")]
    [InlineData("scirpt-src 'self'", CspDiagnosticCode.UnknownDirective, "script-src")]
    [InlineData("script-src: 'self'", CspDiagnosticCode.InvalidDirectiveName, "Remove the colon")]
    [InlineData("script-src 'sha256-abc'", CspDiagnosticCode.InvalidHash, "secureheaders csp hash")]
    [InlineData("script-src 'nonce-ab!c'", CspDiagnosticCode.InvalidNonce, "16 random bytes")]
    [InlineData("img-src 'none' https:", CspDiagnosticCode.NoneWithOtherSources, "'none'")]
    [InlineData("sandbox allow-scrips", CspDiagnosticCode.InvalidValue, "allow-scripts")]
    [InlineData("frame-ancestors 'unsafe-inline'", CspDiagnosticCode.SourceIgnoredInDirective, "Remove")]
    [InlineData("report-to a b", CspDiagnosticCode.MultipleReportToEndpoints, "one endpoint")]
    [InlineData("script-src 'wasm-eval'", CspDiagnosticCode.RenamedKeyword, "'wasm-unsafe-eval'")]
    public void Reports_mistakes_with_a_fix(string policy, CspDiagnosticCode code, string fixContains)
    {
        var result = CspParser.Parse(policy);

        var diagnostic = Assert.Single(result.Diagnostics, d => d.Code == code);
        Assert.Contains(fixContains, diagnostic.Fix ?? diagnostic.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Skips_directives_with_non_ascii_characters_as_browsers_do()
    {
        var result = CspParser.Parse("img-src https://exämple.com; script-src 'self'");

        Assert.Equal("script-src 'self'", result.Policy.ToString());
        Assert.Contains(result.Diagnostics, d => d.Code == CspDiagnosticCode.NonAsciiDirective);
    }

    [Fact]
    public void Tokenize_returns_every_directive_as_written()
    {
        var tokens = CspParser.Tokenize(" Report-URI /a ;;\tscript-src  'self'\f*; img-src https://exämple.com; report-uri /b /c;");

        Assert.Equal(["Report-URI /a", "script-src  'self'\f*", "img-src https://exämple.com", "report-uri /b /c"], tokens.Select(static t => t.Text));
        Assert.Equal(["Report-URI", "script-src", "img-src", "report-uri"], tokens.Select(static t => t.Name));
        Assert.Equal(["'self'", "*"], tokens[1].Values);
        Assert.Equal(["/b", "/c"], tokens[3].Values);
        Assert.Equal([true, true, false, true], tokens.Select(static t => t.IsAscii));
        Assert.Empty(CspParser.Tokenize(" ; \t;"));
    }

    [Fact]
    public void Parse_keeps_the_first_ascii_token_of_each_name_that_tokenize_returns()
    {
        const string policy = "IMG-SRC https://exämple.com; Script-Src 'self'; img-src data:; script-src *";

        var parsed = CspParser.Parse(policy).Policy;

        Assert.Equal(4, CspParser.Tokenize(policy).Length);
        Assert.Equal("script-src 'self'; img-src data:", parsed.ToString());
    }

    [Fact]
    public void Header_value_with_commas_holds_several_policies()
    {
        var result = CspParser.ParseHeader("default-src 'none', script-src 'self'");

        Assert.Equal(2, result.Policies.Length);
        Assert.Equal("script-src 'self'", result.Policies[1].ToString());
    }

    [Fact]
    public void Nonce_placeholder_is_only_legal_in_configuration()
    {
        Assert.DoesNotContain(CspParser.Parse("script-src 'nonce' 'strict-dynamic'", CspParseMode.Configuration).Diagnostics, d => d.Severity == CspDiagnosticSeverity.Error);
        Assert.Contains(CspParser.Parse("script-src 'nonce'").Diagnostics, d => d.Code == CspDiagnosticCode.NoncePlaceholderInHeader);
    }

    [Fact]
    public void Configured_values_with_separators_or_line_breaks_are_errors()
    {
        Assert.Contains(CspParser.ValidateDirective("script-src", ["'self'; img-src *"]), d => d.Code == CspDiagnosticCode.SemicolonInValue);
        Assert.Contains(CspParser.ValidateDirective("script-src", ["https://a.example, https://b.example"]), d => d.Code == CspDiagnosticCode.CommaInPolicy);
        Assert.Contains(CspParser.ValidateDirective("script-src", ["'self'\r\nSet-Cookie: x=1"]), d => d.Code == CspDiagnosticCode.ControlCharacter);
    }

    [Fact]
    public void Valid_hash_of_content_round_trips()
    {
        var hash = CspSource.HashOf("alert(1)");
        var result = CspParser.Parse("script-src " + hash.Text);

        Assert.Empty(result.Diagnostics);
        Assert.Equal("'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='", hash.Text);
    }

    [Fact]
    public void Effective_directive_follows_the_fallback_list()
    {
        var policy = CspPolicy.Parse("default-src 'self'; script-src 'none'");

        Assert.Equal("script-src", policy.FindEffective("script-src-elem")!.Name);
        Assert.Equal("default-src", policy.FindEffective("img-src")!.Name);
        Assert.Null(policy.FindEffective("frame-ancestors"));
    }

    [Fact]
    public void Adding_sources_to_an_absent_fetch_directive_keeps_what_it_inherited()
    {
        var policy = CspPolicy.Parse("default-src 'self'; object-src 'none'")
            .AddSources("img-src", [CspSource.FromHost("https://img.example.com")])
            .AddSources("object-src", [CspSource.Self]);

        Assert.Equal("default-src 'self'; object-src 'self'; img-src 'self' https://img.example.com", policy.ToString());
    }
}
