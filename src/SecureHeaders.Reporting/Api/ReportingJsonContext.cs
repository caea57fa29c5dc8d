using System.Text.Json;
using System.Text.Json.Serialization;
using SecureHeaders.Reporting.Suggestions;

namespace SecureHeaders.Reporting.Api;

/// <summary>The JSON shape of <c>GET {ApiPath}/violations</c>.</summary>
/// <param name="Total">Reports stored that match the filters: the sum of the counts, before the limit.</param>
/// <param name="Violations">The matching violations.</param>
internal sealed record ViolationsResponse(long Total, IReadOnlyList<Violation> Violations);

/// <summary>The JSON shape of <c>GET {ApiPath}/timeline</c>.</summary>
internal sealed record TimelineResponse(int BucketSeconds, IReadOnlyList<TimelinePoint> Points);

/// <summary>The body of <c>POST {ApiPath}/sessions</c>.</summary>
/// <param name="Name">Optional label of the session.</param>
internal sealed record SessionRequest(string? Name);

/// <summary>The body of <c>POST {ApiPath}/opt-ins</c>: allow one rejected addition, with the reason.</summary>
internal sealed record OptInRequest(string? Policy, string? Directive, string? Source, string? Reason);

/// <summary>An error answer of the API.</summary>
internal sealed record ApiError(string Error);

/// <summary>Source-generated serialization for the API: camelCase, nulls left out, no reflection at run time.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, WriteIndented = false)]
[JsonSerializable(typeof(ViolationsResponse))]
[JsonSerializable(typeof(TimelineResponse))]
[JsonSerializable(typeof(LearnedPolicy))]
[JsonSerializable(typeof(LearningResult))]
[JsonSerializable(typeof(LearningSession))]
[JsonSerializable(typeof(IReadOnlyList<LearningSession>))]
[JsonSerializable(typeof(LearningOptIn))]
[JsonSerializable(typeof(OptInRequest))]
[JsonSerializable(typeof(SessionRequest))]
[JsonSerializable(typeof(ApiError))]
[JsonSerializable(typeof(ViolationQueryResult))]
internal sealed partial class ReportingJsonContext : JsonSerializerContext;
