using FlinkOpsBot.AzureTables.Rest;
using FlinkOpsBot.AzureTables.Stores;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Testing;

namespace FlinkOpsBot.AzureTables.Tests.Stores;

[Collection(AzuriteCollection.Name)]
public sealed class TableRunStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly ManualTimeProvider _time = new(TestRuns.T0);
    private TableStorageHarness _storage = null!;
    private IRunStore _store = null!;

    public async Task InitializeAsync()
    {
        _storage = await TableStorageHarness.StartAsync(azurite, _time);
        _store = _storage.Get<IRunStore>();
    }

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task GetAsync_AfterCreate_ReturnsTheRunWithItsETag()
    {
        var run = TestRuns.New();
        run.Vars[RunVars.StopTriggerId] = "a1b2c3";

        var etag = await _store.CreateAsync(run, CancellationToken.None);
        var stored = await _store.GetAsync(run.Id, CancellationToken.None);

        Assert.NotNull(stored);
        Assert.Equal(etag, stored.ETag);
        Assert.Equal(TestRuns.Json(run), TestRuns.Json(stored.Value));
    }

    [Fact]
    public async Task GetAsync_RunWithAPlanAndPlanBoundApproval_RoundTripsWithTheSameHash()
    {
        var run = TestRuns.New();
        run.Plan = new Core.Plans.RunPlan("upgrade", "demo", "orders-enricher", "a1b2c3d4e5f60718293a4b5c6d7e8f90", "u1_orders-2.3.1.jar", "u2_orders-2.4.0.jar",
            4, 6, "s3://flink/savepoints", true, "orders-2.3.1.jar from the same savepoint", ["stop-with-savepoint: Stop"], ["cancel-job: Cancel"],
            [new Core.Plans.PlanCheck("no-failed-checkpoints", "No recent checkpoint failures", Core.Checks.CheckOutcome.Pass, "failedSinceStart=1; latestFailed=12")],
            new Core.Plans.DowntimeEstimate(32, "2 × 1 s + 30 s"));
        run.PlanChanges = ["Current parallelism changed: 2 → 4 (the job was rescaled)"];
        run.Approvals.Add(new Approval(new Core.Identity.Actor("slack", "T1", "U2", "bo"), TestRuns.T0, null, run.Plan.Hash));

        await _store.CreateAsync(run, CancellationToken.None);
        var stored = (await _store.GetAsync(run.Id, CancellationToken.None))!.Value;

        Assert.Equal(TestRuns.Json(run), TestRuns.Json(stored));
        Assert.Equal(run.Plan.Hash, stored.Plan!.Hash);
        Assert.Equal(run.Plan.Hash, Assert.Single(stored.Approvals).PlanHash);
        Assert.DoesNotContain("\"hash\"", TestRuns.Json(stored), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_UnknownId_ReturnsNull()
    {
        Assert.Null(await _store.GetAsync(RunId.New(), CancellationToken.None));
    }

    [Fact]
    public async Task CreateAsync_ExistingId_ThrowsConcurrencyConflictAndKeepsTheFirst()
    {
        var first = TestRuns.New();
        await _store.CreateAsync(first, CancellationToken.None);
        var second = TestRuns.New(TestRuns.T0.AddMinutes(1), id: first.Id, jar: "other.jar");

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.CreateAsync(second, CancellationToken.None));

        var stored = await _store.GetAsync(first.Id, CancellationToken.None);
        Assert.Equal(TestRuns.Json(first), TestRuns.Json(stored!.Value));
    }

    [Fact]
    public async Task ReplaceAsync_CurrentETag_StoresTheRunAndReturnsANewETag()
    {
        var run = TestRuns.New();
        var etag = await _store.CreateAsync(run, CancellationToken.None);
        run.State = RunState.CheckingPreconditions;

        var next = await _store.ReplaceAsync(run, etag, CancellationToken.None);

        var stored = await _store.GetAsync(run.Id, CancellationToken.None);
        Assert.NotEqual(etag, next);
        Assert.Equal(next, stored!.ETag);
        Assert.Equal(RunState.CheckingPreconditions, stored.Value.State);
    }

    [Fact]
    public async Task ReplaceAsync_StaleETag_ThrowsConcurrencyConflictAndKeepsTheWinner()
    {
        var run = TestRuns.New();
        var etag = await _store.CreateAsync(run, CancellationToken.None);
        run.State = RunState.CheckingPreconditions;
        await _store.ReplaceAsync(run, etag, CancellationToken.None);
        run.State = RunState.Cancelled;

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.ReplaceAsync(run, etag, CancellationToken.None));

        Assert.Equal(RunState.CheckingPreconditions, (await _store.GetAsync(run.Id, CancellationToken.None))!.Value.State);
    }

    [Fact]
    public async Task ReplaceAsync_RunNeverCreated_ThrowsConcurrencyConflict()
    {
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.ReplaceAsync(TestRuns.New(), "W/\"datetime'2026-01-15T09%3A00%3A00Z'\"", CancellationToken.None));
    }

    [Fact]
    public async Task ListActiveAsync_TerminalRuns_AreExcludedAndLeaveTheIndex()
    {
        var requested = TestRuns.New();
        var executing = TestRuns.New(state: RunState.Executing);
        var succeeded = TestRuns.New();
        var createdTerminal = TestRuns.New(state: RunState.Rejected);
        await _store.CreateAsync(requested, CancellationToken.None);
        await _store.CreateAsync(executing, CancellationToken.None);
        await _store.CreateAsync(createdTerminal, CancellationToken.None);
        var etag = await _store.CreateAsync(succeeded, CancellationToken.None);
        succeeded.State = RunState.Succeeded;
        await _store.ReplaceAsync(succeeded, etag, CancellationToken.None);

        var active = await _store.ListActiveAsync(CancellationToken.None);

        Assert.Equal(Ids(requested, executing), active.Select(run => run.Id.Value).Order());
        Assert.Equal(Ids(requested, executing), await ActiveIndexAsync());
    }

    [Fact]
    public async Task ListActiveAsync_IndexRowWithoutRun_IsRemovedOnlyAfterTheGrace()
    {
        var orphan = RunId.New();
        await _storage.Tables.Runs.UpsertEntityAsync(new TableEntity("active", orphan.Value) { ["CreatedAt"] = _time.GetUtcNow() }, CancellationToken.None);

        Assert.Empty(await _store.ListActiveAsync(CancellationToken.None));
        Assert.Equal([orphan.Value], await ActiveIndexAsync());

        _time.Advance(TableRunStore.OrphanGrace + TimeSpan.FromSeconds(1));
        Assert.Empty(await _store.ListActiveAsync(CancellationToken.None));
        Assert.Empty(await ActiveIndexAsync());
    }

    [Fact]
    public async Task ListActiveAsync_AfterReplaceToActive_IncludesRunWhoseIndexRowWasLost()
    {
        var run = TestRuns.New();
        var etag = await _store.CreateAsync(run, CancellationToken.None);
        await _storage.Tables.Runs.DeleteEntityAsync("active", run.Id.Value, "*", CancellationToken.None);
        run.State = RunState.AwaitingApproval;

        await _store.ReplaceAsync(run, etag, CancellationToken.None);

        Assert.Equal(run.Id, Assert.Single(await _store.ListActiveAsync(CancellationToken.None)).Id);
    }

    [Fact]
    public async Task ListRecentAsync_ManyRuns_ReturnsNewestFirstUpToMax()
    {
        var runs = Enumerable.Range(0, 6).Select(minutes => TestRuns.New(TestRuns.T0.AddMinutes(minutes))).ToList();
        foreach (var run in runs.OrderBy(_ => Guid.NewGuid())) await _store.CreateAsync(run, CancellationToken.None);

        var recent = await _store.ListRecentAsync(4, CancellationToken.None);

        Assert.Equal(runs.AsEnumerable().Reverse().Take(4).Select(run => run.Id), recent.Select(run => run.Id));
    }

    [Fact]
    public async Task ListRecentAsync_ReplacedRun_ReturnsTheCurrentVersion()
    {
        var run = TestRuns.New();
        var etag = await _store.CreateAsync(run, CancellationToken.None);
        run.State = RunState.Validating;
        await _store.ReplaceAsync(run, etag, CancellationToken.None);

        Assert.Equal(RunState.Validating, Assert.Single(await _store.ListRecentAsync(10, CancellationToken.None)).State);
    }

    [Fact]
    public async Task ListRecentAsync_CreateThatLostAnIdCollision_IsNotListed()
    {
        var first = TestRuns.New(TestRuns.T0);
        await _store.CreateAsync(first, CancellationToken.None);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _store.CreateAsync(TestRuns.New(TestRuns.T0.AddMinutes(5), id: first.Id), CancellationToken.None));
        var later = TestRuns.New(TestRuns.T0.AddMinutes(1));
        await _store.CreateAsync(later, CancellationToken.None);

        var recent = await _store.ListRecentAsync(2, CancellationToken.None);

        Assert.Equal([later.Id, first.Id], recent.Select(run => run.Id));
    }

    [Fact]
    public async Task ListRecentAsync_MaxZero_ReturnsEmpty()
    {
        await _store.CreateAsync(TestRuns.New(), CancellationToken.None);

        Assert.Empty(await _store.ListRecentAsync(0, CancellationToken.None));
    }

    [Fact]
    public async Task CreateAsync_RunJsonOver64KiB_SplitsAcrossPropertiesAndRoundTrips()
    {
        var run = TestRuns.New();
        for (var i = 0; i < 40; i++) run.HumanActions.Add($"{i}: " + new string('x', 5_000) + " ✓");

        var etag = await _store.CreateAsync(run, CancellationToken.None);
        var entity = await _storage.Tables.Runs.GetEntityIfExistsAsync(run.Id.Value, "run", CancellationToken.None);
        var stored = await _store.GetAsync(run.Id, CancellationToken.None);

        var json = TestRuns.Json(run);
        Assert.True(json.Length > 6 * JsonColumns.MaxPropertyChars);
        Assert.Null(entity!["Json"]);
        Assert.Equal((json.Length + JsonColumns.MaxPropertyChars - 1) / JsonColumns.MaxPropertyChars, entity.GetInt32("JsonParts"));
        Assert.Equal(TestRuns.Json(run), TestRuns.Json(stored!.Value));

        run.HumanActions.Clear();
        await _store.ReplaceAsync(run, etag, CancellationToken.None);
        var small = await _storage.Tables.Runs.GetEntityIfExistsAsync(run.Id.Value, "run", CancellationToken.None);
        Assert.Null(small!["Json0"]);
        Assert.Equal(TestRuns.Json(run), TestRuns.Json((await _store.GetAsync(run.Id, CancellationToken.None))!.Value));
    }

    [Fact]
    public async Task CreateAsync_Run_WritesQueryColumnsBesideTheJson()
    {
        var run = TestRuns.New(state: RunState.AwaitingApproval);

        await _store.CreateAsync(run, CancellationToken.None);

        var entity = await _storage.Tables.Runs.GetEntityIfExistsAsync(run.Id.Value, "run", CancellationToken.None);
        Assert.Equal("AwaitingApproval", entity!.GetString("State"));
        Assert.Equal(true, entity["IsActive"]);
        Assert.Equal(("upgrade", "prod-eu", "orders-enricher"), (entity.GetString("RecipeId"), entity.GetString("Cluster"), entity.GetString("JobName")));
        Assert.Equal(run.CreatedAt, entity.GetDateTimeOffset("CreatedAt"));
    }

    private static string[] Ids(params Run[] runs) => runs.Select(run => run.Id.Value).Order().ToArray();

    private async Task<string[]> ActiveIndexAsync() =>
        (await _storage.Tables.Runs.QueryAsync(TableFilter.Create($"PartitionKey eq {"active"}"), null, CancellationToken.None).ToListAsync())
            .Select(row => row.RowKey).Order().ToArray();
}
