using SecureHeaders.Reporting.Storage;

namespace SecureHeaders.Reporting.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="IViolationStore"/> must have. Each store's test class derives from this one, so
/// SQLite and PostgreSQL run the same suite. This file is shared by link with the PostgreSQL test project.
/// </summary>
public abstract class ViolationStoreContract : IAsyncLifetime
{
    protected static readonly DateTimeOffset T0 = new(2026, 11, 20, 10, 15, 0, TimeSpan.Zero);

    private IViolationStore? _store;

    protected IViolationStore Store => _store ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>Creates an empty store (for example a fresh file or schema).</summary>
    protected abstract ValueTask<IViolationStore> CreateStoreAsync();

    /// <summary>Creates a second store instance over the same data, as another process would.</summary>
    protected abstract IViolationStore OpenSecondInstance();

    /// <summary>Removes what <see cref="CreateStoreAsync"/> created.</summary>
    protected abstract ValueTask DropStoreAsync();

    public async ValueTask InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await _store.InitializeAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await DropStoreAsync();
        GC.SuppressFinalize(this);
    }

    protected static Violation V(string fp, long count = 1, DateTimeOffset? first = null, DateTimeOffset? last = null,
        string directive = "script-src-elem", string blocked = "https://cdn.example.net", string disposition = "enforce",
        string type = ReportTypes.CspViolation, string? page = "https://shop.example.com/cart", string? sample = null, string? policy = null,
        string attributed = "", long session = 0) => new()
    {
        Fingerprint = fp,
        Type = type,
        Disposition = disposition,
        DocumentOrigin = "https://shop.example.com",
        Directive = directive,
        BlockedUri = blocked,
        SourceHost = "shop.example.com",
        Count = count,
        FirstSeen = first ?? T0,
        LastSeen = last ?? first ?? T0,
        DocumentUrl = page,
        BlockedUrl = blocked.StartsWith("https", StringComparison.Ordinal) ? blocked + "/lib.js" : null,
        SourceFile = "https://shop.example.com/app.js",
        LineNumber = 12,
        ColumnNumber = 3,
        Sample = sample,
        OriginalPolicy = policy,
        StatusCode = 200,
        Policy = attributed,
        Session = session,
    };

    protected static ViolationBatch Batch(params Violation[] violations) =>
        new(violations, [.. violations.Select(v => new HourlyCount(v.Fingerprint, v.LastSeen, v.Count))], []);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Round_trips_every_field()
    {
        var v = V("a1", count: 3, first: T0, last: T0.AddMinutes(5), sample: "alert(1)", policy: "default-src 'self'", attributed: "widget", session: 7);
        await Store.WriteAsync(Batch(v), Ct);
        var result = await Store.QueryAsync(new ViolationQuery(), Ct);
        Assert.Equal(3, result.Total);
        Assert.Equal(v, Assert.Single(result.Violations));
    }

    [Fact]
    public async Task Writes_merge_counts_times_and_newest_details()
    {
        await Store.WriteAsync(Batch(V("a1", count: 2, first: T0.AddMinutes(10), page: "https://shop.example.com/new", sample: "x()")), Ct);
        await Store.WriteAsync(Batch(V("a1", count: 5, first: T0, last: T0.AddMinutes(5), page: "https://shop.example.com/old")), Ct);
        await Store.WriteAsync(Batch(V("a1", count: 1, first: T0.AddMinutes(20), page: "https://shop.example.com/newest")), Ct);

        var v = Assert.Single((await Store.QueryAsync(new ViolationQuery(), Ct)).Violations);
        Assert.Equal(8, v.Count);
        Assert.Equal(T0, v.FirstSeen);
        Assert.Equal(T0.AddMinutes(20), v.LastSeen);
        Assert.Equal("https://shop.example.com/newest", v.DocumentUrl);
        // The newest report had no sample: keep the one seen before rather than lose it.
        Assert.Equal("x()", v.Sample);
    }

    [Fact]
    public async Task Total_is_the_sum_of_counts_and_ignores_the_limit()
    {
        await Store.WriteAsync(Batch(V("a", 5), V("b", 7), V("c", 1)), Ct);
        var result = await Store.QueryAsync(new ViolationQuery { Limit = 1 }, Ct);
        Assert.Equal(13, result.Total);
        Assert.Equal("b", Assert.Single(result.Violations).Fingerprint);
    }

    [Fact]
    public async Task Filters_by_since_directive_type_and_disposition()
    {
        await Store.WriteAsync(Batch(
            V("old", 1, first: T0.AddDays(-3)),
            V("img", 2, directive: "img-src"),
            V("ro", 4, disposition: "report"),
            V("coep", 8, type: ReportTypes.Coep, directive: "coep:corp")), Ct);

        Assert.Equal(14, (await Store.QueryAsync(new ViolationQuery { Since = T0.AddDays(-1) }, Ct)).Total);
        Assert.Equal(["img"], (await Store.QueryAsync(new ViolationQuery { Directive = "img-src" }, Ct)).Violations.Select(v => v.Fingerprint));
        Assert.Equal(["ro"], (await Store.QueryAsync(new ViolationQuery { Disposition = "report" }, Ct)).Violations.Select(v => v.Fingerprint));
        Assert.Equal(7, (await Store.QueryAsync(new ViolationQuery { Type = ReportTypes.CspViolation }, Ct)).Total);
    }

    [Fact]
    public async Task Orders_by_count_or_last_seen()
    {
        await Store.WriteAsync(Batch(V("many", 9, first: T0), V("recent", 1, first: T0.AddHours(1)), V("mid", 3, first: T0.AddMinutes(30))), Ct);
        Assert.Equal(["many", "mid", "recent"], (await Store.QueryAsync(new ViolationQuery(), Ct)).Violations.Select(v => v.Fingerprint));
        Assert.Equal(["recent", "mid", "many"],
            (await Store.QueryAsync(new ViolationQuery { OrderBy = ViolationOrder.LastSeen }, Ct)).Violations.Select(v => v.Fingerprint));
    }

    [Fact]
    public async Task Timeline_sums_hours_and_filters_by_directive()
    {
        var batch = new ViolationBatch(
            [V("a", 3), V("b", 4, directive: "img-src")],
            [new HourlyCount("a", T0, 1), new HourlyCount("a", T0.AddHours(1), 2), new HourlyCount("b", T0.AddMinutes(30), 4)],
            []);
        await Store.WriteAsync(batch, Ct);
        await Store.WriteAsync(new ViolationBatch([V("a", 1)], [new HourlyCount("a", T0.AddHours(1).AddMinutes(30), 1)], []), Ct);

        var hour = new DateTimeOffset(2026, 11, 20, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal([new TimelinePoint(hour, 5), new TimelinePoint(hour.AddHours(1), 3)], await Store.GetTimelineAsync(T0.AddHours(-5), null, Ct));
        Assert.Equal([new TimelinePoint(hour.AddHours(1), 3)], await Store.GetTimelineAsync(T0.AddHours(1), null, Ct));
        Assert.Equal([new TimelinePoint(hour, 4)], await Store.GetTimelineAsync(T0.AddHours(-5), "img-src", Ct));
    }

    [Fact]
    public async Task Samples_count_up_and_stop_growing_at_the_cap()
    {
        var samples = Enumerable.Range(0, StoreLimits.MaxSamplesPerViolation + 5)
            .Select(i => new ViolationSample("a", "s" + i, 1, T0, T0)).ToList();
        await Store.WriteAsync(new ViolationBatch([V("a")], [], samples), Ct);
        await Store.WriteAsync(new ViolationBatch([V("a")], [], [new ViolationSample("a", "s0", 4, T0.AddMinutes(-1), T0.AddMinutes(1))]), Ct);

        var stored = await Store.GetSamplesAsync(["a", "missing"], Ct);
        Assert.Equal(StoreLimits.MaxSamplesPerViolation, stored.Count);
        var s0 = Assert.Single(stored, s => s.Sample == "s0");
        Assert.Equal(5, s0.Count);
        Assert.Equal(T0.AddMinutes(-1), s0.FirstSeen);
        Assert.Equal(T0.AddMinutes(1), s0.LastSeen);
        Assert.Equal("s0", stored[0].Sample);
        Assert.Empty(await Store.GetSamplesAsync([], Ct));
    }

    [Fact]
    public async Task Retention_deletes_by_age_then_by_row_count_with_their_hours_and_samples()
    {
        await Store.WriteAsync(new ViolationBatch(
            [V("stale", 5, first: T0.AddDays(-40)), V("a", 1, first: T0.AddMinutes(1)), V("b", 1, first: T0.AddMinutes(2)), V("c", 1, first: T0.AddMinutes(3))],
            [new HourlyCount("stale", T0.AddDays(-40), 5), new HourlyCount("a", T0, 1)],
            [new ViolationSample("stale", "x", 1, T0, T0), new ViolationSample("a", "y", 1, T0, T0)]), Ct);

        var deleted = await Store.ApplyRetentionAsync(T0.AddDays(-30), maxViolations: 2, Ct);

        Assert.Equal(2, deleted);
        var left = await Store.QueryAsync(new ViolationQuery(), Ct);
        Assert.Equal(["b", "c"], left.Violations.Select(v => v.Fingerprint).Order());
        Assert.Equal(2, left.Total);
        Assert.Empty(await Store.GetTimelineAsync(T0.AddDays(-50), null, Ct));
        Assert.Empty(await Store.GetSamplesAsync(["stale", "a"], Ct));
    }

    [Fact]
    public async Task Concurrent_writers_over_the_same_data_lose_no_count()
    {
        var other = OpenSecondInstance();
        await other.InitializeAsync(Ct);
        var writers = new List<Task>();
        for (var w = 0; w < 4; w++)
        {
            var store = w % 2 == 0 ? Store : other;
            writers.Add(Task.Run(async () =>
            {
                for (var i = 0; i < 25; i++)
                {
                    // Overlapping fingerprints in different orders: the classic deadlock and lost-update shape.
                    var batch = i % 2 == 0 ? Batch(V("x", 1), V("y", 2)) : Batch(V("y", 2), V("x", 1));
                    await store.WriteAsync(batch, Ct);
                }
            }, Ct));
        }

        await Task.WhenAll(writers);
        var result = await Store.QueryAsync(new ViolationQuery(), Ct);
        Assert.Equal(4 * 25 * 3, result.Total);
        Assert.Equal(100, result.Violations.Single(v => v.Fingerprint == "x").Count);
    }

    [Fact]
    public async Task Initialize_is_idempotent()
    {
        await Store.WriteAsync(Batch(V("a", 2)), Ct);
        await Store.InitializeAsync(Ct);
        var again = OpenSecondInstance();
        await again.InitializeAsync(Ct);
        Assert.Equal(2, (await again.QueryAsync(new ViolationQuery(), Ct)).Total);
    }

    [Fact]
    public async Task Filters_by_policy_and_session()
    {
        await Store.WriteAsync(Batch(V("d", 1, attributed: "default"), V("w", 2, attributed: "widget", session: 3), V("u", 4), V("w0", 8, attributed: "widget")), Ct);
        Assert.Equal(["w0", "w"], (await Store.QueryAsync(new ViolationQuery { Policy = "widget" }, Ct)).Violations.Select(v => v.Fingerprint));
        Assert.Equal(["w"], (await Store.QueryAsync(new ViolationQuery { Policy = "widget", Session = 3 }, Ct)).Violations.Select(v => v.Fingerprint));
        Assert.Equal(13, (await Store.QueryAsync(new ViolationQuery { Session = 0 }, Ct)).Total);
        Assert.Equal(["u"], (await Store.QueryAsync(new ViolationQuery { Policy = "" }, Ct)).Violations.Select(v => v.Fingerprint));
    }

    [Fact]
    public async Task Pages_and_clients_count_up_and_stop_growing_at_the_cap()
    {
        var pages = Enumerable.Range(0, ViolationTally.MaxPerViolation + 4)
            .Select(i => new ViolationTally("a", "https://shop.example.com/p" + i, 1, T0, T0)).ToList();
        await Store.WriteAsync(Batch(V("a"), V("b")) with { Documents = pages, Clients = [new ViolationTally("a", "c1", 2, T0, T0), new ViolationTally("b", "c1", 1, T0, T0)] }, Ct);
        await Store.WriteAsync(Batch(V("a")) with
        {
            Documents = [new ViolationTally("a", "https://shop.example.com/p0", 3, T0.AddMinutes(-1), T0.AddMinutes(2))],
            Clients = [new ViolationTally("a", "c1", 1, T0, T0.AddMinutes(1)), new ViolationTally("a", "c2", 1, T0, T0)],
        }, Ct);

        var evidence = await Store.GetEvidenceAsync(["a", "b", "missing"], Ct);
        Assert.Equal(ViolationTally.MaxPerViolation, evidence.Documents.Count(d => d.Fingerprint == "a"));
        var p0 = Assert.Single(evidence.Documents, d => d.Value.EndsWith("/p0", StringComparison.Ordinal));
        Assert.Equal((4, T0.AddMinutes(-1), T0.AddMinutes(2)), (p0.Count, p0.FirstSeen, p0.LastSeen));
        Assert.Equal([("a", "c1", 3L), ("a", "c2", 1L), ("b", "c1", 1L)], evidence.Clients.Select(c => (c.Fingerprint, c.Value, c.Count)).OrderBy(c => c.Fingerprint).ThenBy(c => c.Value));
        Assert.Same(ViolationEvidence.Empty, await Store.GetEvidenceAsync([], Ct));
    }

    [Fact]
    public async Task Retention_also_deletes_pages_and_clients()
    {
        await Store.WriteAsync(Batch(V("stale", 1, first: T0.AddDays(-40)), V("kept", 1)) with
        {
            Documents = [new ViolationTally("stale", "p", 1, T0, T0), new ViolationTally("kept", "p", 1, T0, T0)],
            Clients = [new ViolationTally("stale", "c", 1, T0, T0)],
        }, Ct);
        await Store.ApplyRetentionAsync(T0.AddDays(-30), 100, Ct);
        var evidence = await Store.GetEvidenceAsync(["stale", "kept"], Ct);
        Assert.Equal(["kept"], evidence.Documents.Select(d => d.Fingerprint));
        Assert.Empty(evidence.Clients);
    }

    [Fact]
    public async Task Sessions_start_end_and_list_newest_first()
    {
        Assert.Empty(await Store.GetSessionsAsync(Ct));
        var first = await Store.StartSessionAsync("before release", T0, Ct);
        var second = await Store.StartSessionAsync(null, T0.AddHours(1), Ct);
        Assert.True(second.Id > first.Id);

        var sessions = await Store.GetSessionsAsync(Ct);
        Assert.Equal([second.Id, first.Id], sessions.Select(s => s.Id));
        // Starting a session ends the open one at the same instant: at most one is open.
        Assert.Equal(T0.AddHours(1), sessions[1].EndedAt);
        Assert.Null(sessions[0].EndedAt);
        Assert.Equal("before release", sessions[1].Name);

        var ended = await Store.EndSessionAsync(second.Id, T0.AddHours(2), Ct);
        Assert.Equal(new LearningSession(second.Id, null, T0.AddHours(1), T0.AddHours(2)), ended);
        // Ending again keeps the first end; an unknown id is null.
        Assert.Equal(T0.AddHours(2), (await Store.EndSessionAsync(second.Id, T0.AddHours(5), Ct))!.EndedAt);
        Assert.Null(await Store.EndSessionAsync(9999, T0, Ct));
        Assert.True(ended!.Contains(T0.AddHours(1.5)));
        Assert.False(ended.Contains(T0.AddHours(2.5)));
    }

    [Fact]
    public async Task App_policies_are_replaced_as_a_whole()
    {
        Assert.Same(AppPolicySnapshot.Empty, await Store.GetAppPoliciesAsync(Ct));
        await Store.RecordAppPoliciesAsync(new AppPolicySnapshot(
            [new AppPolicy("default", "enforce", "default-src 'self'"), new AppPolicy("old", "report", "default-src 'none'")],
            [new AppInlineHash("'sha256-abc='", "script")], T0), Ct);
        var snapshot = new AppPolicySnapshot(
            [new AppPolicy("default", "enforce", "default-src 'self'; script-src 'self' 'nonce'"), new AppPolicy("default", "report", "script-src 'nonce' 'strict-dynamic'")],
            [new AppInlineHash("'sha256-def='", "script-attribute")], T0.AddHours(1));
        await Store.RecordAppPoliciesAsync(snapshot, Ct);

        var read = await OpenSecondInstance().GetAppPoliciesAsync(Ct);
        Assert.Equal(snapshot.Policies, read.Policies);
        Assert.Equal(snapshot.InlineHashes, read.InlineHashes);
        Assert.Equal(T0.AddHours(1), read.RecordedAt);
        Assert.True(read.Knows("default"));
        Assert.False(read.Knows("old"));
        Assert.Equal("script-src 'nonce' 'strict-dynamic'", read.Find("default", "report")!.Csp);
    }

    [Fact]
    public async Task Opt_ins_are_kept_in_order()
    {
        var a = new LearningOptIn("default", "form-action", "https://pay.example", "payment provider", "alice", T0);
        var b = new LearningOptIn("default", "script-src", "'unsafe-eval'", "legacy charts", "bob", T0.AddMinutes(1));
        await Store.AddOptInAsync(a, Ct);
        await Store.AddOptInAsync(b, Ct);
        Assert.Equal([a, b], await Store.GetOptInsAsync(Ct));
    }

    [Fact]
    public async Task The_pseudonym_key_is_created_once_and_shared_by_instances()
    {
        var key = await Store.GetPseudonymKeyAsync(Ct);
        Assert.Equal(32, key.Length);
        var other = OpenSecondInstance();
        await other.InitializeAsync(Ct);
        Assert.Equal(key, await other.GetPseudonymKeyAsync(Ct));
    }
}
