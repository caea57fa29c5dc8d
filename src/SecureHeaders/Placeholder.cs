namespace SecureHeaders;
/// <summary>Placeholder.</summary>
public static class Placeholder { }
