using Microsoft.AspNetCore.Builder;
using SecureHeaders.AspNetCore;
using SecureHeaders.Configuration;

namespace SecureHeaders.AspNetCore.Tests;

/// <summary>Embeds: a third-party player gets frame-src and its iframe features, for its origin only.</summary>
public class EmbedsTests
{
    private const string Player = "https://www.youtube-nocookie.com";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_embed_origin_gets_frame_src_and_the_player_features_only_for_itself()
    {
        await using var app = await TestApp.StartAsync(settings: new() { ["SecureHeaders:Embeds:0"] = Player });
        var response = await app.Https().GetAsync("/", Ct);
        var csp = response.Header("Content-Security-Policy")!;
        var permissions = response.Header("Permissions-Policy")!;

        Assert.Contains("frame-src 'self' https://www.youtube-nocookie.com", csp, StringComparison.Ordinal);
        Assert.Contains("fullscreen=(self \"https://www.youtube-nocookie.com\")", permissions, StringComparison.Ordinal);
        Assert.Contains("autoplay=(\"https://www.youtube-nocookie.com\")", permissions, StringComparison.Ordinal);
        Assert.Contains("encrypted-media=(\"https://www.youtube-nocookie.com\")", permissions, StringComparison.Ordinal);
        Assert.Contains("picture-in-picture=(\"https://www.youtube-nocookie.com\")", permissions, StringComparison.Ordinal);

        // Nothing else moves: other features stay off, nothing becomes *, the page still cannot be framed.
        Assert.DoesNotContain("*", permissions, StringComparison.Ordinal);
        Assert.Contains("camera=()", permissions, StringComparison.Ordinal);
        Assert.Contains("geolocation=()", permissions, StringComparison.Ordinal);
        Assert.Equal(4, permissions.Split(Player).Length - 1);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal(1, csp.Split(Player).Length - 1);
    }

    [Fact]
    public async Task The_policy_without_embeds_keeps_the_player_features_off()
    {
        await using var app = await TestApp.StartAsync();
        var response = await app.Https().GetAsync("/", Ct);
        var permissions = response.Header("Permissions-Policy")!;
        Assert.Contains("autoplay=()", permissions, StringComparison.Ordinal);
        Assert.Contains("fullscreen=(self)", permissions, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_fluent_form_does_the_same_on_one_endpoint()
    {
        await using var app = await TestApp.StartAsync(map: app =>
        {
            app.MapGet("/video", () => "video").WithSecureHeaders(p => p.AllowEmbedsFrom("https://player.vimeo.com"));
            app.MapGet("/", () => "home");
        });

        var video = await app.Https().GetAsync("/video", Ct);
        var home = await app.Https().GetAsync("/", Ct);
        Assert.Contains("https://player.vimeo.com", video.Header("Content-Security-Policy")!, StringComparison.Ordinal);
        Assert.Contains("autoplay=(\"https://player.vimeo.com\")", video.Header("Permissions-Policy")!, StringComparison.Ordinal);
        Assert.DoesNotContain("vimeo", home.Header("Content-Security-Policy")!, StringComparison.Ordinal);
        Assert.Contains("autoplay=()", home.Header("Permissions-Policy")!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_named_policy_from_configuration_embeds_for_its_paths_only()
    {
        await using var app = await TestApp.StartAsync(
            settings: new()
            {
                ["SecureHeaders:Policies:video:Embeds:0"] = Player,
                ["SecureHeaders:Policies:video:Embeds:1"] = "https://player.vimeo.com/",
            },
            map: app =>
            {
                app.MapGet("/video", () => "video").WithSecureHeaders("video");
                app.MapGet("/", () => "home");
            });

        var video = await app.Https().GetAsync("/video", Ct);
        var home = await app.Https().GetAsync("/", Ct);
        Assert.Contains("frame-src 'self' https://www.youtube-nocookie.com https://player.vimeo.com", video.Header("Content-Security-Policy")!, StringComparison.Ordinal);
        Assert.Contains("autoplay=(\"https://www.youtube-nocookie.com\" \"https://player.vimeo.com\")", video.Header("Permissions-Policy")!, StringComparison.Ordinal);
        Assert.DoesNotContain("youtube", home.Header("Content-Security-Policy")!, StringComparison.Ordinal);
        Assert.Contains("autoplay=()", home.Header("Permissions-Policy")!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_frame_src_none_becomes_the_embed_origin_and_a_wildcard_feature_stays_as_written()
    {
        await using var app = await TestApp.StartAsync(o =>
        {
            o.ContentSecurityPolicy.Set("frame-src", "'none'");
            o.ContentSecurityPolicyReportOnly.Enabled = true;
            o.ContentSecurityPolicyReportOnly.Use("default-src 'self'; frame-src 'none'");
            o.PermissionsPolicy.Features["picture-in-picture"] = ["*"];
            o.AllowEmbedsFrom(Player);
        });

        var response = await app.Https().GetAsync("/", Ct);
        Assert.Contains("frame-src https://www.youtube-nocookie.com", response.Header("Content-Security-Policy")!, StringComparison.Ordinal);
        Assert.Contains("frame-src https://www.youtube-nocookie.com", response.Header("Content-Security-Policy-Report-Only")!, StringComparison.Ordinal);
        Assert.Contains("picture-in-picture=*", response.Header("Permissions-Policy")!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://www.youtube.com")]
    [InlineData("https://www.youtube.com/embed")]
    [InlineData("https://www.youtube.com/?v=1")]
    [InlineData("https://*.youtube.com")]
    [InlineData("*")]
    [InlineData("youtube.com")]
    [InlineData("https://user@www.youtube.com")]
    public async Task What_is_not_one_https_origin_stops_startup_at_its_path(string origin)
    {
        var ex = await Assert.ThrowsAsync<SecureHeadersConfigurationException>(() =>
            TestApp.StartAsync(settings: new() { ["SecureHeaders:Embeds:0"] = origin }));
        var problem = Assert.Single(ex.Problems, p => p.Path == "SecureHeaders:Embeds:0");
        Assert.Contains("https://www.youtube-nocookie.com", problem.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_origin_in_a_named_policy_names_that_policy()
    {
        var ex = await Assert.ThrowsAsync<SecureHeadersConfigurationException>(() =>
            TestApp.StartAsync(settings: new() { ["SecureHeaders:Policies:video:Embeds:0"] = "https://player.vimeo.com/video/1" }));
        Assert.Contains(ex.Problems, p => p.Path == "SecureHeaders:Policies:video:Embeds:0");
    }
}
