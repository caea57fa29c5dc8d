using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using Microsoft.AspNetCore.Http;

namespace SecureHeaders.AspNetCore.Components;

/// <summary>
/// Base of the Blazor components that render an element carrying the response's CSP nonce. In server-side
/// rendering the nonce comes from the cascading <see cref="HttpContext"/>; in interactive rendering there is no
/// response to take it from, so the element is rendered without one (a nonce only matters for markup the server
/// sends, which the browser checks against that response's policy).
/// </summary>
public abstract class NonceElement : ComponentBase
{
    /// <summary>The current request, cascaded by Blazor during static server rendering.</summary>
    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    /// <summary>The element's content.</summary>
    [Parameter]
    public RenderFragment? ChildContent { get; set; }

    /// <summary>Other attributes (<c>src</c>, <c>type</c>, <c>rel</c>, <c>href</c>…), written as given.</summary>
    [Parameter(CaptureUnmatchedValues = true)]
    public IReadOnlyDictionary<string, object>? AdditionalAttributes { get; set; }

    /// <summary>The element name.</summary>
    protected abstract string ElementName { get; }

    /// <inheritdoc />
    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.OpenElement(0, ElementName);
        builder.AddMultipleAttributes(1, AdditionalAttributes);
        if (HttpContext is { } context)
        {
            builder.AddAttribute(2, "nonce", context.GetCspNonce());
        }

        builder.AddContent(3, ChildContent);
        builder.CloseElement();
    }
}

/// <summary>
/// <c>&lt;NonceScript&gt;…&lt;/NonceScript&gt;</c>: a <c>&lt;script&gt;</c> with the response's CSP nonce, for Blazor
/// server-rendered components (the <c>csp-nonce</c> tag helper does the same in MVC and Razor Pages).
/// </summary>
public sealed class NonceScript : NonceElement
{
    /// <inheritdoc />
    protected override string ElementName => "script";
}

/// <summary><c>&lt;NonceStyle&gt;…&lt;/NonceStyle&gt;</c>: a <c>&lt;style&gt;</c> with the response's CSP nonce.</summary>
public sealed class NonceStyle : NonceElement
{
    /// <inheritdoc />
    protected override string ElementName => "style";
}
