using BenchmarkDotNet.Running;
using SecureHeaders.Benchmarks;

// Run with: dotnet run -c Release --project benchmarks/SecureHeaders.Benchmarks -- --filter '*'
// Parser growth on adversarial input: dotnet run -c Release --project benchmarks/SecureHeaders.Benchmarks -- scaling [filter]
if (args.Length > 0 && args[0].StartsWith("scaling", StringComparison.Ordinal))
{
    return ScalingHarness.Run(args);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
