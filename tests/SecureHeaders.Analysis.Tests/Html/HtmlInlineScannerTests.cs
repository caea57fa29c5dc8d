using SecureHeaders.Csp;
using SecureHeaders.Analysis.Html;

namespace SecureHeaders.Analysis.Tests.Html;

public class HtmlInlineScannerTests
{
    [Fact]
    public void Finds_inline_scripts_and_styles_with_their_lines_and_exact_text()
    {
        const string html = "<!doctype html>\n<html><head>\n<script>\n  var a = 1 < 2 && '</b>';\n</script>\n<style media=\"screen\">body { color: red }</style>\n</head></html>";

        var result = HtmlInlineScanner.Scan(html);

        Assert.Equal(2, result.Inline.Length);
        var script = result.Inline[0];
        Assert.Equal(HtmlInlineKind.Script, script.Kind);
        Assert.Equal(3, script.Line);
        Assert.Equal("\n  var a = 1 < 2 && '</b>';\n", script.Content);
        Assert.Equal(CspSource.HashOf("\n  var a = 1 < 2 && '</b>';\n"), script.Hash());
        Assert.Equal(HtmlInlineKind.Style, result.Inline[1].Kind);
        Assert.Equal("body { color: red }", result.Inline[1].Content);
        Assert.Equal("style-src", result.Inline[1].Directive);
    }

    [Fact]
    public void Crlf_files_hash_like_the_browser_after_newline_normalisation()
    {
        var crlf = HtmlInlineScanner.Scan("<script>\r\nrun();\r\n</script>").Inline.Single();
        var lf = HtmlInlineScanner.Scan("<script>\nrun();\n</script>").Inline.Single();

        Assert.Equal("\r\nrun();\r\n", crlf.Content);
        Assert.Equal(lf.Hash(), crlf.Hash());
        Assert.Equal(CspHashes.ComputeExact("\nrun();\n"), crlf.Hash());
    }

    [Theory]
    [InlineData("<script type=\"module\">import x from '/x.js';</script>", true)]
    [InlineData("<script type=\"importmap\">{\"imports\":{}}</script>", true)]
    [InlineData("<script type=\"speculationrules\">{}</script>", true)]
    [InlineData("<script type=\"text/javascript; charset=utf-8\">a()</script>", true)]
    [InlineData("<script language=\"javascript\">a()</script>", true)]
    [InlineData("<script type=\"text/template\"><b>{{x}}</b></script>", false)]
    [InlineData("<script type=\"application/ld+json\">{}</script>", false)]
    [InlineData("<script type=\"application/json\">{}</script>", false)]
    [InlineData("<script src=\"/a.js\">ignored()</script>", false)]
    [InlineData("<!-- <script>commented()</script> -->", false)]
    [InlineData("<textarea><script>text()</script></textarea>", false)]
    [InlineData("<noscript><script>never()</script></noscript>", false)]
    public void Only_scripts_that_browsers_execute_are_hashed(string html, bool found)
    {
        Assert.Equal(found, HtmlInlineScanner.Scan(html).Inline.Any(static i => i.Kind == HtmlInlineKind.Script));
    }

    [Fact]
    public void Event_handlers_and_style_attributes_are_decoded()
    {
        var result = HtmlInlineScanner.Scan("<button\n onclick=\"if (a &amp;&amp; b) go(&quot;x&quot;)\" style='color:red' ONMOUSEOVER=hover() data-x=\"1\">x</button>");

        var click = result.Inline.Single(static i => i.AttributeName == "onclick");
        Assert.Equal("if (a && b) go(\"x\")", click.Content);
        Assert.Equal(2, click.Line);
        Assert.True(click.NeedsUnsafeHashes);
        Assert.Equal("color:red", result.Inline.Single(static i => i.Kind == HtmlInlineKind.StyleAttribute).Content);
        Assert.Equal("hover()", result.Inline.Single(static i => i.AttributeName == "onmouseover").Content);
        Assert.Equal(3, result.Inline.Length);
    }

    [Fact]
    public void External_resources_meta_policies_and_javascript_urls()
    {
        const string html = """
            <meta http-equiv="Content-Security-Policy" content="default-src &#39;self&#39;">
            <meta name="referrer" content="no-referrer">
            <script src="https://cdn.example.com/a.js" integrity="sha384-abc" crossorigin="anonymous"></script>
            <script src=/local.js nonce=abc></script>
            <link rel="preload stylesheet" href="/site.css" crossorigin>
            <a href=" JavaScript:alert(1)">x</a>
            """;

        var result = HtmlInlineScanner.Scan(html);

        Assert.Equal(new HtmlMetaPolicy(1, "content-security-policy", "default-src 'self'"), result.Meta[0]);
        Assert.Equal(new HtmlMetaPolicy(2, "referrer", "no-referrer"), result.Meta[1]);
        Assert.Equal(new HtmlExternalResource(HtmlExternalKind.Script, 3, "https://cdn.example.com/a.js", "sha384-abc", "anonymous", false), result.External[0]);
        Assert.Equal(new HtmlExternalResource(HtmlExternalKind.Script, 4, "/local.js", null, null, true), result.External[1]);
        Assert.Equal(new HtmlExternalResource(HtmlExternalKind.Stylesheet, 5, "/site.css", null, string.Empty, false), result.External[2]);
        Assert.Equal(HtmlInlineKind.JavaScriptUrl, Assert.Single(result.Inline).Kind);
    }

