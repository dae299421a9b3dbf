using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Testing;

namespace FlinkOpsBot.AzureTables.Tests.Stores;

[Collection(AzuriteCollection.Name)]
public sealed class TableJobLockStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TableStorageHarness _storage = null!;
    private IJobLockStore _store = null!;

    public async Task InitializeAsync()
    {
        _storage = await TableStorageHarness.StartAsync(azurite);
        _store = _storage.Get<IJobLockStore>();
    }

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task TryAcquireAsync_FreeLock_TakesIt()
    {
        var candidate = Lock(RunId.New());

        Assert.Null(await _store.TryAcquireAsync(candidate, replacing: null, CancellationToken.None));

        Assert.Equal(candidate, await _store.GetAsync("prod-eu", "orders-enricher", CancellationToken.None));
    }

    [Fact]
    public async Task TryAcquireAsync_HeldByAnotherRun_ReturnsTheHolder()
    {
        var holder = Lock(RunId.New());
        await _store.TryAcquireAsync(holder, null, CancellationToken.None);

        var refused = await _store.TryAcquireAsync(Lock(RunId.New()), null, CancellationToken.None);

        Assert.Equal(holder, refused);
        Assert.Equal(holder, await _store.GetAsync("prod-eu", "orders-enricher", CancellationToken.None));
    }

    [Fact]
    public async Task TryAcquireAsync_HeldBySameRun_Succeeds()
    {
        var holder = Lock(RunId.New());
        await _store.TryAcquireAsync(holder, null, CancellationToken.None);

        Assert.Null(await _store.TryAcquireAsync(holder with { AcquiredAt = holder.AcquiredAt.AddMinutes(1) }, null, CancellationToken.None));
    }

    [Fact]
    public async Task TryAcquireAsync_ReplacingTheHolder_TakesOver()
    {
        var stale = Lock(RunId.New());
        await _store.TryAcquireAsync(stale, null, CancellationToken.None);
        var candidate = Lock(RunId.New());

        Assert.Null(await _store.TryAcquireAsync(candidate, replacing: stale.RunId, CancellationToken.None));

        Assert.Equal(candidate, await _store.GetAsync("prod-eu", "orders-enricher", CancellationToken.None));
    }

    [Fact]
    public async Task TryAcquireAsync_ReplacingARunThatIsNotTheHolder_ReturnsTheHolder()
    {
        var holder = Lock(RunId.New());
        await _store.TryAcquireAsync(holder, null, CancellationToken.None);

        Assert.Equal(holder, await _store.TryAcquireAsync(Lock(RunId.New()), replacing: RunId.New(), CancellationToken.None));
    }

    [Fact]
    public async Task TryAcquireAsync_ConcurrentCandidates_ExactlyOneWins()
    {
        var candidates = Enumerable.Range(0, 8).Select(_ => Lock(RunId.New())).ToList();

        var results = await Task.WhenAll(candidates.Select(candidate => _store.TryAcquireAsync(candidate, null, CancellationToken.None)));

        var winner = Assert.Single(candidates, candidate => results[candidates.IndexOf(candidate)] is null);
        Assert.All(results.OfType<JobLock>(), holder => Assert.Equal(winner, holder));
        Assert.Equal(winner, await _store.GetAsync("prod-eu", "orders-enricher", CancellationToken.None));
    }

    [Fact]
    public async Task ReleaseAsync_ByAnotherRun_KeepsTheLock()
    {
        var holder = Lock(RunId.New());
        await _store.TryAcquireAsync(holder, null, CancellationToken.None);

        await _store.ReleaseAsync("prod-eu", "orders-enricher", RunId.New(), CancellationToken.None);

        Assert.Equal(holder, await _store.GetAsync("prod-eu", "orders-enricher", CancellationToken.None));
    }

    [Fact]
    public async Task ReleaseAsync_ByTheHolder_FreesTheLockForTheNextRun()
    {
        var holder = Lock(RunId.New());
        await _store.TryAcquireAsync(holder, null, CancellationToken.None);

        await _store.ReleaseAsync("prod-eu", "orders-enricher", holder.RunId, CancellationToken.None);

        Assert.Null(await _store.GetAsync("prod-eu", "orders-enricher", CancellationToken.None));
        Assert.Null(await _store.TryAcquireAsync(Lock(RunId.New()), null, CancellationToken.None));
    }

    [Fact]
    public async Task ReleaseAsync_NoLock_DoesNothing()
    {
        await _store.ReleaseAsync("prod-eu", "orders-enricher", RunId.New(), CancellationToken.None);

        Assert.Null(await _store.GetAsync("prod-eu", "orders-enricher", CancellationToken.None));
    }

    [Fact]
    public async Task TryAcquireAsync_JobNamesWithReservedCharacters_AreDistinctLocks()
    {
        string[] jobNames = ["orders/enricher #2?", @"orders\enricher", "orders~2Fenricher", "Orders-Enricher", "заказы"];
        var locks = jobNames.Select(jobName => Lock(RunId.New(), jobName)).ToList();

        foreach (var candidate in locks) Assert.Null(await _store.TryAcquireAsync(candidate, null, CancellationToken.None));

        foreach (var candidate in locks) Assert.Equal(candidate, await _store.GetAsync("prod-eu", candidate.JobName, CancellationToken.None));
    }

    [Fact]
    public async Task TryAcquireExplicitAsync_FreeJob_TakesItBesideTheRunLock()
    {
        var runLock = Lock(RunId.New());
        await _store.TryAcquireAsync(runLock, null, CancellationToken.None);
        var candidate = Explicit(Ana);

        Assert.Null(await _store.TryAcquireExplicitAsync(candidate, TestRuns.T0, CancellationToken.None));

        Assert.Equal(candidate, await _store.GetExplicitAsync("prod-eu", "orders-enricher", CancellationToken.None));
        Assert.Equal(runLock, await _store.GetAsync("prod-eu", "orders-enricher", CancellationToken.None));
        Assert.Equal([runLock], await _store.ListAsync(CancellationToken.None));
        Assert.Equal([candidate], await _store.ListExplicitAsync(CancellationToken.None));
    }

    [Fact]
    public async Task TryAcquireExplicitAsync_HeldByAnotherPerson_ReturnsTheHolderAndChangesNothing()
    {
        var holder = Explicit(Ana);
        await _store.TryAcquireExplicitAsync(holder, TestRuns.T0, CancellationToken.None);

        var refused = await _store.TryAcquireExplicitAsync(Explicit(Bo, "mine now"), TestRuns.T0.AddMinutes(59), CancellationToken.None);

        Assert.Equal(holder, refused);
        Assert.Equal(holder, await _store.GetExplicitAsync("prod-eu", "orders-enricher", CancellationToken.None));
    }

    [Fact]
    public async Task TryAcquireExplicitAsync_SamePersonAgain_Renews()
    {
        await _store.TryAcquireExplicitAsync(Explicit(Ana), TestRuns.T0, CancellationToken.None);
        var renewal = Explicit(Ana, "still investigating", at: TestRuns.T0.AddMinutes(30));

        Assert.Null(await _store.TryAcquireExplicitAsync(renewal, TestRuns.T0.AddMinutes(30), CancellationToken.None));

        Assert.Equal(renewal, await _store.GetExplicitAsync("prod-eu", "orders-enricher", CancellationToken.None));
    }

    [Fact]
    public async Task TryAcquireExplicitAsync_ExpiredLock_IsTakenByAnotherPerson()
    {
        await _store.TryAcquireExplicitAsync(Explicit(Ana), TestRuns.T0, CancellationToken.None);
        var candidate = Explicit(Bo, at: TestRuns.T0.AddHours(1));

        Assert.Null(await _store.TryAcquireExplicitAsync(candidate, TestRuns.T0.AddHours(1), CancellationToken.None));

        Assert.Equal(candidate, await _store.GetExplicitAsync("prod-eu", "orders-enricher", CancellationToken.None));
    }

    [Fact]
    public async Task TryAcquireExplicitAsync_ConcurrentPeople_ExactlyOneWins()
    {
        var candidates = Enumerable.Range(0, 8).Select(i => Explicit(new Actor("slack", "T0001", $"U10{i}", $"user{i}"))).ToList();

        var results = await Task.WhenAll(candidates.Select(c => _store.TryAcquireExplicitAsync(c, TestRuns.T0, CancellationToken.None)));

        var winner = Assert.Single(candidates, c => results[candidates.IndexOf(c)] is null);
        Assert.All(results.OfType<ExplicitLock>(), holder => Assert.Equal(winner, holder));
        Assert.Equal(winner, await _store.GetExplicitAsync("prod-eu", "orders-enricher", CancellationToken.None));
    }

    [Fact]
    public async Task ReplaceExplicitAsync_TheLockAsRead_ReplacesOrDeletesIt()
    {
        var held = Explicit(Ana);
        await _store.TryAcquireExplicitAsync(held, TestRuns.T0, CancellationToken.None);
        var stolen = Explicit(Bo, "taken over", at: TestRuns.T0.AddMinutes(5));

        Assert.True(await _store.ReplaceExplicitAsync(held, stolen, CancellationToken.None));
        Assert.Equal(stolen, await _store.GetExplicitAsync("prod-eu", "orders-enricher", CancellationToken.None));

        Assert.True(await _store.ReplaceExplicitAsync(stolen, null, CancellationToken.None));
        Assert.Null(await _store.GetExplicitAsync("prod-eu", "orders-enricher", CancellationToken.None));
    }

    [Fact]
    public async Task ReplaceExplicitAsync_LockRenewedSinceRead_ChangesNothing()
    {
        var seen = Explicit(Ana);
        await _store.TryAcquireExplicitAsync(seen, TestRuns.T0, CancellationToken.None);
        var renewed = Explicit(Ana, "renewed", at: TestRuns.T0.AddMinutes(10));
        await _store.TryAcquireExplicitAsync(renewed, TestRuns.T0.AddMinutes(10), CancellationToken.None);

        Assert.False(await _store.ReplaceExplicitAsync(seen, null, CancellationToken.None));
        Assert.False(await _store.ReplaceExplicitAsync(seen, Explicit(Bo), CancellationToken.None));

        Assert.Equal(renewed, await _store.GetExplicitAsync("prod-eu", "orders-enricher", CancellationToken.None));
    }

    [Fact]
    public async Task ReleaseAsync_TheRunLock_LeavesTheExplicitLock()
    {
        var runLock = Lock(RunId.New());
        await _store.TryAcquireAsync(runLock, null, CancellationToken.None);
        var held = Explicit(Ana);
        await _store.TryAcquireExplicitAsync(held, TestRuns.T0, CancellationToken.None);

        await _store.ReleaseAsync("prod-eu", "orders-enricher", runLock.RunId, CancellationToken.None);

        Assert.Null(await _store.GetAsync("prod-eu", "orders-enricher", CancellationToken.None));
        Assert.Equal(held, await _store.GetExplicitAsync("prod-eu", "orders-enricher", CancellationToken.None));
        Assert.Empty(await _store.ListAsync(CancellationToken.None));
    }

    private static readonly Actor Ana = new("slack", "T0001", "U0001", "Ana");
    private static readonly Actor Bo = new("slack", "T0001", "U0002", "Bo");

    private static ExplicitLock Explicit(Actor holder, string reason = "incident INC-42: hands off", DateTimeOffset? at = null) =>
        new("prod-eu", "orders-enricher", holder, reason, at ?? TestRuns.T0, (at ?? TestRuns.T0).AddHours(1));

    private static JobLock Lock(RunId run, string jobName = "orders-enricher") =>
        new("prod-eu", jobName, run, "upgrade", new Actor("slack", "T0001", "U0001", "Ana"), TestRuns.T0);
}
