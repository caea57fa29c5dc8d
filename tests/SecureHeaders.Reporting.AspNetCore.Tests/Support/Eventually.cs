namespace SecureHeaders.Reporting.AspNetCore.Tests.Support;

/// <summary>Polls a condition until it holds or a deadline passes: the only kind of waiting the tests do.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, string what, int timeoutMs = 20_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting until " + what + ".");
            await Task.Delay(10, TestContext.Current.CancellationToken);
        }
    }
}
