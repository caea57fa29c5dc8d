using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SecureHeaders.AspNetCore.Components;

namespace SecureHeaders.AspNetCore.Tests;

/// <summary>Blazor server-rendered components put the response's nonce on their inline scripts and styles.</summary>
public class BlazorNonceTests
{
    private sealed class Page : ComponentBase
    {
        [Parameter]
        public HttpContext Context { get; set; } = default!;

        protected override void BuildRenderTree(Microsoft.AspNetCore.Components.Rendering.RenderTreeBuilder builder)
        {
            builder.OpenComponent<CascadingValue<HttpContext>>(0);
            builder.AddComponentParameter(1, "Value", Context);
            builder.AddComponentParameter(2, "ChildContent", (RenderFragment)(inner =>
            {
                inner.OpenComponent<NonceScript>(0);
                inner.AddComponentParameter(1, "ChildContent", (RenderFragment)(b => b.AddMarkupContent(0, "window.ok = true;")));
                inner.CloseComponent();
                inner.OpenComponent<NonceStyle>(2);
                inner.AddComponentParameter(3, "media", "screen");
                inner.AddComponentParameter(4, "ChildContent", (RenderFragment)(b => b.AddMarkupContent(0, "p{}")));
                inner.CloseComponent();
            }));
            builder.CloseComponent();
        }
    }

    [Fact]
    public async Task Components_render_the_response_nonce()
    {
        var services = new ServiceCollection().AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance).BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, NullLoggerFactory.Instance);
        var context = new DefaultHttpContext();

        var html = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<Page>(ParameterView.FromDictionary(new Dictionary<string, object?> { ["Context"] = context }));
            return output.ToHtmlString();
        });

        // The renderer encodes '+' in attributes as &#x2B;; the browser decodes it, so compare decoded markup.
        html = System.Net.WebUtility.HtmlDecode(html);
        var nonce = context.GetCspNonce();
        Assert.Equal($"<script nonce=\"{nonce}\">window.ok = true;</script><style media=\"screen\" nonce=\"{nonce}\">p{{}}</style>", html);
    }
}
