using Assembly = System.Reflection.Assembly;
using ArchUnitNET.Domain;
using ArchUnitNET.Fluent;
using ArchUnitNET.Fluent.Slices;
using ArchUnitNET.Loader;
using static ArchUnitNET.Fluent.ArchRuleDefinition;

namespace SecureHeaders.ArchitectureTests;

/// <summary>
/// The package layout holds: no namespace depends on another that depends back on it, and only the ASP.NET
/// packages reference ASP.NET Core (the model, the analysis, reporting's core and stores, and the CLI run without it).
/// </summary>
public class ArchitectureTests
{
    private static readonly Assembly[] s_withoutAspNet =
    [
        typeof(Headers.HeaderRegistry).Assembly,                    // SecureHeaders
        typeof(Analysis.Grading.SecurityAnalyzer).Assembly,                // SecureHeaders.Analysis
        typeof(Reporting.Violation).Assembly,                      // SecureHeaders.Reporting
        typeof(Reporting.Sqlite.SqliteViolationStore).Assembly,    // SecureHeaders.Reporting.Sqlite
        typeof(Reporting.PostgreSql.PostgreSqlViolationStoreOptions).Assembly,
        Assembly.Load("SecureHeaders.Cli"),
        Assembly.Load("SecureHeaders.Build"),                      // runs inside MSBuild
    ];

    private static readonly Assembly[] s_withAspNet =
    [
        typeof(AspNetCore.SecureHeadersOptions).Assembly,
        typeof(Reporting.AspNetCore.SecureHeadersReportingOptions).Assembly,
        typeof(Testing.SecureHeadersAssertions).Assembly,
    ];

    private static readonly Architecture s_architecture = new ArchLoader().LoadAssemblies([.. s_withoutAspNet, .. s_withAspNet]).Build();

    private static SliceRule NoNamespaceCycles() => SliceRuleDefinition.Slices().Matching("SecureHeaders.(**)").Should().BeFreeOfCycles();

    [Fact]
    public void No_namespace_depends_on_one_that_depends_back_on_it()
    {
        var rule = NoNamespaceCycles();
        Assert.True(rule.HasNoViolations(s_architecture), Describe(rule, s_architecture));
    }

    [Fact]
    public void The_cycle_rule_fails_when_there_is_a_cycle()
    {
        var fixture = new ArchLoader().LoadAssemblies(typeof(ArchitectureTests).Assembly).Build();
        var rule = SliceRuleDefinition.Slices().Matching("SecureHeaders.ArchitectureTests.Fixture.(*)").Should().BeFreeOfCycles();
        Assert.False(rule.HasNoViolations(fixture));
    }

    [Fact]
    public void Packages_that_must_run_without_aspnet_do_not_reference_it()
    {
        foreach (var assembly in s_withoutAspNet)
        {
            var references = assembly.GetReferencedAssemblies().Select(static a => a.Name!).Where(static n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal)).ToList();
            Assert.True(references.Count == 0, $"{assembly.GetName().Name} references {string.Join(", ", references)}.");
        }

        var rule = Types().That().ResideInAssembly(s_withoutAspNet[0], s_withoutAspNet[1..])
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^Microsoft\.AspNetCore(\..*)?$"));
        Assert.True(rule.HasNoViolations(s_architecture), Describe(rule, s_architecture));
    }

    [Fact]
    public void The_model_knows_nothing_of_analysis_reporting_or_hosting()
    {
        var rule = Types().That().ResideInAssembly(s_withoutAspNet[0])
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^(SecureHeaders\.(Analysis|Reporting|AspNetCore|Cli|Testing)|Microsoft\.Extensions\.(Hosting|DependencyInjection|Logging))(\..*)?$"));
        Assert.True(rule.HasNoViolations(s_architecture), Describe(rule, s_architecture));
    }

    [Fact]
    public void Reporting_core_needs_no_web_host()
    {
        var rule = Types().That().ResideInAssembly(s_withoutAspNet[2], s_withoutAspNet[3], s_withoutAspNet[4])
            .Should().NotDependOnAny(Types().That().ResideInNamespaceMatching(@"^(SecureHeaders\.(AspNetCore|Reporting\.AspNetCore|Analysis)|Microsoft\.Extensions\.Hosting)(\..*)?$"));
        Assert.True(rule.HasNoViolations(s_architecture), Describe(rule, s_architecture));
    }

    [Fact]
    public void Log_event_ids_are_unique_in_each_package()
    {
        // The READMEs list each package's events by id; logging filters and dashboards key on them.
        foreach (var assembly in s_withoutAspNet.Concat(s_withAspNet))
        {
            var events = assembly.GetTypes()
                .SelectMany(static t => t.GetMethods(System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.DeclaredOnly))
                .SelectMany(static m => m.GetCustomAttributesData()
                    .Where(static a => a.AttributeType.FullName == "Microsoft.Extensions.Logging.LoggerMessageAttribute")
                    .Select(a => (Id: EventId(a), Method: m.DeclaringType!.Name + "." + m.Name)))
                .ToList();
            var duplicates = events.GroupBy(static e => e.Id).Where(static g => g.Count() > 1)
                .Select(static g => $"{g.Key}: {string.Join(", ", g.Select(static e => e.Method))}").ToList();
            Assert.True(duplicates.Count == 0, $"{assembly.GetName().Name} reuses event ids: {string.Join("; ", duplicates)}");
        }

        static int EventId(System.Reflection.CustomAttributeData attribute) =>
            attribute.ConstructorArguments.Count > 0 && attribute.ConstructorArguments[0].Value is int positional
                ? positional
                : (int)attribute.NamedArguments.Single(static n => n.MemberName == "EventId").TypedValue.Value!;
    }

    private static string Describe(IArchRule rule, Architecture architecture) =>
        string.Join(Environment.NewLine, rule.Evaluate(architecture).Where(static r => !r.Passed).Select(static r => r.Description).Take(100));
}
