using System.Globalization;
using Microsoft.Extensions.Configuration;
using SecureHeaders.Headers;
using SecureHeaders.Policies;

namespace SecureHeaders.AspNetCore.Configuration;

/// <summary>
/// Binds the <c>SecureHeaders</c> configuration section onto <see cref="SecureHeadersOptions"/>. Written by hand
/// rather than with ConfigurationBinder so that: every unknown key is an error with a did-you-mean; a value
/// that does not convert names its path; and lists and directives given in configuration replace the defaults
/// instead of being appended to them. JSON <c>null</c> removes a directive or switches a header off.
/// </summary>
internal static class SecureHeadersConfigurationBinder
{
    private static readonly string[] s_rootKeys =
    [
        "Profile", "ForceHttps", "Cookies", "RemoveHeaders", "RemoveServerHeader", "CoverUnhandledExceptions", "CspHashManifest", "CspEvaluation", "ViolationReporting", "Policies", "Reporting",
    ];

    private static readonly string[] s_policyKeys =
    [
        "ContentSecurityPolicy", "ContentSecurityPolicyReportOnly", "StrictTransportSecurity", "XFrameOptions", "XContentTypeOptions",
        "ReferrerPolicy", "PermissionsPolicy", "CrossOriginOpenerPolicy", "CrossOriginEmbedderPolicy", "CrossOriginResourcePolicy",
        "OriginAgentCluster", "XDnsPrefetchControl", "XPermittedCrossDomainPolicies", "XXssProtection", "ReportingEndpoints",
        "ClearSiteData", "CacheControlNoStore", "IntegrityPolicy", "DocumentPolicy", "CustomHeaders", "SendViolationReports",
    ];

    public static void Bind(IConfigurationSection section, SecureHeadersOptions options)
    {
        var problems = options.BindingProblems;
        foreach (var child in section.GetChildren())
        {
            var path = child.Path;
            switch (child.Key.ToUpperInvariant())
            {
                case "PROFILE":
                    if (Enum.TryParse<SecureHeadersProfile>(child.Value, ignoreCase: true, out var profile) && !int.TryParse(child.Value, out _))
                    {
                        options.Profile = profile;
                    }
                    else
                    {
                        problems.Error(path, $"\"{child.Value}\" is not a profile.", "Use Auto, Production or Development.");
                    }

                    break;
                case "FORCEHTTPS":
                    BindForceHttps(child, options.ForceHttps, problems);
                    break;
                case "COOKIES":
                    BindCookies(child, options.Cookies, problems);
                    break;
                case "REMOVEHEADERS":
                    options.RemoveHeaders = ReadList(child);
                    break;
                case "REMOVESERVERHEADER":
                    Bool(child, problems, v => options.RemoveServerHeader = v);
                    break;
                case "COVERUNHANDLEDEXCEPTIONS":
                    Bool(child, problems, v => options.CoverUnhandledExceptions = v);
                    break;
                case "CSPHASHMANIFEST":
                    options.CspHashManifest = string.IsNullOrEmpty(child.Value) ? null : child.Value;
                    break;
                case "CSPEVALUATION":
                    foreach (var setting in child.GetChildren())
                    {
                        switch (setting.Key.ToUpperInvariant())
                        {
                            case "ENABLED":
                                Bool(setting, problems, v => options.CspEvaluation.Enabled = v);
                                break;
                            case "FAILONHIGHFINDINGSINPRODUCTION":
                                Bool(setting, problems, v => options.CspEvaluation.FailOnHighFindingsInProduction = v);
                                break;
                            default:
                                Unknown(setting, ["Enabled", "FailOnHighFindingsInProduction"], problems);
                                break;
                        }
                    }

                    break;
                case "VIOLATIONREPORTING":
                    foreach (var setting in child.GetChildren())
                    {
                        switch (setting.Key.ToUpperInvariant())
                        {
                            case "URL":
                                options.ViolationReporting.Url = string.IsNullOrEmpty(setting.Value) ? null : setting.Value;
                                break;
                            case "ENDPOINTNAME":
                                options.ViolationReporting.EndpointName = setting.Value ?? string.Empty;
                                break;
                            case "SAMPLERATE":
                                if (double.TryParse(setting.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate))
                                {
                                    options.ViolationReporting.SampleRate = rate;
                                }
                                else
                                {
                                    problems.Error(setting.Path, $"\"{setting.Value}\" is not a number.", "Use a number between 0 and 1, e.g. 0.1.");
                                }

                                break;
                            default:
                                Unknown(setting, ["Url", "EndpointName", "SampleRate"], problems);
                                break;
                        }
                    }

                    break;
                case "POLICIES":
                    foreach (var policy in child.GetChildren())
                    {
                        options.NamedPolicySections[policy.Key] = policy;
                    }

                    break;
                case "REPORTING":
                    // Bound by SecureHeaders.Reporting when it is installed.
                    break;
                default:
                    if (!TryBindPolicyKey(child, options, problems))
                    {
                        Unknown(child, [.. s_rootKeys, .. s_policyKeys], problems);
                    }

                    break;
            }
        }
    }

