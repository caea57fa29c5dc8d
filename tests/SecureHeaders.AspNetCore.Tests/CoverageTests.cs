using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace SecureHeaders.AspNetCore.Tests;

/// <summary>Every kind of response gets the headers: errors, 404s, static files, HEAD, OPTIONS, cleared responses.</summary>
public class CoverageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static void AssertSecured(HttpResponseMessage response, bool https = true)
    {
        Assert.StartsWith("default-src 'none'; script-src 'self'", response.Header("Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Equal("DENY", response.Header("X-Frame-Options"));
        Assert.Equal("nosniff", response.Header("X-Content-Type-Options"));
        Assert.Equal(https ? "max-age=31536000; includeSubDomains" : null, response.Header("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Not_found_responses_are_covered()
    {
        await using var app = await TestApp.StartAsync();
        var response = await app.Https().GetAsync("/missing", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        AssertSecured(response);
    }

    [Fact]
    public async Task Exception_handler_pages_are_covered_although_the_handler_clears_the_response()
    {
        await using var app = await TestApp.StartAsync(map: app =>
        {
            app.UseExceptionHandler(error => error.Run(context => context.Response.WriteAsync("sorry")));
            app.MapGet("/boom", IResult () => throw new InvalidOperationException("boom"));
        });
        var response = await app.Https().GetAsync("/boom", Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("sorry", await response.Content.ReadAsStringAsync(Ct));
        AssertSecured(response);
    }

    [Fact]
    public async Task Responses_cleared_by_other_middleware_are_covered()
    {
        await using var app = await TestApp.StartAsync(map: app =>
        {
            app.Use(async (HttpContext context, RequestDelegate next) =>
            {
                context.Response.Headers["X-Temporary"] = "1";
                context.Response.Clear();
                context.Response.StatusCode = 418;
                await context.Response.WriteAsync("teapot");
            });
        });
        var response = await app.Https().GetAsync("/", Ct);

        Assert.Equal(418, (int)response.StatusCode);
        Assert.Null(response.Header("X-Temporary"));
        AssertSecured(response);
    }

    [Fact]
    public async Task Middleware_registered_before_UseSecureHeaders_is_covered()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Services.AddSecureHeaders();
        await using var app = builder.Build();
        app.Use((HttpContext context, RequestDelegate _) => context.Response.WriteAsync("short-circuited"));
        app.UseSecureHeaders();
        await app.StartAsync(Ct);

        var response = await app.Https().GetAsync("/", Ct);

        Assert.Equal("short-circuited", await response.Content.ReadAsStringAsync(Ct));
        AssertSecured(response);
    }

    [Fact]
    public async Task Static_files_are_covered()
    {
        var root = Directory.CreateTempSubdirectory("secureheaders-static").FullName;
        await File.WriteAllTextAsync(Path.Combine(root, "site.css"), "body{}", Ct);
        await using var app = await TestApp.StartAsync(map: app => app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(root) }));

        var response = await app.Https().GetAsync("/site.css", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/css", response.Content.Headers.ContentType!.MediaType);
        AssertSecured(response);
    }

    [Theory]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    public async Task Head_and_options_requests_are_covered(string method)
    {
        await using var app = await TestApp.StartAsync(map: app => app.MapMethods("/", ["GET", "HEAD", "OPTIONS"], () => Results.Ok()));
        var response = await app.Https().SendAsync(new HttpRequestMessage(new HttpMethod(method), "/"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertSecured(response);
    }

    [Fact]
    public async Task Leaking_headers_set_by_the_application_are_removed()
    {
        await using var app = await TestApp.StartAsync(map: app => app.MapGet("/", (HttpContext context) =>
        {
            context.Response.Headers["X-Powered-By"] = "ASP.NET";
            context.Response.Headers["X-AspNet-Version"] = "4.0.30319";
            context.Response.Headers["X-Kept"] = "yes";
            return "ok";
        }));
        var response = await app.Https().GetAsync("/", Ct);

        Assert.Null(response.Header("X-Powered-By"));
        Assert.Null(response.Header("X-AspNet-Version"));
        Assert.Equal("yes", response.Header("X-Kept"));
    }

    [Fact]
    public async Task Kestrel_unhandled_exception_500_and_404_carry_headers_and_no_server_header()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSecureHeaders(o => o.ForceHttps.Enabled = false);
        await using var app = builder.Build();
        app.UseSecureHeaders();
        app.MapGet("/boom", IResult () => throw new InvalidOperationException("boom"));
        await app.StartAsync(Ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        var boom = await client.GetAsync("/boom", Ct);
        var missing = await client.GetAsync("/missing", Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, boom.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        foreach (var response in new[] { boom, missing })
        {
            AssertSecured(response, https: false);
            Assert.Empty(response.Headers.Server);
        }
    }

    [Fact]
    public async Task Kestrel_keeps_its_server_header_when_RemoveServerHeader_is_off_in_configuration()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Configuration["SecureHeaders:RemoveServerHeader"] = "false";
        builder.Services.AddSecureHeaders(o => o.ForceHttps.Enabled = false);
        await using var app = builder.Build();
        app.UseSecureHeaders();
        app.MapGet("/", () => "ok");
        await app.StartAsync(Ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        var response = await client.GetAsync("/", Ct);

        Assert.Equal("Kestrel", Assert.Single(response.Headers.Server).Product?.Name);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_server_header_switch_works_whether_kestrel_or_the_options_come_first(bool kestrelFirst)
    {
        foreach (var remove in new[] { true, false })
        {
            var kestrel = new Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions();
            var header = new SecureHeaders.AspNetCore.Infrastructure.KestrelServerHeader();
            if (kestrelFirst)
            {
                header.Configure(kestrel);
                header.Decide(remove);
            }
            else
            {
                header.Decide(remove);
                header.Configure(kestrel);
            }

            Assert.Equal(!remove, kestrel.AddServerHeader);
        }
    }

    [Fact]
    public void The_assembly_names_asked_before_loading_framework_types_are_the_names_of_those_types_assemblies()
    {
        Assert.Equal(SecureHeaders.AspNetCore.Infrastructure.LoadedAssemblies.StaticAssets, typeof(Microsoft.AspNetCore.StaticAssets.StaticAssetDescriptor).Assembly.GetName().Name);
        Assert.Equal(SecureHeaders.AspNetCore.Infrastructure.LoadedAssemblies.ComponentEndpoints, typeof(Microsoft.AspNetCore.Components.ImportMapDefinition).Assembly.GetName().Name);
        Assert.Equal(SecureHeaders.AspNetCore.Infrastructure.LoadedAssemblies.MvcAbstractions, typeof(Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor).Assembly.GetName().Name);
        Assert.Equal(SecureHeaders.AspNetCore.Infrastructure.LoadedAssemblies.OutputCaching, typeof(Microsoft.AspNetCore.OutputCaching.IOutputCacheStore).Assembly.GetName().Name);
        Assert.True(SecureHeaders.AspNetCore.Infrastructure.LoadedAssemblies.Contains(LoadedAssembliesMvcName()));
        Assert.False(SecureHeaders.AspNetCore.Infrastructure.LoadedAssemblies.Contains("No.Such.Assembly"));
    }

    private static string LoadedAssembliesMvcName() => typeof(Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor).Assembly.GetName().Name!;
}
