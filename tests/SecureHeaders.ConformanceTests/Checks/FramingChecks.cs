using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using SecureHeaders.Policies;

namespace SecureHeaders.ConformanceTests.Checks;

/// <summary>
/// A page on other.test frames two app.test pages: one with the protection under test, one (the control) that allows
/// other.test. Each framed page posts a message to its parent when its script runs. The framer waits for the control's
/// message and both load events, then watches a little longer for the protected page's message.
/// </summary>
public abstract class FramingCheck : ConformanceCheck
{
    protected abstract void Protect(SecureHeadersPolicy policy);

    public override void Map(IEndpointRouteBuilder routes)
    {
        // An external script: the framed pages keep the default policy, which allows no inline script.
        var framed = $"<script src=\"{Route("framed.js")}\"></script>";
        routes.MapGet(Route("framed.js"), () => Script("parent.postMessage(location.pathname, '*');"));
        routes.MapGet(Route("protected"), (HttpContext c) => Page(c, framed)).WithSecureHeaders(Protect);
        routes.MapGet(Route("control"), (HttpContext c) => Page(c, framed)).WithSecureHeaders(p => p.AllowFramingBy("https://other.test"));
        routes.MapGet(Route("framer"), (HttpContext c) => Page(c, $$"""
            <script>
              const seen = new Set(); let loads = 0;
              window.addEventListener('message', e => seen.add(String(e.data)));
              const finish = () => __done({ protected: seen.has('{{Route("protected")}}'), control: seen.has('{{Route("control")}}') });
              const loaded = () => { if (++loads === 2) waitControl(Date.now()); };
              const waitControl = start => (seen.has('{{Route("control")}}') || Date.now() - start > 5000) ? setTimeout(finish, 1000) : setTimeout(() => waitControl(start), 50);
            </script>
            <iframe src="https://app.test{{Route("protected")}}" onload="loaded()"></iframe>
            <iframe src="https://app.test{{Route("control")}}" onload="loaded()"></iframe>
            """)).DisableSecureHeaders();
    }

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        await using var page = await context.OpenAsync(context.Other(Route("framer")));
        var r = await context.ResultAsync(page, Id);
        if (!r.Bool("control"))
        {
            throw new InvalidOperationException($"{context.Engine.Id}: the control frame (framing allowed for other.test) did not load, so {Id} proves nothing.");
        }

        return CheckResult.From(!r.Bool("protected"), r.Bool("protected")
            ? "the cross-site parent framed the page: its script ran inside the frame"
            : "the page did not render in a cross-site frame (its script never ran), while the control page allowing the parent did");
    }
}

public sealed class FrameAncestorsBlocksFraming : FramingCheck
{
    public override string Id => "frame-ancestors-blocks-framing";

    public override string Header => "Content-Security-Policy";

    public override string? MdnFeature => "Content-Security-Policy/frame-ancestors";

    public override string Description => "The default CSP's frame-ancestors 'none' (X-Frame-Options removed) stops a cross-site page from framing the response.";

    protected override void Protect(SecureHeadersPolicy policy) => policy.XFrameOptions = null;
}

public sealed class XFrameOptionsBlocksFraming : FramingCheck
{
    public override string Id => "x-frame-options-blocks-framing";

    public override string Header => "X-Frame-Options";

    public override string Description => "The default X-Frame-Options: DENY alone (CSP without frame-ancestors) stops a cross-site page from framing the response.";

    protected override void Protect(SecureHeadersPolicy policy) => policy.ContentSecurityPolicy.Remove("frame-ancestors");
}
