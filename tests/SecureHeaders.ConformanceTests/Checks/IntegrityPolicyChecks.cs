using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SecureHeaders.ConformanceTests.Checks;

public sealed class IntegrityPolicyBlocksScript : ConformanceCheck
{
    private const string Source = "window.withIntegrityRan = true;";

    public override string Id => "integrity-policy-blocks-script";

    public override string Header => "Integrity-Policy";

    public override string? MdnFeature => "Integrity-Policy";

    public override string Description => "Where Integrity-Policy is sent (opt-in: blocked-destinations=(script)), a script without an integrity attribute is refused and one with a matching integrity attribute runs.";

    public override string? WhereNotEnforced => "Engines without Integrity-Policy run scripts without integrity metadata; integrity attributes on the scripts you do load are still checked (SRI), so keep them.";

    public override void Map(IEndpointRouteBuilder routes)
    {
        var integrity = "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Source)));
        routes.MapGet(Route("page"), (HttpContext c) => Page(c, $"""
            <script src="{Route("with.js")}" integrity="{integrity}" crossorigin="anonymous"></script>
            <script src="{Route("without.js")}"></script>
            <script src="{Route("finish.js")}" integrity="{IntegrityOf(Finish)}" crossorigin="anonymous"></script>
            """)).WithSecureHeaders(p => p.IntegrityPolicy.Enabled = true);
        routes.MapGet(Route("with.js"), () => Script(Source));
        routes.MapGet(Route("without.js"), () => Script("window.withoutIntegrityRan = true;"));
        routes.MapGet(Route("finish.js"), () => Script(Finish));
    }

    // Sets __result itself: /_probe.js carries no integrity metadata, so an enforcing engine refuses it.
    private const string Finish = "window.addEventListener('load', () => { window.__result = { with: window.withIntegrityRan === true, without: window.withoutIntegrityRan === true }; });";

    private static string IntegrityOf(string source) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(source)));

    public override async Task<CheckResult> RunAsync(CheckContext context)
    {
        await using var page = await context.OpenAsync(context.App(Route("page")));
        var r = await context.ResultAsync(page, Id);
        if (!r.Bool("with"))
        {
            throw new InvalidOperationException($"{context.Engine.Id}: {Id}: the script with a matching integrity attribute did not run, so the check proves nothing.");
        }

        return CheckResult.From(!r.Bool("without"), r.Bool("without")
            ? "the script without integrity metadata ran (the one with it ran too)"
            : "the script without integrity metadata was refused; the one with matching integrity ran");
    }
}
