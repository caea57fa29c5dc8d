namespace SecureHeaders.Reporting;

/// <summary>
/// Registered by a store package for the subsection of <c>SecureHeaders:Reporting</c> it binds itself (e.g.
/// <c>PostgreSql</c>), so that the collector's binder accepts the key instead of reporting it as unknown.
/// </summary>
/// <param name="Key">The subsection key.</param>
internal sealed record ReportingSectionClaim(string Key)
{
    /// <summary>Subsections of store packages that may not be installed; configuring one without using it is an error.</summary>
    public static readonly IReadOnlySet<string> KnownStores = new HashSet<string>(["PostgreSql"], StringComparer.OrdinalIgnoreCase);
}
