using CsCheck;
using SecureHeaders.Csp;
using SecureHeaders.Csp.Evaluation;

namespace SecureHeaders.Tests.Csp;

/// <summary>Property tests where the parser meets the serializer, and hostile input meets everything that reads text.</summary>
public class CspPropertyTests
{
    private static readonly Gen<string> s_label = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyz0123456789-"], 1, 8].Where(static s => s[0] != '-' && s[^1] != '-');

    private static readonly Gen<string> s_host =
        from wildcard in Gen.Bool
        from labels in s_label.Array[1, 3]
        from scheme in Gen.OneOf("", "https://", "http://", "wss://")
        from port in Gen.OneOf("", ":443", ":*", ":8080")
        from path in Gen.OneOf("", "/", "/js/", "/a.js", "/x/y%20z")
        select scheme + (wildcard ? "*." : string.Empty) + string.Join('.', labels) + port + path;

    private static readonly Gen<string> s_base64 = Gen.String[Gen.Char["ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_"], 1, 30];

    private static readonly Gen<string> s_source = Gen.OneOf(
        Gen.OneOf("'self'", "'unsafe-inline'", "'unsafe-eval'", "'strict-dynamic'", "'unsafe-hashes'", "'report-sample'", "'wasm-unsafe-eval'", "'none'", "'nonce'", "*", "https:", "data:", "blob:"),
        s_host,
        s_base64.Select(static v => "'nonce-" + v + "'"),
        Gen.String.Select(static content => CspSource.HashOf(content).Text),
        Gen.String.Select(static content => CspSource.HashOf(content, CspHashAlgorithm.Sha512).Text));

    private static readonly Gen<CspDirective> s_directive = Gen.OneOf(
        from name in Gen.OneOf("default-src", "script-src", "style-src", "img-src", "connect-src", "object-src", "base-uri", "form-action", "frame-ancestors", "worker-src", "script-src-elem", "Unknown-Directive")
        from values in s_source.Array[0, 6]
        select new CspDirective(name, values),
        Gen.OneOf(
            new CspDirective("upgrade-insecure-requests"),
            new CspDirective("sandbox", "allow-scripts", "allow-forms"),
            new CspDirective("report-uri", "https://r.example.com/csp", "/csp"),
            new CspDirective("report-to", "csp-endpoint"),
            new CspDirective("require-trusted-types-for", "'script'"),
            new CspDirective("trusted-types", "default", "'allow-duplicates'")));

    private static readonly Gen<CspPolicy> s_policy = s_directive.Array[1, 8].Select(static d => CspPolicy.Create(d));

    /// <summary>Text made of the characters that matter to the grammar, so that random input hits the interesting paths.</summary>
    private static readonly Gen<string> s_cspish = Gen.String[Gen.Char["'\";,: \t\r\n\f\v-*/=.@<>&#abcdefhnoprstuvxy0123456789ä\u00a0\u2028\0"], 0, 120];

    [Fact]
    public void Parse_of_serialize_is_the_same_policy()
    {
        s_policy.Sample(policy =>
        {
            var parsed = CspParser.Parse(policy.ToString(), CspParseMode.Configuration).Policy;
            Assert.Equal(policy, parsed);
            Assert.Equal(policy.ToString(), parsed.ToString());
        }, iter: 2000);
    }

    [Fact]
    public void Compiling_a_policy_keeps_it()
    {
        s_policy.Sample(policy => Assert.Equal(policy, CspPolicyCompiler.Compile(policy).Policy), iter: 500);
    }

    [Fact]
    public void Random_text_never_throws_anywhere()
    {
        Gen.OneOf(s_cspish, Gen.String).Sample(text =>
        {
            _ = CspParser.Parse(text);
            _ = CspParser.Parse(text, CspParseMode.Configuration);
            _ = CspParser.ParseHeader(text);
            _ = CspParser.ValidateDirective(text, [text, text]);
            _ = CspPolicyCompiler.Compile(text);
            _ = CspPolicyCompiler.Compile(new Dictionary<string, string> { [text] = text, ["script-src"] = text });
            _ = CspEvaluator.Evaluate(text, new CspEvaluationOptions { Checks = CspCheckSets.All, ReportOnly = true, XFrameOptions = text });
            _ = CspEvaluator.Evaluate(text, new CspEvaluationOptions { ConfiguredPolicy = true, CspVersion = 1 });
            _ = CspSource.Parse(text);
        }, iter: 1500);
    }

    [Fact]
    public void Random_bytes_never_throw()
    {
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            var result = CspParser.Parse(text);
            Assert.NotNull(result.Policy);
            _ = CspEvaluator.Evaluate(result.Policy, new CspEvaluationOptions { Checks = CspCheckSets.All });
        }, iter: 2000);
    }

    [Fact]
    public void Evaluating_generated_policies_never_throws_and_names_are_kebab_case()
    {
        s_policy.Sample(policy =>
        {
            foreach (var finding in CspEvaluator.Evaluate(policy, new CspEvaluationOptions { Checks = CspCheckSets.All }))
            {
                Assert.Matches("^[a-z]+(-[a-z]+)*$", finding.Check);
            }
        }, iter: 1000);
    }

    [Fact]
    public void Merge_never_loses_an_allowed_source()
    {
        Gen.Select(s_policy, s_policy).Sample((a, b) =>
        {
            var merged = a.Merge(b);
            foreach (var directive in b.Directives.Where(static d => (d.Info?.HasSourceList ?? true) && !d.AllowsNothing))
            {
                var result = merged.Find(directive.Name)!;
                Assert.All(directive.Values.Where(static v => v.Kind != CspSourceKind.None), v => Assert.Contains(v, result.Values));
            }
        }, iter: 1000);
    }
}
