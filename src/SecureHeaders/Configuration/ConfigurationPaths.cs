namespace SecureHeaders.Configuration;

/// <summary>The configuration sections SecureHeaders settings live under.</summary>
internal static class ConfigurationPaths
{
    /// <summary>The section the middleware binds.</summary>
    public const string Root = "SecureHeaders";

    /// <summary>Joins path segments with the configuration delimiter.</summary>
    public static string Join(string parent, string key) => parent + ":" + key;
}
