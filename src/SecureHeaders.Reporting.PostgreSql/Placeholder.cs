namespace SecureHeaders.Reporting.PostgreSql;
/// <summary>Placeholder.</summary>
public static class Placeholder { }
