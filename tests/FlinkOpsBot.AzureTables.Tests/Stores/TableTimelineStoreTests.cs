using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;
using FlinkOpsBot.Testing;

namespace FlinkOpsBot.AzureTables.Tests.Stores;

[Collection(AzuriteCollection.Name)]
public sealed class TableTimelineStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly RunId _run = RunId.New();
    private TableStorageHarness _storage = null!;
    private ITimelineStore _store = null!;

    public async Task InitializeAsync()
    {
        _storage = await TableStorageHarness.StartAsync(azurite);
        _store = _storage.Get<ITimelineStore>();
    }

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task ListAsync_EventsAppendedOutOfOrder_ReturnsThemInSequenceOrder()
    {
        await _store.AppendAsync([Event(_run, 10), Event(_run, 2)], CancellationToken.None);
        await _store.AppendAsync([Event(_run, 0), Event(_run, 1)], CancellationToken.None);

        var events = await _store.ListAsync(_run, CancellationToken.None);

        Assert.Equal([0, 1, 2, 10], events.Select(e => e.Sequence));
    }

    [Fact]
    public async Task ListAsync_AfterAppend_RoundTripsTheEvent()
    {
        var appended = Event(_run, 0, "Stopped with savepoint") with
        {
            Actor = new Actor("teams", "tenant-1", "object-1", "Ana"),
            Evidence = new Dictionary<string, string> { ["savepointPath"] = "s3://savepoints/sp-1", ["jobId"] = "a1b2" },
        };

        await _store.AppendAsync([appended], CancellationToken.None);

        Assert.Equal(CoreJson.Serialize(appended), CoreJson.Serialize(Assert.Single(await _store.ListAsync(_run, CancellationToken.None))));
    }

    [Fact]
    public async Task AppendAsync_SameRunAndSequence_OverwritesTheEvent()
    {
        await _store.AppendAsync([Event(_run, 0), Event(_run, 1, "lost the race")], CancellationToken.None);

        await _store.AppendAsync([Event(_run, 1, "won the race")], CancellationToken.None);

        var events = await _store.ListAsync(_run, CancellationToken.None);
        Assert.Equal(["event 0", "won the race"], events.Select(e => e.Text));
    }

    [Fact]
    public async Task ListAsync_OtherRunsEvents_AreNotIncluded()
    {
        var other = RunId.New();
        await _store.AppendAsync([Event(_run, 0), Event(other, 0), Event(other, 1)], CancellationToken.None);

        Assert.Equal(_run, Assert.Single(await _store.ListAsync(_run, CancellationToken.None)).RunId);
        Assert.Empty(await _store.ListAsync(RunId.New(), CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_NegativeSequence_ThrowsAndWritesNothing()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => _store.AppendAsync([Event(_run, 0), Event(_run, -1)], CancellationToken.None));

        Assert.Empty(await _store.ListAsync(_run, CancellationToken.None));
    }

    private static TimelineEvent Event(RunId run, int sequence, string? text = null) =>
        new(run, sequence, TestRuns.T0.AddSeconds(sequence), Actor.System, TimelineEventKind.Transition, text ?? $"event {sequence}", new Dictionary<string, string>());
}
