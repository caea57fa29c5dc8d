using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace SecureHeaders.AspNetCore.TagHelpers;

/// <summary>
/// Adds the response's CSP nonce to <c>&lt;script csp-nonce&gt;</c>, <c>&lt;style csp-nonce&gt;</c> and
/// <c>&lt;link csp-nonce&gt;</c> in MVC views and Razor Pages, so that an inline script runs under a policy with
/// <c>'nonce'</c> in <c>script-src</c>. Register with <c>@addTagHelper *, SecureHeaders.AspNetCore</c>.
/// Only markup written in the view gets a nonce; text injected into the page never passes through tag helpers.
/// </summary>
[HtmlTargetElement("script", Attributes = AttributeName)]
[HtmlTargetElement("style", Attributes = AttributeName)]
[HtmlTargetElement("link", Attributes = AttributeName)]
public sealed class CspNonceTagHelper : TagHelper
{
    private const string AttributeName = "csp-nonce";

    /// <summary>The view context, supplied by MVC.</summary>
    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = default!;

    /// <inheritdoc />
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Attributes.RemoveAll(AttributeName);
        output.Attributes.SetAttribute("nonce", ViewContext.HttpContext.GetCspNonce());
    }
}
