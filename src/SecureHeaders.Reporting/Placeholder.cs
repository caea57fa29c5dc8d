namespace SecureHeaders.Reporting;
/// <summary>Placeholder.</summary>
public static class Placeholder { }
