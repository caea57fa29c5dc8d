namespace SecureHeaders.AspNetCore;
/// <summary>Placeholder.</summary>
public static class Placeholder { }
