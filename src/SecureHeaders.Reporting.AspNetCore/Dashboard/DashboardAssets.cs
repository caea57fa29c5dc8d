using System.Security.Cryptography;
using Microsoft.AspNetCore.Http;

namespace SecureHeaders.Reporting.AspNetCore.Dashboard;

/// <summary>The dashboard's stylesheet and script, embedded in the assembly and served from memory with an ETag.</summary>
internal sealed class DashboardAssets
{
    public const string Css = "dashboard.css";
    public const string Js = "dashboard.js";

    private readonly Dictionary<string, Asset> _assets = new(StringComparer.Ordinal);

    public DashboardAssets()
    {
        Load(Css, "text/css; charset=utf-8");
        Load(Js, "text/javascript; charset=utf-8");
    }

    /// <summary>The version token appended to asset URLs so a new build is never served from an old cache.</summary>
    public string Version(string name) => _assets[name].ETag[1..9];

    public async Task Serve(HttpContext context)
    {
        var name = context.Request.RouteValues["file"] as string;
        if (name is null || !_assets.TryGetValue(name, out var asset))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var headers = context.Response.Headers;
        headers.ETag = asset.ETag;
        headers.CacheControl = "public, max-age=86400";
        headers.XContentTypeOptions = "nosniff";
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        context.Response.ContentType = asset.ContentType;
        context.Response.ContentLength = asset.Bytes.Length;
        await context.Response.Body.WriteAsync(asset.Bytes, context.RequestAborted).ConfigureAwait(false);
    }

    private void Load(string name, string contentType)
    {
        var resource = "SecureHeaders.Reporting.Dashboard." + name;
        using var stream = typeof(DashboardAssets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"Embedded resource {resource} is missing from the build.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var bytes = copy.ToArray();
        var etag = "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 8)) + "\"";
        _assets[name] = new Asset(bytes, contentType, etag);
    }

    private sealed record Asset(byte[] Bytes, string ContentType, string ETag);
}
