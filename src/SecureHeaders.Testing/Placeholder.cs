namespace SecureHeaders.Testing;
/// <summary>Placeholder.</summary>
public static class Placeholder { }
