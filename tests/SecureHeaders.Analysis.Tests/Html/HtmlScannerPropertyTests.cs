using CsCheck;
using SecureHeaders.Analysis.Html;

namespace SecureHeaders.Analysis.Tests.Html;

/// <summary>Hostile input meets the HTML scanner: random text and bytes never throw.</summary>
public class HtmlScannerPropertyTests
{
    /// <summary>Text made of the characters that matter to HTML and CSP, so that random input hits the interesting paths.</summary>
    private static readonly Gen<string> s_htmlish = Gen.String[Gen.Char["<>/='\"&#;!-? \t\r\nabcdefhilnoprstuvxy0123456789\u00a0\0"], 0, 160];

    [Fact]
    public void Random_text_never_throws()
    {
        Gen.OneOf(s_htmlish, Gen.String).Sample(text =>
        {
            _ = HtmlInlineScanner.Scan(text);
            _ = HtmlInlineScanner.Scan(text, HtmlDocumentKind.Razor);
        }, iter: 1500);
    }

    [Fact]
    public void Random_bytes_inside_scripts_and_handlers_never_throw()
    {
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            var text = System.Text.Encoding.UTF8.GetString(bytes);
            _ = HtmlInlineScanner.Scan("<script>" + text + "</script><p onclick=\"" + text + "\">", HtmlDocumentKind.Razor);
        }, iter: 2000);
    }
}
