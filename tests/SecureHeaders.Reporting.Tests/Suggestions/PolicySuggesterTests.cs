using SecureHeaders.Reporting.Suggestions;

namespace SecureHeaders.Reporting.Tests.Suggestions;

public class PolicySuggesterTests
{
    private const string Origin = "https://shop.example.com";
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);

    private static Violation V(string directive, string blocked, long count = 1, string? policy = null, string? sample = null,
        string fp = "", string type = ReportTypes.CspViolation, string source = "", DateTimeOffset? last = null) => new()
    {
        Fingerprint = fp.Length > 0 ? fp : directive + "|" + blocked,
        Type = type,
        Disposition = "enforce",
        DocumentOrigin = Origin,
        Directive = directive,
        BlockedUri = blocked,
        SourceHost = source,
        Count = count,
        FirstSeen = T0,
        LastSeen = last ?? T0,
        Sample = sample,
        OriginalPolicy = policy,
    };

    private static PolicySuggestion Suggest(params Violation[] v) => PolicySuggester.Suggest(v, []);

    [Fact]
    public void Adds_each_blocked_origin_once_to_the_directive_in_force()
    {
        const string policy = "default-src 'self'; script-src 'self'; img-src 'self'";
        var s = Suggest(
            V("script-src-elem", "https://cdn.example.net", 5, policy),
            V("script-src-elem", "https://cdn.example.net", 2, policy, fp: "dup"),
            V("script-src-elem", "https://js.example.org", 1, policy),
            V("img-src", "data", 3, policy),
            V("img-src", Origin, 1, policy));

        Assert.Equal(2, s.Directives.Count);
        var script = s.Directives[0];
        Assert.Equal("script-src", script.Directive);
        Assert.False(script.CreatesDirective);
        Assert.Equal(["https://cdn.example.net", "https://js.example.org"], script.Add);
        Assert.Equal(8, script.Reports);
        // 'self' is already in img-src: only data: is new.
        Assert.Equal(["data:"], s.Directives[1].Add);
        Assert.Equal("default-src 'self'; script-src 'self' https://cdn.example.net https://js.example.org; img-src 'self' data:", s.ProposedPolicy);
        Assert.Equal(12, s.ReportsConsidered);
    }

    [Fact]
    public void Falling_back_to_default_src_creates_the_specific_directive_from_its_sources()
    {
        const string policy = "default-src 'self' https://static.example.com; object-src 'none'";
        var s = Suggest(V("script-src-elem", "https://cdn.example.net", 1, policy), V("font-src", "https://fonts.example.org", 1, policy));

        Assert.All(s.Directives, d => Assert.True(d.CreatesDirective));
        Assert.Equal(["script-src", "font-src"], s.Directives.Select(d => d.Directive));
        Assert.Equal(
            "default-src 'self' https://static.example.com; object-src 'none'; script-src 'self' https://static.example.com https://cdn.example.net; " +
            "font-src 'self' https://static.example.com https://fonts.example.org",
            s.ProposedPolicy);
    }

    [Fact]
    public void Worker_src_falls_back_through_child_src_and_script_src()
    {
        var s = Suggest(V("worker-src", "blob", 1, "default-src 'self'; script-src 'self'"));
        Assert.Equal("script-src", Assert.Single(s.Directives).Directive);
        Assert.Equal(["blob:"], s.Directives[0].Add);
    }

    [Fact]
    public void Fenced_frame_src_falls_back_through_frame_src()
    {
        var s = Suggest(V("fenced-frame-src", "https://ads.example.net", 1, "default-src 'self'; frame-src https://video.example.com"));
        var d = Assert.Single(s.Directives);
        Assert.Equal("frame-src", d.Directive);
        Assert.False(d.CreatesDirective);
    }

    [Fact]
    public void Complete_inline_samples_become_hashes()
    {
        var samples = new[]
        {
            new ViolationSample("inl", "alert(1)", 3, T0, T0),
            new ViolationSample("inl", "console.log('hi')", 1, T0, T0),
        };
        var s = PolicySuggester.Suggest([V("script-src-elem", "inline", 4, "script-src 'self'", fp: "inl")], samples);

        var d = Assert.Single(s.Directives);
        Assert.Equal(new[] { PolicySuggester.HashSource("alert(1)"), PolicySuggester.HashSource("console.log('hi')") }.Order(StringComparer.Ordinal), d.Add);
        Assert.DoesNotContain("'unsafe-inline'", d.Add);
        Assert.Empty(d.Notes);
    }

    [Fact]
    public void Hash_source_matches_the_csp_hash_of_the_code()
    {
        // SHA-256 of "alert(1)" in base64, as `openssl dgst -sha256 -binary | base64` gives it.
        Assert.Equal("'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='", PolicySuggester.HashSource("alert(1)"));
    }

    [Fact]
    public void A_cut_or_missing_sample_falls_back_to_unsafe_inline_with_a_warning()
    {
        var cut = new string('x', PolicySuggester.SampleLimit);
        var withCut = Suggest(V("script-src-elem", "inline", 1, "script-src 'self'", sample: cut));
        Assert.Contains("'unsafe-inline'", withCut.Directives[0].Add);
        Assert.Contains(withCut.Directives[0].Notes, n => n.Contains("cut sample", StringComparison.Ordinal));

        var none = Suggest(V("style-src-elem", "inline", 1, "style-src 'self'"));
        Assert.Equal(["'unsafe-inline'"], none.Directives[0].Add);
        Assert.Contains(none.Directives[0].Notes, n => n.Contains("report-sample", StringComparison.Ordinal));
    }

    [Fact]
    public void Event_handler_hashes_need_unsafe_hashes()
    {
        var s = Suggest(V("script-src-attr", "inline", 1, "script-src 'self'", sample: "doThing()"));
        Assert.Equal(["'sha256-" + PolicySuggester.HashSource("doThing()")[8..], "'unsafe-hashes'"], s.Directives[0].Add.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Eval_and_wasm_map_to_their_keywords()
    {
        var s = Suggest(V("script-src", "eval", 1, "script-src 'self'"), V("script-src", "wasm-eval", 1, "script-src 'self'"));
        Assert.Equal(["'unsafe-eval'", "'wasm-unsafe-eval'"], s.Directives[0].Add);
        Assert.NotEmpty(s.Directives[0].Notes);
    }

    [Fact]
    public void Noise_and_other_report_types_are_ignored()
    {
        var s = Suggest(
            V("script-src-elem", "chrome-extension://abc", 10),
            V("script-src-elem", "inline", 10, source: "x", fp: "ext") with { SourceFile = "moz-extension://1/x.js" },
            V("coep:corp", "https://img.example.org", 5, type: ReportTypes.Coep));
        Assert.Empty(s.Directives);
        Assert.Equal(0, s.ReportsConsidered);
        Assert.Null(s.ProposedPolicy);
    }

    [Fact]
    public void Without_a_known_policy_sources_go_to_the_usual_directive_name()
    {
        var s = Suggest(V("script-src-elem", "https://cdn.example.net"), V("frame-ancestors", "https://partner.example"));
        Assert.Equal(["script-src", "frame-ancestors"], s.Directives.Select(d => d.Directive));
        Assert.Null(s.BasePolicy);
        Assert.Null(s.ProposedPolicy);
    }

    [Fact]
    public void None_is_replaced_and_existing_sources_are_not_repeated()
    {
        const string policy = "default-src 'none'; img-src https://img.example.org/; frame-ancestors 'none'";
        var s = Suggest(V("img-src", "https://img.example.org", 1, policy), V("img-src", "https://cdn.example.net", 1, policy),
            V("frame-ancestors", "https://partner.example", 1, policy));
        Assert.Equal(["https://cdn.example.net"], s.Directives[0].Add);
        Assert.Equal("default-src 'none'; img-src https://img.example.org/ https://cdn.example.net; frame-ancestors https://partner.example", s.ProposedPolicy);
    }

    [Fact]
    public void Only_the_first_of_several_policies_is_the_base()
    {
        var s = Suggest(V("img-src", "https://cdn.example.net", 1, "default-src 'self'; img-src 'self', img-src *"));
        Assert.Equal("default-src 'self'; img-src 'self' https://cdn.example.net", s.ProposedPolicy);
    }

    [Fact]
    public void A_directive_that_browsers_skip_is_not_the_one_in_force()
    {
        // Browsers skip a directive with non-ASCII characters (CSP3 §2.2.1): img-src falls back to default-src here.
        var s = Suggest(V("img-src", "https://cdn.example.net", 1, "default-src 'self'; img-src https://b\u00fccher.example"));
        Assert.True(Assert.Single(s.Directives).CreatesDirective);
        Assert.Equal("default-src 'self'; img-src 'self' https://cdn.example.net", s.ProposedPolicy);
    }

    [Fact]
    public void The_newest_policy_is_the_base_and_strict_dynamic_is_flagged()
    {
        var s = Suggest(
            V("script-src-elem", "https://a.example", 1, "script-src 'self'", last: T0),
            V("script-src-elem", "https://b.example", 1, "script-src 'nonce-abc' 'strict-dynamic'", last: T0.AddHours(1)));
        Assert.Equal("script-src 'nonce-abc' 'strict-dynamic'", s.BasePolicy);
        Assert.Contains(s.Directives[0].Notes, n => n.Contains("strict-dynamic", StringComparison.Ordinal));
    }

    [Fact]
    public void Trusted_types_violations_give_a_note_not_a_source()
    {
        var d = Assert.Single(Suggest(V("require-trusted-types-for", "trusted-types-sink", 2, "require-trusted-types-for 'script'")).Directives);
        Assert.Empty(d.Add);
        Assert.NotEmpty(d.Notes);
    }
}
