namespace SecureHeaders.Reporting.Storage;

/// <summary>Limits every store applies the same way.</summary>
internal static class StoreLimits
{
    /// <summary>Distinct samples kept per violation; enough to hash each inline script of a page, small enough to stay bounded.</summary>
    public const int MaxSamplesPerViolation = 10;

    public static int ClampLimit(int limit) => Math.Clamp(limit, 1, ViolationQuery.MaxLimit);
}
