// Two namespaces that depend on each other, so that the cycle rule is shown to fail when a cycle exists.
namespace SecureHeaders.ArchitectureTests.Fixture.First
{
    internal sealed class UsesSecond
    {
        public Second.UsesFirst? Other { get; set; }
    }
}

namespace SecureHeaders.ArchitectureTests.Fixture.Second
{
    internal sealed class UsesFirst
    {
        public First.UsesSecond? Other { get; set; }
    }
}