    [Fact]
    public void A_served_page_is_read_with_scripting_disabled_and_without_template_contents()
    {
        const string html = """
            <noscript><script src="https://a.example/n.js"></script><meta name="referrer" content="no-referrer"></noscript>
            <template><template></template><script src="https://b.example/t.js"></script><meta name="referrer" content="unsafe-url"></template>
            <script type="application/json">{}</script><script>run()</script>
            """;

        var served = HtmlInlineScanner.ScanServedPage(html);
        var file = HtmlInlineScanner.Scan(html);

        // As jsdom builds it (checked): the noscript script and meta exist, the template's do not, and every script counts.
        Assert.Equal("https://a.example/n.js", Assert.Single(served.External).Url);
        Assert.Equal("no-referrer", Assert.Single(served.Meta).Content);
        Assert.Equal(3, served.ScriptElements);

        // Read as a file a browser runs: noscript is raw text, template contents may be stamped out and run.
        Assert.Equal("https://b.example/t.js", Assert.Single(file.External).Url);
        Assert.Equal("unsafe-url", Assert.Single(file.Meta).Content);
    }

    [Fact]
    public void In_a_served_page_svg_scripts_have_no_src_and_plaintext_ends_the_markup()
    {
        const string html = "<svg><script src=\"https://a.example/svg.js\"/><style><script src=\"https://b.example/in-svg.js\"></script></style></svg>"
            + "<script src=\"https://c.example/c.js\"></script><plaintext><script src=\"https://d.example/d.js\"></script>";

        var served = HtmlInlineScanner.ScanServedPage(html);

        Assert.Equal("https://c.example/c.js", Assert.Single(served.External).Url);
        Assert.Equal(3, served.ScriptElements);

        // A file scan is unchanged: it lists the svg script's src and reads on after plaintext.
        Assert.Equal(["https://a.example/svg.js", "https://c.example/c.js", "https://d.example/d.js"], HtmlInlineScanner.Scan(html).External.Select(static e => e.Url));
    }

    [Fact]
    public void A_referrer_name_beside_http_equiv_is_marked_and_meta_attributes_are_decoded()
    {
        var result = HtmlInlineScanner.Scan("<meta http-equiv=\"refresh\" name=\"referrer\" content=\"origin\"><meta name=\"&#82;eferrer\" content=\"no-referrer\">");

        Assert.Equal(2, result.Meta.Length);
        Assert.True(result.Meta[0].ReferrerBesideHttpEquiv);
        Assert.False(result.Meta[1].ReferrerBesideHttpEquiv);
        Assert.Equal("no-referrer", result.Meta[1].Content);
    }

    [Fact]
    public void Razor_expressions_make_content_dynamic_and_double_at_is_unescaped()
    {
        const string razor = """
            @{ var markup = "<script>notmarkup()</script>"; if (a < b) { } }
            @* <script>commented()</script> *@
            <script>var name = "@Model.Name";</script>
            <script>var mail = "team@example.com"; var handle = "@@me";</script>
            <script asp-add-nonce>nonced()</script>
            <button onclick="@(() => Save("x"))" class="@(a ? "b" : "c")">x</button>
            <button @onclick="Save">blazor</button>
            @if (count < 3) { <script>static()</script> }
            @code { string s = "<script>x</script>"; }
            """;

        var result = HtmlInlineScanner.Scan(razor, HtmlDocumentKind.Razor);

        var scripts = result.Inline.Where(static i => i.Kind == HtmlInlineKind.Script).ToList();
        Assert.Equal(4, scripts.Count);
        Assert.True(scripts[0].IsDynamic);
        Assert.Equal(3, scripts[0].Line);
        Assert.False(scripts[1].IsDynamic);
        Assert.Equal("var mail = \"team@example.com\"; var handle = \"@me\";", scripts[1].Content);
        Assert.True(scripts[2].HasNonce);
        Assert.Equal("static()", scripts[3].Content);
        var handler = Assert.Single(result.Inline, static i => i.Kind == HtmlInlineKind.EventHandler);
        Assert.True(handler.IsDynamic);
    }

    [Fact]
    public void Self_closing_script_closes_only_in_razor()
    {
        const string text = "<script src=\"/a.js\" /><script>inline()</script>";

        Assert.Single(HtmlInlineScanner.Scan(text, HtmlDocumentKind.Razor).Inline);
        Assert.Empty(HtmlInlineScanner.Scan(text).Inline); // HTML: the first script swallows the rest until </script>
    }

    [Theory]
    [InlineData("<script>unterminated(")]
    [InlineData("<scr")]
    [InlineData("<!--")]
    [InlineData("<a href='x")]
    [InlineData("<p onclick=>")]
    [InlineData("@{ unbalanced")]
    public void Truncated_input_does_not_throw(string text)
    {
        _ = HtmlInlineScanner.Scan(text);
        _ = HtmlInlineScanner.Scan(text, HtmlDocumentKind.Razor);
    }

    [Theory]
    [InlineData("Views/Home/Index.cshtml", HtmlDocumentKind.Razor)]
    [InlineData("Components/App.razor", HtmlDocumentKind.Razor)]
    [InlineData("wwwroot/index.html", HtmlDocumentKind.Html)]
    public void Kind_follows_the_extension(string path, HtmlDocumentKind kind) => Assert.Equal(kind, HtmlInlineScanner.KindOf(path));
}
