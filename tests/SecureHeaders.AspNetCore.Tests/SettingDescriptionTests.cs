using SecureHeaders.AspNetCore.Configuration;
using SecureHeaders.Configuration;
using SecureHeaders.Headers;

namespace SecureHeaders.AspNetCore.Tests;

/// <summary>The setting descriptions are the one source every flow reads; these tests keep the other flows honest.</summary>
public class SettingDescriptionTests
{
    [Fact]
    public void Every_option_a_scanner_finding_names_is_a_setting()
    {
        foreach (var path in SecureHeaders.Analysis.Checks.OptionPaths.All)
        {
            Assert.True(Resolves(path), $"The scanner names {path}, which is not a SecureHeaders setting.");
        }
    }

    [Fact]
    public void Every_registered_header_is_a_setting_and_governs_its_name()
    {
        foreach (var header in HeaderRegistry.All)
        {
            Assert.True(Resolves(header.ConfigurationPath), header.ConfigurationPath);
            Assert.Same(header, HeaderRegistry.Find(header.Name.ToUpperInvariant()));
        }
    }

    [Fact]
    public void A_custom_header_that_has_its_own_setting_points_at_that_setting()
    {
        foreach (var header in HeaderRegistry.All)
        {
            Assert.True(Resolves(header.ConfigurationPath));
        }

        Assert.True(Resolves("SecureHeaders:CacheControlNoStore"));
    }

    private static bool Resolves(string path)
    {
        var segments = path.Split(':');
        Assert.Equal("SecureHeaders", segments[0]);
        IReadOnlyList<Setting> level = SecureHeadersSettings.Root.Settings;
        for (var i = 1; i < segments.Length; i++)
        {
            var setting = level.FirstOrDefault(s => s.Key == segments[i] || s.Key == "*");
            if (setting is null)
            {
                return false;
            }

            if (setting.Kind == SettingKind.Map && i + 1 < segments.Length)
            {
                // A user-named entry (a directive, a cookie, a policy): skip the name.
                i++;
                level = setting.Children is [{ } entry] ? entry.Children : [];
                if (i + 1 == segments.Length)
                {
                    return true;
                }

                continue;
            }

            level = setting.Children;
        }

        return true;
    }
}
