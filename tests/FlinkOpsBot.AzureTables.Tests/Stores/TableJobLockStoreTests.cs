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

    private static JobLock Lock(RunId run, string jobName = "orders-enricher") =>
        new("prod-eu", jobName, run, "upgrade", new Actor("slack", "T0001", "U0001", "Ana"), TestRuns.T0);
}