    /// <summary>Binds a named policy's section onto a policy (a copy of the default).</summary>
    public static void BindPolicy(IConfigurationSection section, SecureHeadersPolicy policy, ConfigurationProblems problems)
    {
        foreach (var child in section.GetChildren())
        {
            if (!TryBindPolicyKey(child, policy, problems))
            {
                Unknown(child, s_policyKeys, problems);
            }
        }
    }

    private static bool TryBindPolicyKey(IConfigurationSection child, SecureHeadersPolicy policy, ConfigurationProblems problems)
    {
        switch (child.Key.ToUpperInvariant())
        {
            case "CONTENTSECURITYPOLICY":
                BindCsp(child, policy.ContentSecurityPolicy, problems);
                return true;
            case "CONTENTSECURITYPOLICYREPORTONLY":
                BindCsp(child, policy.ContentSecurityPolicyReportOnly, problems);
                return true;
            case "STRICTTRANSPORTSECURITY":
                BindHsts(child, policy.StrictTransportSecurity, problems);
                return true;
            case "XFRAMEOPTIONS":
                policy.XFrameOptions = child.Value;
                return true;
            case "XCONTENTTYPEOPTIONS":
                policy.XContentTypeOptions = child.Value;
                return true;
            case "REFERRERPOLICY":
                policy.ReferrerPolicy = child.Value ?? (child.GetChildren().Any() ? string.Join(", ", ReadList(child)) : null);
                return true;
            case "PERMISSIONSPOLICY":
                BindPermissions(child, policy.PermissionsPolicy, problems);
                return true;
            case "CROSSORIGINOPENERPOLICY":
                policy.CrossOriginOpenerPolicy = child.Value;
                return true;
            case "CROSSORIGINEMBEDDERPOLICY":
                policy.CrossOriginEmbedderPolicy = child.Value;
                return true;
            case "CROSSORIGINRESOURCEPOLICY":
                policy.CrossOriginResourcePolicy = child.Value;
                return true;
            case "ORIGINAGENTCLUSTER":
                policy.OriginAgentCluster = child.Value;
                return true;
            case "XDNSPREFETCHCONTROL":
                policy.XDnsPrefetchControl = child.Value;
                return true;
            case "XPERMITTEDCROSSDOMAINPOLICIES":
                policy.XPermittedCrossDomainPolicies = child.Value;
                return true;
            case "XXSSPROTECTION":
                policy.XXssProtection = child.Value;
                return true;
            case "REPORTINGENDPOINTS":
                foreach (var endpoint in child.GetChildren())
                {
                    if (endpoint.Value is null)
                    {
                        policy.ReportingEndpoints.Remove(endpoint.Key);
                    }
                    else
                    {
                        policy.ReportingEndpoints[endpoint.Key] = endpoint.Value;
                    }
                }

                return true;
            case "CLEARSITEDATA":
                policy.ClearSiteData = child.Value is null && !child.GetChildren().Any() ? null : ReadList(child);
                return true;
            case "SENDVIOLATIONREPORTS":
                Bool(child, problems, v => policy.SendViolationReports = v);
                return true;
            case "CACHECONTROLNOSTORE":
                Bool(child, problems, v => policy.CacheControlNoStore = v);
                return true;
            case "INTEGRITYPOLICY":
                BindIntegrity(child, policy.IntegrityPolicy, problems);
                return true;
            case "DOCUMENTPOLICY":
                policy.DocumentPolicy = child.Value;
                return true;
            case "CUSTOMHEADERS":
                foreach (var header in child.GetChildren())
                {
                    if (header.Value is null)
                    {
                        policy.CustomHeaders.Remove(header.Key);
                    }
                    else
                    {
                        policy.CustomHeaders[header.Key] = header.Value;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    private static void BindCsp(IConfigurationSection section, ContentSecurityPolicyOptions csp, ConfigurationProblems problems)
    {
        if (IsNull(section))
        {
            csp.Enabled = false;
            return;
        }

        // Preset and UseDefaults are read first so that they apply before the directives, whatever the key order.
        if (section.GetSection("Preset") is { Value: { Length: > 0 } preset } presetSection)
        {
            if (Csp.CspPresets.Find(preset) is { } presetPolicy)
            {
                csp.Use(presetPolicy);
            }
            else
            {
                problems.Error(presetSection.Path, $"\"{preset}\" is not a CSP preset.", "Presets: " + string.Join(", ", Csp.CspPresets.Names) + ".");
            }
        }

        if (section.GetSection("UseDefaults") is { Value: not null } useDefaults)
        {
            Bool(useDefaults, problems, v =>
            {
                if (!v)
                {
                    csp.Clear();
                }
            });
        }

        foreach (var child in section.GetChildren())
        {
            switch (child.Key.ToUpperInvariant())
            {
                case "ENABLED":
                    Bool(child, problems, v => csp.Enabled = v);
                    break;
                case "REPORTONLY":
                    Bool(child, problems, v => csp.ReportOnly = v);
                    break;
                case "USEDEFAULTS":
                case "PRESET":
                    break;
                case "DIRECTIVES":
                    foreach (var directive in child.GetChildren())
                    {
                        if (IsNull(directive))
                        {
                            csp.Remove(directive.Key);
                        }
                        else
                        {
                            csp.Set(directive.Key, [.. ReadList(directive).SelectMany(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries))]);
                        }
                    }

                    break;
                default:
                    Unknown(child, ["Enabled", "ReportOnly", "Preset", "UseDefaults", "Directives"], problems);
                    break;
            }
        }
    }

    private static void BindHsts(IConfigurationSection section, StrictTransportSecurityOptions hsts, ConfigurationProblems problems)
    {
        if (IsNull(section))
        {
            hsts.Enabled = false;
            return;
        }

        foreach (var child in section.GetChildren())
        {
            switch (child.Key.ToUpperInvariant())
            {
                case "ENABLED":
                    Bool(child, problems, v => hsts.Enabled = v);
                    break;
                case "MAXAGE":
                    if (TimeSpan.TryParse(child.Value, CultureInfo.InvariantCulture, out var maxAge) && !long.TryParse(child.Value, out _))
                    {
                        hsts.MaxAge = maxAge;
                    }
                    else if (long.TryParse(child.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
                    {
                        problems.Error(child.Path, $"\"{child.Value}\" is a bare number; MaxAge is a duration, and a bare number would be read as days.",
                            $"Write it as a duration: {FormatSeconds(seconds)} for {seconds} seconds.");
                    }
                    else
                    {
                        problems.Error(child.Path, $"\"{child.Value}\" is not a duration.", "Write d.hh:mm:ss, e.g. 365.00:00:00 for one year.");
                    }

                    break;
                case "INCLUDESUBDOMAINS":
                    Bool(child, problems, v => hsts.IncludeSubDomains = v);
                    break;
                case "PRELOAD":
                    Bool(child, problems, v => hsts.Preload = v);
                    break;
                default:
                    Unknown(child, ["Enabled", "MaxAge", "IncludeSubDomains", "Preload"], problems);
                    break;
            }
        }
    }

    private static string FormatSeconds(long seconds) =>
        seconds >= 0 ? TimeSpan.FromSeconds(seconds).ToString("c", CultureInfo.InvariantCulture) : "a positive duration";

    private static void BindPermissions(IConfigurationSection section, PermissionsPolicyOptions permissions, ConfigurationProblems problems)
    {
        if (IsNull(section))
        {
            permissions.Enabled = false;
            return;
        }

        foreach (var child in section.GetChildren())
        {
            switch (child.Key.ToUpperInvariant())
            {
                case "ENABLED":
                    Bool(child, problems, v => permissions.Enabled = v);
                    break;
                case "ALLOWUNKNOWNFEATURES":
                    Bool(child, problems, v => permissions.AllowUnknownFeatures = v);
                    break;
                case "FEATURES":
                    foreach (var feature in child.GetChildren())
                    {
                        if (IsNull(feature))
                        {
                            permissions.Features.Remove(feature.Key);
                        }
                        else
                        {
                            permissions.Features[feature.Key] = [.. ReadList(feature).SelectMany(v => v.Split(' ', StringSplitOptions.RemoveEmptyEntries))];
                        }
                    }

                    break;
                default:
                    Unknown(child, ["Enabled", "AllowUnknownFeatures", "Features"], problems);
                    break;
            }
        }
    }

    private static void BindIntegrity(IConfigurationSection section, IntegrityPolicyOptions integrity, ConfigurationProblems problems)
    {
        foreach (var child in section.GetChildren())
        {
            switch (child.Key.ToUpperInvariant())
            {
                case "ENABLED":
                    Bool(child, problems, v => integrity.Enabled = v);
                    break;
                case "REPORTONLY":
                    Bool(child, problems, v => integrity.ReportOnly = v);
                    break;
                case "BLOCKEDDESTINATIONS":
                    integrity.BlockedDestinations = ReadList(child);
                    break;
                case "ENDPOINTS":
                    integrity.Endpoints = ReadList(child);
                    break;
                default:
                    Unknown(child, ["Enabled", "ReportOnly", "BlockedDestinations", "Endpoints"], problems);
                    break;
            }
        }
    }

    private static void BindForceHttps(IConfigurationSection section, ForceHttpsOptions forceHttps, ConfigurationProblems problems)
    {
        foreach (var child in section.GetChildren())
        {
            switch (child.Key.ToUpperInvariant())
            {
                case "ENABLED":
                    Bool(child, problems, v => forceHttps.Enabled = v);
                    break;
                case "PERMANENT":
                    Bool(child, problems, v => forceHttps.Permanent = v);
                    break;
                case "HTTPSPORT":
                    if (int.TryParse(child.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
                    {
                        forceHttps.HttpsPort = port;
                    }
                    else
                    {
                        problems.Error(child.Path, $"\"{child.Value}\" is not a port number.", "Use a number between 1 and 65535, e.g. 443.");
                    }

                    break;
                case "EXEMPTPATHS":
                    forceHttps.ExemptPaths = ReadList(child);
                    break;
                default:
                    Unknown(child, ["Enabled", "Permanent", "HttpsPort", "ExemptPaths"], problems);
                    break;
            }
        }
    }

    private static void BindCookies(IConfigurationSection section, CookieHardeningOptions cookies, ConfigurationProblems problems)
    {
        foreach (var child in section.GetChildren())
        {
            switch (child.Key.ToUpperInvariant())
            {
                case "ENABLED":
                    Bool(child, problems, v => cookies.Enabled = v);
                    break;
                case "SECURE":
                    Bool(child, problems, v => cookies.Secure = v);
                    break;
                case "HTTPONLY":
                    Bool(child, problems, v => cookies.HttpOnly = v);
                    break;
                case "SAMESITE":
                    cookies.SameSite = child.Value ?? string.Empty;
                    break;
                case "OVERRIDES":
                    foreach (var cookie in child.GetChildren())
                    {
                        var entry = new CookieOverride();
                        foreach (var setting in cookie.GetChildren())
                        {
                            switch (setting.Key.ToUpperInvariant())
                            {
                                case "SECURE":
                                    Bool(setting, problems, v => entry.Secure = v);
                                    break;
                                case "HTTPONLY":
                                    Bool(setting, problems, v => entry.HttpOnly = v);
                                    break;
                                case "SAMESITE":
                                    entry.SameSite = setting.Value;
                                    break;
                                default:
                                    Unknown(setting, ["Secure", "HttpOnly", "SameSite"], problems);
                                    break;
                            }
                        }

                        cookies.Overrides[cookie.Key] = entry;
                    }

                    break;
                default:
                    Unknown(child, ["Enabled", "Secure", "HttpOnly", "SameSite", "Overrides"], problems);
                    break;
            }
        }
    }

    private static List<string> ReadList(IConfigurationSection section)
    {
        if (section.Value is not null)
        {
            return section.Value.Length == 0 ? [] : [section.Value];
        }

        return [.. section.GetChildren().Select(static c => c.Value).OfType<string>()];
    }

    private static bool IsNull(IConfigurationSection section) => section.Value is null && !section.GetChildren().Any();

    private static void Bool(IConfigurationSection section, ConfigurationProblems problems, Action<bool> set)
    {
        if (bool.TryParse(section.Value, out var value))
        {
            set(value);
        }
        else
        {
            problems.Error(section.Path, $"\"{section.Value}\" is not true or false.", "Use true or false.");
        }
    }

    private static void Unknown(IConfigurationSection section, IEnumerable<string> known, ConfigurationProblems problems)
    {
        var guess = Internal.DidYouMean.Closest(section.Key, known);
        problems.Error(section.Path, $"\"{section.Key}\" is not a SecureHeaders setting; it would be ignored.",
            guess is not null ? $"Did you mean {guess}?" : "Known settings here: " + string.Join(", ", known) + ".");
    }
}
