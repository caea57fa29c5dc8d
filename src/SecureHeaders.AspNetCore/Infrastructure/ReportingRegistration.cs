namespace SecureHeaders.AspNetCore.Infrastructure;

/// <summary>
/// Registered by <c>AddSecureHeadersReporting()</c>: the <c>SecureHeaders:Reporting</c> section then belongs to the
/// reporting package, which binds and validates it; without it, settings there would be ignored, so they are an error.
/// </summary>
internal sealed class ReportingRegistration;
