using MudBlazor.Services;
using SecureHeaders.Policies;
using Showcase.Components;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddRazorPages();

// The Blazor part (/blazor): Server and WebAssembly interactivity, and MudBlazor on one page.
builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents()
    .AddInteractiveWebAssemblyComponents();
builder.Services.AddMudServices();

// The two lines: safe defaults, bound to the "SecureHeaders" section of appsettings.json (which turns on the
// strict nonce-based CSP for this site). Code adds the policies that only some endpoints use.
builder.Services.AddSecureHeaders(options =>
{
    // An embeddable widget: framing allowed for one partner, everything else as the default policy.
    options.AddPolicy("widget", policy => policy.AllowFramingBy("'self'", "https://partner.example.com"));

    // A logout page tells the browser to drop the signed-out user's cookies, storage and cached pages.
    options.AddPolicy("logout", policy => policy.ClearSiteData = ["cache", "cookies", "storage"]);

    // JSON APIs need no scripts, styles or framing at all.
    options.AddPolicy("api", policy => policy.ContentSecurityPolicy.Clear()
        .Set("default-src", "'none'")
        .Set("frame-ancestors", "'none'"));
});

// Violation reports: the collector's endpoint is wired into every policy's report-to/report-uri and
// Reporting-Endpoints; reports land in App_Data/secureheaders-reports.db and show on /_secureheaders/dashboard.
builder.Services.AddSecureHeadersReporting();

var app = builder.Build();
app.UseSecureHeaders();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error");
}

app.UseStaticFiles();
app.UseRouting();
app.UseAntiforgery();
app.MapStaticAssets();
app.MapRazorPages();

// Its policies come from appsettings.json: "blazor" for everything under /blazor (PathPolicies), and
// "blazor-mud" on the MudBlazor page (@attribute [SecureHeadersAttribute("blazor-mud")] on the component wins over the path).
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode()
    .AddInteractiveWebAssemblyRenderMode()
    .AddAdditionalAssemblies(typeof(Showcase.Client._Imports).Assembly);
app.MapSecureHeadersReporting();

var api = app.MapGroup("/api").WithSecureHeaders("api");
api.MapGet("/status", () => Results.Json(new { status = "ok", time = DateTimeOffset.UtcNow }));

// Sets a cookie the way application code usually does, to show that SecureHeaders hardens it.
app.MapGet("/cookie", (HttpContext context) =>
{
    context.Response.Cookies.Append("showcase-session", Guid.NewGuid().ToString("N"));
    return Results.Redirect("/");
});

app.Run();

/// <summary>Entry point, visible to the browser tests' WebApplicationFactory-style host.</summary>
public partial class Program;
