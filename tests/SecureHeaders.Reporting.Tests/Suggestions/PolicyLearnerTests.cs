using SecureHeaders.Csp;
using SecureHeaders.Csp.Evaluation;
using SecureHeaders.Reporting.Suggestions;
using static SecureHeaders.Reporting.Tests.Suggestions.LearningScenario;

namespace SecureHeaders.Reporting.Tests.Suggestions;

/// <summary>Each evidence rule, with the attacks of the issue and with legitimate third-party use.</summary>
public class PolicyLearnerTests
{
    private static LearnedSource Added(LearnedPolicy p, string directive, string source) =>
        Assert.Single(p.Added, a => a.Directive == directive && a.Source == source);

    private static LearnedSource Rejected(LearnedPolicy p, string directive, string source) =>
        Assert.Single(p.Rejected, r => r.Directive == directive && r.Source == source);

    private static CspDirective? Directive(LearnedPolicy p, string name) => CspPolicy.Parse(p.Csp).Find(name);

    [Fact]
    public void The_issues_scenario_allows_the_apps_third_parties_and_none_of_the_probes()
    {
        var p = new LearningScenario()
            // Legitimate: a script CDN on every page, fonts and a video embed on some, two browsers.
            .Add("script-src-elem", "https://cdn.example.net", SitePages, ["c1", "c2"])
            .Add("font-src", "https://fonts.example.org", ["/", "/products"], ["c1", "c2"])
            .Add("frame-src", "https://video.example.com", ["/about"], ["c1", "c2"])
            // Probes sent to the search page in the same window.
            .Add("script-src-elem", "inline", ["/search"], sample: "alert(document.domain)")
            .Add("script-src-attr", "inline", ["/search"], sample: "alert(1)")
            .Add("script-src-elem", "inline", ["/search"], sample: "javascript:alert(1)")
            .Add("form-action", "https://evil.example.test", ["/search"])
            .Add("object-src", "https://evil.example.test", ["/search"])
            .Add("base-uri", "https://evil.example.test", ["/search"])
            .Learn();

        Assert.Equal(["font-src https://fonts.example.org", "frame-src https://video.example.com", "script-src https://cdn.example.net"],
            p.Added.Select(a => a.Directive + " " + a.Source).Order(StringComparer.Ordinal));
        Assert.Equal(6, p.Rejected.Count);
        Assert.All(p.Rejected, r => Assert.True(r.IsIncident, r.Rule + ": " + r.Reason));

        var csp = CspPolicy.Parse(p.Csp);
        Assert.DoesNotContain("evil.example.test", p.Csp, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-inline'", p.Csp, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-hashes'", p.Csp, StringComparison.Ordinal);
        Assert.DoesNotContain(PolicyLearner.HashSource("alert(1)"), p.Csp, StringComparison.Ordinal);
        Assert.Equal("'none'", csp.Find("object-src")!.Values.Single().Text);
        Assert.Equal("'none'", csp.Find("base-uri")!.Values.Single().Text);
        Assert.Equal(["'self'"], csp.Find("form-action")!.Values.Select(v => v.Text));
        // font-src and frame-src did not exist: they start from default-src, so nothing else changes.
        Assert.Equal(["'self'", "https://fonts.example.org"], csp.Find("font-src")!.Values.Select(v => v.Text));
        Assert.Contains("'nonce'", csp.Find("script-src")!.Values.Select(v => v.Text));
        Assert.DoesNotContain("'nonce-", p.Csp, StringComparison.Ordinal);
    }

    [Fact]
    public void A_host_serving_the_apps_scripts_on_many_pages_is_allowed_with_its_evidence()
    {
        var p = new LearningScenario().Add("script-src-elem", "https://cdn.example.net", SitePages, ["c1", "c2", "c3"]).Learn();
        var a = Added(p, "script-src", "https://cdn.example.net");
        Assert.Equal((LearningRules.Allowed, LearningRules.Consistent, 5, 3), (a.Rule, a.Kind, a.Documents, a.Clients));
        Assert.Equal(15, a.Count);
        Assert.Equal(5, a.Pages.Count);
        Assert.Equal(["'self'", "'nonce'", "'report-sample'", "https://cdn.example.net"], Directive(p, "script-src")!.Values.Select(v => v.Text));
    }

    [Fact]
    public void Injected_inline_script_and_handler_are_rejected()
    {
        var p = new LearningScenario()
            .Add("script-src-elem", "inline", ["/search"], sample: "alert(1)")
            .Add("script-src-attr", "inline", ["/search"], sample: "window.injected=true")
            .Learn();
        var script = Rejected(p, "script-src", PolicyLearner.HashSource("alert(1)"));
        Assert.Equal(LearningRules.PayloadSample, script.Rule);
        Assert.Equal(["alert(1)"], script.Samples);
        var handler = Rejected(p, "script-src", PolicyLearner.HashSource("window.injected=true"));
        Assert.Equal(LearningRules.InlineNotInSource, handler.Rule);
        Assert.Contains("event handler", handler.Reason, StringComparison.Ordinal);
        Assert.Empty(p.Added);
        Assert.Equal(p.BasePolicy, p.Csp);
        Assert.Contains(p.Notes, n => n.Contains("nonce", StringComparison.Ordinal));
    }

    [Fact]
    public void Inline_code_of_the_app_is_allowed_by_its_manifest_hash_and_handlers_get_unsafe_hashes()
    {
        var scenario = new LearningScenario()
            .Add("script-src-elem", "inline", SitePages, sample: "initMenu()")
            .Add("script-src-attr", "inline", ["/cart"], sample: "checkout()");
        scenario.Hashes.Add(new AppInlineHash(PolicyLearner.HashSource("initMenu()"), AppInlineHash.Script));
        scenario.Hashes.Add(new AppInlineHash(PolicyLearner.HashSource("checkout()"), AppInlineHash.ScriptAttribute));
        var p = scenario.Learn();

        Assert.Equal(LearningRules.InlineInManifest, Added(p, "script-src", PolicyLearner.HashSource("initMenu()")).Rule);
        Assert.Equal(LearningRules.InlineInManifest, Added(p, "script-src", PolicyLearner.HashSource("checkout()")).Rule);
        Assert.Contains("'unsafe-hashes'", Directive(p, "script-src")!.Values.Select(v => v.Text));
    }

    [Fact]
    public void A_manifest_hash_of_another_kind_does_not_allow_an_event_handler()
    {
        var scenario = new LearningScenario().Add("script-src-attr", "inline", SitePages, sample: "initMenu()");
        scenario.Hashes.Add(new AppInlineHash(PolicyLearner.HashSource("initMenu()"), AppInlineHash.Script));
        Assert.Equal(LearningRules.InlineNotInSource, Rejected(scenario.Learn(), "script-src", PolicyLearner.HashSource("initMenu()")).Rule);
    }

    [Fact]
    public void Inline_code_without_a_usable_sample_is_never_allowed()
    {
        var p = new LearningScenario()
            .Add("script-src-elem", "inline", SitePages)
            .Add("style-src-elem", "inline", SitePages, sample: new string('x', PolicyLearner.SampleLimit))
            .Learn();
        Assert.All(p.Rejected, r => Assert.Equal((LearningRules.InlineNotInSource, "'unsafe-inline'"), (r.Rule, r.Source)));
        Assert.Equal(2, p.Rejected.Count);
        Assert.DoesNotContain("'unsafe-inline'", p.Csp, StringComparison.Ordinal);
    }

    [Fact]
    public void A_javascript_url_is_rejected()
    {
        var r = Assert.Single(new LearningScenario().Add("script-src-elem", "inline", SitePages, sample: "javascript:void(0)").Learn().Rejected);
        Assert.Equal((LearningRules.JavaScriptUrl, "'unsafe-inline'", true), (r.Rule, r.Source, r.IsIncident));
    }

    [Fact]
    public void None_directives_are_not_widened_even_from_many_pages()
    {
        var p = new LearningScenario()
            .Add("object-src", "https://plugins.example.net", SitePages, ["c1", "c2"])
            .Add("base-uri", Origin, SitePages, ["c1", "c2"])
            .Add("frame-ancestors", "https://partner.example", SitePages, ["c1", "c2"])
            .Learn();
        Assert.Equal(3, p.Rejected.Count);
        Assert.All(p.Rejected, r => Assert.Equal(LearningRules.NoneWidened, r.Rule));
        Assert.Equal(p.BasePolicy, p.Csp);
    }

    [Fact]
    public void Forms_and_base_urls_to_other_origins_need_several_pages()
    {
        const string Loose = "default-src 'self'; base-uri 'self'; form-action 'self'; object-src 'none'";
        var p = new LearningScenario(Loose)
            .Add("form-action", "https://evil.example.test", ["/search"])
            .Add("base-uri", "https://evil.example.test", ["/search"])
            .Add("form-action", "https://newsletter.example.net", ["/", "/products", "/about"], ["c1", "c2"])
            .Learn();
        Assert.Equal(LearningRules.NavigationFewPages, Rejected(p, "form-action", "https://evil.example.test").Rule);
        Assert.Equal(LearningRules.NavigationFewPages, Rejected(p, "base-uri", "https://evil.example.test").Rule);
        // A sign-up form in the footer of every page is the app's own.
        Added(p, "form-action", "https://newsletter.example.net");
    }

    [Fact]
    public void Eval_on_one_page_does_not_become_unsafe_eval_for_the_site_but_a_page_policy_may_have_it()
    {
        var site = new LearningScenario()
            .Add("script-src-elem", "https://cdn.example.net", SitePages)
            .Add("script-src", "eval", ["/scalar"])
            .Learn();
        var r = Rejected(site, "script-src", "'unsafe-eval'");
        Assert.Equal(LearningRules.EvalNotPolicyWide, r.Rule);
        Assert.Contains("1 page of the policy's 6", r.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("'unsafe-eval'", site.Csp, StringComparison.Ordinal);

        // The API explorer has an endpoint policy of its own: eval on its only page is what it needs.
        var scalar = new LearningScenario(StrictCandidate, "default@/scalar/{**path}").Add("script-src", "eval", ["/scalar"]).Learn();
        Assert.Equal(LearningRules.Allowed, Added(scalar, "script-src", "'unsafe-eval'").Rule);
    }

    [Fact]
    public void A_script_only_one_page_loads_is_rejected_but_a_passive_embed_on_one_page_is_allowed()
    {
        var p = new LearningScenario()
            .Add("img-src", "https://images.example.net", ["/products"])
            .Add("script-src-elem", "https://tracker.example.net", ["/search"])
            .Add("frame-src", "https://video.example.com", ["/about"])
            .Add("connect-src", "https://api.example.net", SitePages)
            .Learn();
        Assert.Equal(LearningRules.ScriptSinglePage, Rejected(p, "script-src", "https://tracker.example.net").Rule);
        Added(p, "frame-src", "https://video.example.com");
        Added(p, "img-src", "https://images.example.net");
    }

    [Fact]
    public void A_source_only_one_of_several_clients_reports_is_rejected()
    {
        var p = new LearningScenario()
            .Add("script-src-elem", "https://cdn.example.net", SitePages, ["c1", "c2", "c3", "c4"])
            .Add("img-src", "https://adware.example", SitePages, ["c3"])
            .Learn();
        Assert.Equal(4, p.Clients);
        Assert.Equal(LearningRules.SingleClient, Rejected(p, "img-src", "https://adware.example").Rule);
        Added(p, "script-src", "https://cdn.example.net");
    }

    [Fact]
    public void With_one_browser_learning_client_diversity_is_no_evidence_either_way()
    {
        var p = new LearningScenario().Add("img-src", "https://images.example.net", SitePages, ["c1"]).Learn();
        Added(p, "img-src", "https://images.example.net");
    }

    [Fact]
    public void Hosts_under_strict_dynamic_are_dropped_because_browsers_ignore_them()
    {
        const string Strict = "script-src 'nonce' 'strict-dynamic'; object-src 'none'; base-uri 'none'";
        var p = new LearningScenario(Strict).Add("script-src-elem", "https://cdn.example.net", SitePages, ["c1", "c2"]).Learn();
        var r = Rejected(p, "script-src", "https://cdn.example.net");
        Assert.Equal((LearningRules.IgnoredUnderStrictDynamic, LearningRules.Ineffective, false), (r.Rule, r.Kind, r.IsIncident));
        Assert.Equal(Strict, p.Csp);
        Assert.Contains(p.Notes, n => n.Contains("nonce", StringComparison.Ordinal));
    }

    [Fact]
    public void Data_urls_may_be_images_but_never_scripts()
    {
        var p = new LearningScenario()
            .Add("img-src", "data", SitePages)
            .Add("script-src-elem", "data", SitePages)
            .Learn();
        Added(p, "img-src", "data:");
        Assert.Equal(LearningRules.DataInScript, Rejected(p, "script-src", "data:").Rule);
    }

    [Fact]
    public void An_addition_that_gives_the_policy_a_high_evaluator_finding_is_not_made()
    {
        var p = new LearningScenario().Add("script-src-elem", "https://ajax.googleapis.com", SitePages, ["c1", "c2"]).Learn();
        var r = Rejected(p, "script-src", "https://ajax.googleapis.com");
        Assert.Equal((LearningRules.NewHighFinding, LearningRules.EvaluatorFinding), (r.Rule, r.Kind));
    }

    [Fact]
    public void The_proposal_never_has_a_high_finding_the_apps_policy_did_not_have()
    {
        var p = new LearningScenario()
            .Add("script-src-elem", "https://cdn.example.net", SitePages, ["c1", "c2"])
            .Add("script-src-elem", "https://ajax.googleapis.com", SitePages, ["c1", "c2"])
            .Add("img-src", "data", SitePages)
            .Add("connect-src", "https://api.example.net", SitePages)
            .Learn();
        static HashSet<string> High(string csp) => [.. CspEvaluator.Evaluate(csp, new CspEvaluationOptions { ConfiguredPolicy = true })
            .Where(f => f.Severity is CspFindingSeverity.High or CspFindingSeverity.Syntax).Select(f => f.Check + f.Directive + f.Value)];
        Assert.Subset(High(p.BasePolicy), High(p.Csp));
        Assert.Equal(3, p.Added.Count);
    }

    [Fact]
    public void A_literal_nonce_in_the_base_becomes_the_placeholder()
    {
        var p = new LearningScenario("script-src 'nonce-abcdefghijklmnopqrstuv' 'strict-dynamic'; object-src 'none'; base-uri 'none'").Learn();
        Assert.Equal("script-src 'nonce' 'strict-dynamic'; object-src 'none'; base-uri 'none'", p.Csp);
        Assert.NotEmpty(p.Notes);
    }

    [Fact]
    public void Violations_of_another_policy_or_disposition_never_widen_this_one()
    {
        var p = new LearningScenario()
            .Add("script-src", "eval", SitePages, policy: "scalar")
            .Add("img-src", "https://images.example.net", SitePages, disposition: "enforce")
            .Add("img-src", "https://unattributed.example", SitePages, policy: string.Empty)
            .Learn();
        Assert.Empty(p.Added);
        Assert.Empty(p.Rejected);
        Assert.Equal(0, p.ReportsConsidered);
    }

    [Fact]
    public void An_explicit_opt_in_brings_back_one_rejected_addition_and_says_who_decided()
    {
        var scenario = new LearningScenario()
            .Add("form-action", "https://pay.example.com", ["/checkout"])
            .Add("form-action", "https://evil.example.test", ["/search"]);
        scenario.OptIns.Add(new LearningOptIn("default", "form-action", "https://pay.example.com", "payment provider", "alice", T0));
        scenario.OptIns.Add(new LearningOptIn("other", "form-action", "https://evil.example.test", "wrong policy", "mallory", T0));
        var p = scenario.Learn();

        var a = Added(p, "form-action", "https://pay.example.com");
        Assert.Equal(LearningRules.OptedIn, a.Kind);
        Assert.Contains("alice", a.Reason, StringComparison.Ordinal);
        Assert.Contains("payment provider", a.Reason, StringComparison.Ordinal);
        Rejected(p, "form-action", "https://evil.example.test");
        Assert.Equal(["'self'", "https://pay.example.com"], Directive(p, "form-action")!.Values.Select(v => v.Text));
    }

    [Fact]
    public void Ignored_sources_stay_out_even_with_an_opt_in()
    {
        var scenario = new LearningScenario("script-src 'nonce' 'strict-dynamic'; object-src 'none'; base-uri 'none'")
            .Add("script-src-elem", "https://cdn.example.net", SitePages);
        scenario.OptIns.Add(new LearningOptIn("default", "script-src", "https://cdn.example.net", "cdn", "alice", T0));
        Assert.Empty(scenario.Learn().Added);
    }

    [Fact]
    public void Trusted_types_violations_ask_for_a_code_change()
    {
        var r = Assert.Single(new LearningScenario("require-trusted-types-for 'script'").Add("require-trusted-types-for", "trusted-types-sink", SitePages).Learn().Rejected);
        Assert.Equal((LearningRules.TrustedTypes, LearningRules.CodeChange), (r.Rule, r.Kind));
    }

    [Fact]
    public void Extension_noise_is_not_a_candidate()
    {
        var p = new LearningScenario().Add("script-src-elem", "chrome-extension://abcdef", SitePages).Learn();
        Assert.Empty(p.Added);
        Assert.Empty(p.Rejected);
    }

    [Fact]
    public void Sources_the_policy_already_allows_are_not_repeated()
    {
        var p = new LearningScenario("default-src 'self'; img-src 'self' https://img.example.org/")
            .Add("img-src", "https://img.example.org", SitePages).Add("img-src", Origin, SitePages).Learn();
        Assert.Empty(p.Added);
        Assert.Equal(p.BasePolicy, p.Csp);
    }

    [Fact]
    public void Hash_source_matches_the_csp_hash_of_the_code()
    {
        // SHA-256 of "alert(1)" in base64, as `openssl dgst -sha256 -binary | base64` gives it.
        Assert.Equal("'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='", PolicyLearner.HashSource("alert(1)"));
    }

    [Fact]
    public void Worker_src_falls_back_through_child_src_and_script_src()
    {
        var p = new LearningScenario("default-src 'self'; script-src 'self'").Add("worker-src", "blob", SitePages).Learn();
        Added(p, "script-src", "blob:");
    }

    [Fact]
    public void Injected_code_is_an_incident_even_where_the_policy_lists_unsafe_inline_that_the_nonce_switches_off()
    {
        // The showcase's strict policy keeps 'unsafe-inline' as a fallback for old browsers; with a nonce, browsers ignore it.
        var p = new LearningScenario("script-src 'self' 'nonce' 'strict-dynamic' 'unsafe-inline' https:; object-src 'none'; base-uri 'none'")
            .Add("script-src-attr", "inline", ["/Xss"])
            .Learn();
        var r = Rejected(p, "script-src", "'unsafe-inline'");
        Assert.Equal((LearningRules.InlineNotInSource, true), (r.Rule, r.IsIncident));
        Assert.Equal(p.BasePolicy, p.Csp);
    }
}
