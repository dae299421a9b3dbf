using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.Core.Tests.Storage;

/// <summary>The in-memory store's explicit locks behave like the table store's (see TableJobLockStoreTests on Azurite).</summary>
public class InMemoryJobLockStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 15, 9, 0, 0, TimeSpan.Zero);
    private static readonly Actor Ana = new("slack", "T1", "U1", "ana");
    private static readonly Actor Bo = new("slack", "T1", "U2", "bo");
    private readonly InMemoryJobLockStore _store = new();

    [Fact]
    public async Task TryAcquireExplicitAsync_ConcurrentPeopleOnManyThreads_ExactlyOneWins()
    {
        var candidates = Enumerable.Range(0, 32).Select(i => Explicit(new Actor("slack", "T1", $"U{100 + i}", $"user{i}"))).ToList();
        using var start = new ManualResetEventSlim();

        var attempts = candidates.Select(c => Task.Run(() =>
        {
            start.Wait();
            return _store.TryAcquireExplicitAsync(c, T0, CancellationToken.None);
        })).ToList();
        start.Set();
        var results = await Task.WhenAll(attempts);

        var winner = Assert.Single(candidates, c => results[candidates.IndexOf(c)] is null);
        Assert.All(results.OfType<ExplicitLock>(), holder => Assert.Equal(winner, holder));
    }

    [Theory]
    [InlineData(59, false)]
    [InlineData(60, true)]
    public async Task TryAcquireExplicitAsync_AnotherPersonsLock_IsTakenOnlyOnceExpired(int minutesLater, bool taken)
    {
        var held = Explicit(Ana);
        await _store.TryAcquireExplicitAsync(held, T0, CancellationToken.None);
        var candidate = Explicit(Bo, at: T0.AddMinutes(minutesLater));

        var holder = await _store.TryAcquireExplicitAsync(candidate, T0.AddMinutes(minutesLater), CancellationToken.None);

        Assert.Equal(taken ? null : held, holder);
        Assert.Equal(taken ? candidate : held, await _store.GetExplicitAsync("demo", "orders-enricher", CancellationToken.None));
    }

    [Fact]
    public async Task ReplaceExplicitAsync_OnlyTheLockAsRead()
    {
        var seen = Explicit(Ana);
        await _store.TryAcquireExplicitAsync(seen, T0, CancellationToken.None);
        var renewed = Explicit(Ana, at: T0.AddMinutes(10));
        Assert.Null(await _store.TryAcquireExplicitAsync(renewed, T0.AddMinutes(10), CancellationToken.None));

        Assert.False(await _store.ReplaceExplicitAsync(seen, Explicit(Bo), CancellationToken.None));
        Assert.True(await _store.ReplaceExplicitAsync(renewed, null, CancellationToken.None));

        Assert.Null(await _store.GetExplicitAsync("demo", "orders-enricher", CancellationToken.None));
        Assert.Empty(await _store.ListExplicitAsync(CancellationToken.None));
    }

    private static ExplicitLock Explicit(Actor holder, DateTimeOffset? at = null) =>
        new("demo", "orders-enricher", holder, "INC-42", at ?? T0, (at ?? T0).AddHours(1));
}
