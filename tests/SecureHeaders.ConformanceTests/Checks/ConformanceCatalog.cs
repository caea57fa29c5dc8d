namespace SecureHeaders.ConformanceTests.Checks;

/// <summary>Every <see cref="ConformanceCheck"/> in this assembly, found by reflection, in id order.</summary>
public static class ConformanceCatalog
{
    public static IReadOnlyList<ConformanceCheck> All { get; } =
    [
        .. typeof(ConformanceCheck).Assembly.GetTypes()
            .Where(static t => t is { IsAbstract: false, IsClass: true } && t.IsSubclassOf(typeof(ConformanceCheck)))
            .Select(static t => (ConformanceCheck)Activator.CreateInstance(t)!)
            .OrderBy(static c => c.Id, StringComparer.Ordinal),
    ];

    public static ConformanceCheck Get(string id) => All.FirstOrDefault(c => c.Id == id)
        ?? throw new ArgumentException($"No conformance check has the id {id}.", nameof(id));
}
