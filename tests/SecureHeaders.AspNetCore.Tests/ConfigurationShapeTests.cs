using System.Text.RegularExpressions;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using SecureHeaders.AspNetCore.Infrastructure;
using SecureHeaders.Configuration;

namespace SecureHeaders.AspNetCore.Tests;

/// <summary>
/// Realistic appsettings.json mistakes, each in a fresh app that reads real JSON files from its content root (as
/// WebApplication does): every one stops startup naming the key as written, or is accepted and does exactly what it
/// says. Layered files (appsettings.json + appsettings.Production.json) combine as a user means them.
/// </summary>
public sealed class ConfigurationShapeTests
{
    public static TheoryData<string, string, string> Mistakes => new()
    {
        // name, appsettings.json "SecureHeaders" body, expected path of the problem
        { "directives as a string", """{ "ContentSecurityPolicy": { "Directives": "default-src 'self'" } }""", "SecureHeaders:ContentSecurityPolicy:Directives" },
        { "x-frame-options as an object", """{ "XFrameOptions": { "Value": "DENY" } }""", "SecureHeaders:XFrameOptions" },
        { "x-frame-options as a list", """{ "XFrameOptions": ["DENY"] }""", "SecureHeaders:XFrameOptions" },
        { "path wildcard", """{ "ContentSecurityPolicy": { "Directives": { "script-src": ["'self'", "https://cdn.example/*"] } } }""", "SecureHeaders:ContentSecurityPolicy:Directives:script-src" },
        { "path wildcard in folder", """{ "ContentSecurityPolicy": { "Directives": { "img-src": "https://cdn.example/img/*.png" } } }""", "SecureHeaders:ContentSecurityPolicy:Directives:img-src" },
        { "true for a source list", """{ "ContentSecurityPolicy": { "Directives": { "script-src": true } } }""", "SecureHeaders:ContentSecurityPolicy:Directives:script-src" },
        { "nested list of sources", """{ "ContentSecurityPolicy": { "Directives": { "script-src": [["'self'"]] } } }""", "SecureHeaders:ContentSecurityPolicy:Directives:script-src:0" },
        { "object of sources", """{ "ContentSecurityPolicy": { "Directives": { "default-src": { "self": true } } } }""", "SecureHeaders:ContentSecurityPolicy:Directives:default-src" },
        { "directives as a list", """{ "ContentSecurityPolicy": { "Directives": ["default-src 'self'"] } }""", "SecureHeaders:ContentSecurityPolicy:Directives" },
        { "enabled not a boolean", """{ "ContentSecurityPolicy": { "Enabled": "yes" } }""", "SecureHeaders:ContentSecurityPolicy:Enabled" },
        { "preset and presets", """{ "ContentSecurityPolicy": { "Preset": "Strict", "Presets": ["Basic"] } }""", "SecureHeaders:ContentSecurityPolicy:Preset" },
        { "policy and preset", """{ "ContentSecurityPolicy": { "Policy": "default-src 'self'", "Presets": ["Basic"] } }""", "SecureHeaders:ContentSecurityPolicy:Presets" },
        { "unknown preset in list", """{ "ContentSecurityPolicy": { "Presets": ["StrictWithBasic", "Blazor"] } }""", "SecureHeaders:ContentSecurityPolicy:Presets" },
        { "preset as a list of two", """{ "ContentSecurityPolicy": { "Preset": ["Strict", "Basic"] } }""", "SecureHeaders:ContentSecurityPolicy:Preset" },
        { "csp typo", """{ "ContentSecurityPolicy": { "Directive": { "script-src": "'self'" } } }""", "SecureHeaders:ContentSecurityPolicy:Directive" },
        { "report-only typo", """{ "ContentSecurityPolicyReportOnly": { "Presets": ["Strict"], "ReportOnly": true } }""", "SecureHeaders:ContentSecurityPolicyReportOnly:ReportOnly" },
        { "hsts number max-age", """{ "StrictTransportSecurity": { "MaxAge": 31536000 } }""", "SecureHeaders:StrictTransportSecurity:MaxAge" },
        { "hsts header string with error", """{ "StrictTransportSecurity": "max-age=abc" }""", "SecureHeaders:StrictTransportSecurity" },
        { "hsts preload without subdomains", """{ "StrictTransportSecurity": { "Preload": true, "IncludeSubDomains": false } }""", "SecureHeaders:StrictTransportSecurity:Preload" },
        { "hsts as a list", """{ "StrictTransportSecurity": ["max-age=31536000"] }""", "SecureHeaders:StrictTransportSecurity" },
        { "permissions features as a string", """{ "PermissionsPolicy": { "Features": "camera=()" } }""", "SecureHeaders:PermissionsPolicy:Features" },
        { "permissions header string with error", """{ "PermissionsPolicy": "camera=(" }""", "SecureHeaders:PermissionsPolicy" },
        { "permissions unknown feature", """{ "PermissionsPolicy": { "Features": { "camra": [] } } }""", "SecureHeaders:PermissionsPolicy:Features:camra" },
        { "remove headers as an object", """{ "RemoveHeaders": { "X-Powered-By": true } }""", "SecureHeaders:RemoveHeaders" },
        { "custom headers as a string", """{ "CustomHeaders": "X-A: b" }""", "SecureHeaders:CustomHeaders" },
        { "custom header as an object", """{ "CustomHeaders": { "X-A": { "Value": "b" } } }""", "SecureHeaders:CustomHeaders:X-A" },
        { "custom header managed", """{ "CustomHeaders": { "Strict-Transport-Security": "max-age=1" } }""", "SecureHeaders:CustomHeaders:Strict-Transport-Security" },
        { "force https string", """{ "ForceHttps": "off" }""", "SecureHeaders:ForceHttps" },
        { "force https port text", """{ "ForceHttps": { "HttpsPort": "443x" } }""", "SecureHeaders:ForceHttps:HttpsPort" },
        { "force https typo", """{ "ForceHttps": { "Enable": false } }""", "SecureHeaders:ForceHttps:Enable" },
        { "cookies string", """{ "Cookies": "strict" }""", "SecureHeaders:Cookies" },
        { "cookie override not a boolean", """{ "Cookies": { "Overrides": { "XSRF-TOKEN": { "HttpOnly": "no" } } } }""", "SecureHeaders:Cookies:Overrides:XSRF-TOKEN:HttpOnly" },
        { "cookie override as a string", """{ "Cookies": { "Overrides": { "XSRF-TOKEN": "HttpOnly=false" } } }""", "SecureHeaders:Cookies:Overrides:XSRF-TOKEN" },
        { "cookie same-site", """{ "Cookies": { "SameSite": "Lox" } }""", "SecureHeaders:Cookies:SameSite" },
        { "profile number", """{ "Profile": 1 }""", "SecureHeaders:Profile" },
        { "csp evaluation string", """{ "CspEvaluation": "on" }""", "SecureHeaders:CspEvaluation" },
        { "sample rate out of range", """{ "ViolationReporting": { "Url": "/r", "SampleRate": 2 } }""", "SecureHeaders:ViolationReporting:SampleRate" },
        { "policies entry as a string", """{ "Policies": { "api": "strict" } }""", "SecureHeaders:Policies:api" },
        { "policies typo inside", """{ "Policies": { "api": { "XFrameOption": "DENY" } } }""", "SecureHeaders:Policies:api:XFrameOption" },
        { "policies as a list", """{ "Policies": [ { "XFrameOptions": "DENY" } ] }""", "SecureHeaders:Policies" },
        { "path policy unknown", """{ "PathPolicies": { "/swagger": "swagger" } }""", "SecureHeaders:PathPolicies:/swagger" },
        { "path policy not a path", """{ "Policies": { "docs": {} }, "PathPolicies": { "swagger": "docs" } }""", "SecureHeaders:PathPolicies:swagger" },
        { "reporting without the package", """{ "Reporting": { "Path": "/csp" } }""", "SecureHeaders:Reporting" },
        { "section not an object", "\"on\"", "SecureHeaders" },
        { "clear site data unknown type", """{ "ClearSiteData": ["cookies", "sesion"] }""", "SecureHeaders:ClearSiteData" },
        { "clear site data object", """{ "ClearSiteData": { "cookies": true } }""", "SecureHeaders:ClearSiteData" },
        { "reporting endpoints list", """{ "ReportingEndpoints": ["https://r.example/a"] }""", "SecureHeaders:ReportingEndpoints" },
        { "reporting endpoint object", """{ "ReportingEndpoints": { "csp": { "Url": "https://r.example/a" } } }""", "SecureHeaders:ReportingEndpoints:csp" },
        { "integrity policy string", """{ "IntegrityPolicy": "script" }""", "SecureHeaders:IntegrityPolicy" },
        { "integrity destinations object", """{ "IntegrityPolicy": { "Enabled": true, "BlockedDestinations": { "script": true } } }""", "SecureHeaders:IntegrityPolicy:BlockedDestinations" },
        { "top-level typo", """{ "XFrameOption": "DENY" }""", "SecureHeaders:XFrameOption" },
        { "exempt paths object", """{ "ForceHttps": { "ExemptPaths": { "health": "/healthz" } } }""", "SecureHeaders:ForceHttps:ExemptPaths" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_mistake_stops_startup_at_the_path_it_was_written(string name, string section, string path)
    {
        _ = name;
        using var site = new JsonSite($$"""{ "SecureHeaders": {{section}} }""");
        var ex = await Assert.ThrowsAnyAsync<Exception>(() => site.StartAsync());
        var problems = ex is SecureHeadersConfigurationException shc ? shc.Problems.Select(static p => p.Path) : [];
        Assert.True(problems.Contains(path) || ex.Message.Contains(path + ":", StringComparison.Ordinal), $"Expected a problem at {path}; got: {ex.Message}");
        Assert.Contains("Fix:", ex.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string, string?> Accepted => new()
    {
        // name, "SecureHeaders" body, header, expected value (null: absent)
        { "csp as a string", """{ "ContentSecurityPolicy": "default-src 'self'; script-src 'self' https://cdn.example.com" }""", "Content-Security-Policy", "default-src 'self'; script-src 'self' https://cdn.example.com" },
        { "csp policy key", """{ "ContentSecurityPolicy": { "Policy": "default-src 'none'; frame-ancestors 'none'" } }""", "Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'" },
        { "csp false", """{ "ContentSecurityPolicy": false }""", "Content-Security-Policy", null },
        { "csp null", """{ "ContentSecurityPolicy": null }""", "Content-Security-Policy", null },
        { "upgrade true", """{ "ContentSecurityPolicy": { "Policy": "default-src 'self'", "Directives": { "upgrade-insecure-requests": true } } }""", "Content-Security-Policy", "default-src 'self'; upgrade-insecure-requests" },
        { "upgrade false", """{ "ContentSecurityPolicy": { "Policy": "default-src 'self'; upgrade-insecure-requests", "Directives": { "upgrade-insecure-requests": false } } }""", "Content-Security-Policy", "default-src 'self'" },
        { "upgrade empty list", """{ "ContentSecurityPolicy": { "Policy": "default-src 'self'", "Directives": { "upgrade-insecure-requests": [] } } }""", "Content-Security-Policy", "default-src 'self'; upgrade-insecure-requests" },
        { "directive as one string", """{ "ContentSecurityPolicy": { "Policy": "default-src 'self'", "Directives": { "img-src": "'self' https://img.example.com" } } }""", "Content-Security-Policy", "default-src 'self'; img-src 'self' https://img.example.com" },
        { "report-only switched on by its preset", """{ "ContentSecurityPolicyReportOnly": { "Preset": "Api" } }""", "Content-Security-Policy-Report-Only", "default-src 'none'; frame-ancestors 'none'" },
        { "report-only switched on by directives", """{ "ContentSecurityPolicyReportOnly": { "UseDefaults": false, "Directives": { "default-src": "'none'" } } }""", "Content-Security-Policy-Report-Only", "default-src 'none'" },
        { "report-only as a string", """{ "ContentSecurityPolicyReportOnly": "default-src 'self'" }""", "Content-Security-Policy-Report-Only", "default-src 'self'" },
        { "report-only explicitly off", """{ "ContentSecurityPolicyReportOnly": { "Enabled": false, "Preset": "Api" } }""", "Content-Security-Policy-Report-Only", null },
        { "hsts as a string", """{ "StrictTransportSecurity": "max-age=63072000; includeSubDomains; preload" }""", "Strict-Transport-Security", "max-age=63072000; includeSubDomains; preload" },
        { "hsts false", """{ "StrictTransportSecurity": false }""", "Strict-Transport-Security", null },
        { "permissions as a string", """{ "PermissionsPolicy": "camera=(), geolocation=(self \"https://maps.example.com\")" }""", "Permissions-Policy", "camera=(), geolocation=(self \"https://maps.example.com\")" },
        { "permissions false", """{ "PermissionsPolicy": false }""", "Permissions-Policy", null },
        { "permissions feature string", """{ "PermissionsPolicy": { "Features": { "camera": "self", "microphone": null } } }""", "Permissions-Policy", null },
        { "x-frame-options false", """{ "XFrameOptions": false }""", "X-Frame-Options", null },
        { "x-frame-options true", """{ "XFrameOptions": true }""", "X-Frame-Options", "DENY" },
        { "x-content-type-options empty", """{ "XContentTypeOptions": "" }""", "X-Content-Type-Options", null },
        { "referrer fallback list", """{ "ReferrerPolicy": ["no-referrer", "strict-origin-when-cross-origin"] }""", "Referrer-Policy", "no-referrer, strict-origin-when-cross-origin" },
        { "x-xss-protection number", """{ "XXssProtection": 0 }""", "X-XSS-Protection", "0" },
        { "clear site data header string", """{ "ClearSiteData": "\"cache\", \"cookies\"" }""", "Clear-Site-Data", "\"cache\", \"cookies\"" },
        { "clear site data list", """{ "ClearSiteData": ["cache", "storage"] }""", "Clear-Site-Data", "\"cache\", \"storage\"" },
        { "reporting endpoints header string", """{ "ReportingEndpoints": "csp=\"https://r.example/csp\"" }""", "Reporting-Endpoints", "csp=\"https://r.example/csp\"" },
        { "coop null", """{ "CrossOriginOpenerPolicy": null }""", "Cross-Origin-Opener-Policy", null },
        { "integrity true", """{ "IntegrityPolicy": true }""", "Integrity-Policy", "blocked-destinations=(script), sources=(inline)" },
    };

    [Theory]
    [MemberData(nameof(Accepted))]
    public async Task A_shortcut_does_exactly_what_it_says(string name, string section, string header, string? expected)
    {
        _ = name;
        using var site = new JsonSite($$"""{ "SecureHeaders": {{section}} }""");
        await using var app = await site.StartAsync();
        var response = await app.Https().GetAsync("/", TestContext.Current.CancellationToken);
        if (header == "Permissions-Policy" && name == "permissions feature string")
        {
            var value = response.Header(header)!;
            Assert.Contains("camera=(self)", value, StringComparison.Ordinal);
            Assert.DoesNotContain("microphone", value, StringComparison.Ordinal);
            return;
        }

        Assert.Equal(expected, response.Header(header));
    }

    [Fact]
    public async Task Force_https_false_switches_the_redirect_off()
    {
        using var site = new JsonSite("""{ "SecureHeaders": { "ForceHttps": false } }""");
        await using var app = await site.StartAsync();
        var response = await app.Http().GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Cookies_false_leaves_cookies_alone()
    {
        using var site = new JsonSite("""{ "SecureHeaders": { "Cookies": false } }""");
        await using var app = await site.StartAsync(map: a => a.MapGet("/", (HttpContext c) =>
        {
            c.Response.Cookies.Append("a", "b");
            return "ok";
        }));
        var response = await app.Https().GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal("a=b; path=/", response.Header("Set-Cookie"));
    }

    [Fact]
    public async Task A_list_in_the_environment_file_replaces_a_string_in_the_base_file()
    {
        using var site = new JsonSite(
            """{ "SecureHeaders": { "ContentSecurityPolicy": { "Policy": "default-src 'self'", "Directives": { "script-src": "'self' https://old.example.com" } } } }""",
            """{ "SecureHeaders": { "ContentSecurityPolicy": { "Directives": { "script-src": ["'self'", "https://new.example.com"] } } } }""");
        await using var app = await site.StartAsync();
        var csp = (await app.Https().GetAsync("/", TestContext.Current.CancellationToken)).Header("Content-Security-Policy");
        Assert.Equal("default-src 'self'; script-src 'self' https://new.example.com", csp);
    }

    [Fact]
    public async Task A_shorter_list_in_the_environment_file_replaces_the_longer_one_whole()
    {
        using var site = new JsonSite(
            """{ "SecureHeaders": { "ContentSecurityPolicy": { "Policy": "default-src 'self'", "Directives": { "style-src": ["'self'", "'unsafe-inline'", "https://fonts.example.com"] } } } }""",
            """{ "SecureHeaders": { "ContentSecurityPolicy": { "Directives": { "style-src": ["'self'"] } } } }""");
        await using var app = await site.StartAsync();
        var csp = (await app.Https().GetAsync("/", TestContext.Current.CancellationToken)).Header("Content-Security-Policy");
        Assert.Equal("default-src 'self'; style-src 'self'", csp);
    }

    [Fact]
    public async Task Objects_in_layered_files_merge_key_by_key()
    {
        using var site = new JsonSite(
            """{ "SecureHeaders": { "ContentSecurityPolicy": { "Policy": "default-src 'self'", "Directives": { "img-src": "'self'" } }, "XFrameOptions": "SAMEORIGIN" } }""",
            """{ "SecureHeaders": { "ContentSecurityPolicy": { "Directives": { "font-src": "'self'" } } } }""");
        await using var app = await site.StartAsync();
        var response = await app.Https().GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal("default-src 'self'; img-src 'self'; font-src 'self'", response.Header("Content-Security-Policy"));
        Assert.Equal("SAMEORIGIN", response.Header("X-Frame-Options"));
    }

    [Fact]
    public async Task A_boolean_in_the_environment_file_switches_an_object_of_the_base_file_off()
    {
        using var site = new JsonSite(
            """{ "SecureHeaders": { "ForceHttps": { "Enabled": true, "ExemptPaths": ["/healthz"] } } }""",
            """{ "SecureHeaders": { "ForceHttps": false } }""");
        await using var app = await site.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await app.Http().GetAsync("/", TestContext.Current.CancellationToken)).StatusCode);
    }

    [Fact]
    public async Task A_value_and_a_list_from_one_source_are_ambiguous()
    {
        var ex = await Assert.ThrowsAsync<SecureHeadersConfigurationException>(() => TestApp.StartAsync(settings: new()
        {
            ["SecureHeaders:RemoveHeaders"] = "X-Powered-By",
            ["SecureHeaders:RemoveHeaders:0"] = "Server",
        }));
        Assert.Contains(ex.Problems, static p => p.Path == "SecureHeaders:RemoveHeaders" && p.Message.Contains("both a value and", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_mistake_in_the_default_policy_is_reported_once_however_many_policies_copy_it()
    {
        using var site = new JsonSite("""
            { "SecureHeaders": {
                "XFrameOptions": "SAMEORGIN",
                "ContentSecurityPolicy": { "Directives": { "img-src": ["self"] } },
                "Policies": { "a": { "ReferrerPolicy": "no-referrer" }, "b": {}, "c": { "XFrameOptions": "DENY" } } } }
            """);
        var ex = await Assert.ThrowsAsync<SecureHeadersConfigurationException>(() => site.StartAsync());
        Assert.Single(ex.Problems, static p => p.Path == "SecureHeaders:XFrameOptions");
        Assert.Single(ex.Problems, static p => p.Path == "SecureHeaders:ContentSecurityPolicy:Directives:img-src");
        Assert.DoesNotContain(ex.Problems, static p => p.Path.StartsWith("SecureHeaders:Policies:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_mistake_written_in_a_named_policy_is_reported_there()
    {
        using var site = new JsonSite("""{ "SecureHeaders": { "Policies": { "widget": { "XFrameOptions": "ALLOWALL" } } } }""");
        var ex = await Assert.ThrowsAsync<SecureHeadersConfigurationException>(() => site.StartAsync());
        Assert.Equal("SecureHeaders:Policies:widget:XFrameOptions", Assert.Single(ex.Problems).Path);
    }

    [Fact]
    public async Task Presets_combine_in_order()
    {
        using var site = new JsonSite("""{ "SecureHeaders": { "ContentSecurityPolicy": { "Presets": ["StrictWithBasic", "BlazorWebApp"] } } }""");
        await using var app = await site.StartAsync();
        var csp = (await app.Https().GetAsync("/", TestContext.Current.CancellationToken)).Header("Content-Security-Policy")!;
        Assert.Contains("'wasm-unsafe-eval'", csp, StringComparison.Ordinal);
        Assert.Contains("'strict-dynamic'", csp, StringComparison.Ordinal);
        Assert.Contains("'nonce-", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("StyleAttributes", "style-src 'self' 'unsafe-inline'; style-src-elem 'self' 'nonce-", "style-src-attr 'unsafe-inline'")]
    [InlineData("InlineStyles", "style-src 'self' 'unsafe-inline'; style-src-elem 'self' 'unsafe-inline'", "style-src-attr 'unsafe-inline'")]
    public async Task A_style_mode_replaces_the_style_directives_of_the_presets_before_it(string mode, string styles, string attributes)
    {
        using var site = new JsonSite($$"""{ "SecureHeaders": { "ContentSecurityPolicy": { "Presets": ["StrictWithBasic", "BlazorWebApp", "{{mode}}"] } } }""");
        await using var app = await site.StartAsync();
        var csp = (await app.Https().GetAsync("/", TestContext.Current.CancellationToken)).Header("Content-Security-Policy")!;
        Assert.Contains(styles, csp, StringComparison.Ordinal);
        Assert.Contains(attributes, csp, StringComparison.Ordinal);
        Assert.Matches("script-src [^;]*'nonce-[^;]*'strict-dynamic'", csp);
        Assert.Single(Regex.Matches(csp, "style-src "));
    }

    [Fact]
    public async Task A_clean_start_logs_no_warning()
    {
        using var site = new JsonSite("""{ "AllowedHosts": "example.com", "SecureHeaders": { "ContentSecurityPolicy": { "Presets": ["StrictWithBasic"] }, "Policies": { "a": {}, "b": {} } } }""");
        using var logs = new FakeLoggerProvider();
        await using var app = await site.StartAsync(logging: logs);
        await app.Services.GetRequiredService<SecureHeadersRuntime>().EvaluationCompleted;
        Assert.Empty(logs.Collector.GetSnapshot().Where(static e => e.Level >= LogLevel.Warning).Select(static e => e.Message));
    }

    /// <summary>An application directory with appsettings.json (and appsettings.Production.json) on disk.</summary>
    private sealed class JsonSite : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "secureheaders-config-" + Guid.NewGuid().ToString("n"));

        public JsonSite(string appsettings, string? production = null)
        {
            Directory.CreateDirectory(_root);
            File.WriteAllText(Path.Combine(_root, "appsettings.json"), appsettings);
            if (production is not null)
            {
                File.WriteAllText(Path.Combine(_root, "appsettings.Production.json"), production);
            }
        }

        public async Task<WebApplication> StartAsync(Action<WebApplication>? map = null, ILoggerProvider? logging = null)
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production", ContentRootPath = _root });
            builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders();
            if (logging is not null)
            {
                builder.Logging.AddProvider(logging);
            }

            builder.Services.AddSecureHeaders();
            var app = builder.Build();
            app.UseSecureHeaders();
            if (map is not null)
            {
                map(app);
            }
            else
            {
                app.MapGet("/", () => Results.Text("<p>hello</p>", "text/html"));
            }

            try
            {
                await app.StartAsync();
            }
            catch (OptionsValidationException)
            {
                await app.DisposeAsync();
                throw;
            }
            catch (SecureHeadersConfigurationException)
            {
                await app.DisposeAsync();
                throw;
            }

            return app;
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
