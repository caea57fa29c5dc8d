using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;

namespace SecureHeaders.AspNetCore.Tests;

/// <summary>A Production host environment for tests that build SecureHeaders' services without a host.</summary>
internal sealed class TestHostEnvironment : IHostEnvironment
{
    public string EnvironmentName { get; set; } = Environments.Production;

    public string ApplicationName { get; set; } = "test";

    public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

    public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
}
