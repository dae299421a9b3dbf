using System.Globalization;
using FlinkOpsBot.AzureTables.Stores;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Engine;
using FlinkOpsBot.Core.Identity;
using FlinkOpsBot.Core.Incidents;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;
using FlinkOpsBot.Testing;

namespace FlinkOpsBot.AzureTables.Tests.Stores;

/// <summary>
/// The incident store on Azurite, and the hash chain of stored timelines: an entity changed directly in Table Storage
/// is found by <see cref="TimelineService.VerifyAsync"/>.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TableIncidentStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly Actor Ana = new("slack", "T0001", "U0001", "Ana");
    private static readonly Actor Bo = new("teams", "tenant-1", "object-2", "Bo");
    private static readonly ChannelRef Channel = new("teams", "tenant-1", "19:abc@thread.tacv2;messageid=1700000000000", "1700000000000");
    private readonly ManualTimeProvider _clock = new(TestRuns.T0);
    private TableStorageHarness _storage = null!;
    private IIncidentStore _store = null!;
    private IncidentBook _book = null!;
    private TimelineService _timelines = null!;

    public async Task InitializeAsync()
    {
        _storage = await TableStorageHarness.StartAsync(azurite, _clock);
        _store = _storage.Get<IIncidentStore>();
        _book = new IncidentBook(_store, _clock);
        _timelines = new TimelineService(_storage.Get<IRunStore>(), _storage.Get<ITimelineStore>(), _store);
    }

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task TryOpenAsync_SecondIncidentInTheSameChannel_ReturnsTheOpenOneAndStoresNothing()
    {
        var (first, _) = await _book.OpenAsync("orders lag", Ana, Channel, CancellationToken.None);
        var (second, already) = await _book.OpenAsync("another", Bo, Channel with { ThreadId = "other thread" }, CancellationToken.None);
        var (elsewhere, _) = await _book.OpenAsync("checkpoint failures", Bo, Channel with { ConversationId = "19:other@thread.tacv2" }, CancellationToken.None);

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal(first.Id, already!.Id);
        Assert.NotNull(elsewhere);
        Assert.Equal(first.Id, (await _store.GetOpenAsync(Channel, CancellationToken.None))!.Value.Id);
    }

    [Fact]
    public async Task GetOpenAsync_AnotherThreadOfTheSameTeamsChannel_FindsTheChannelsIncident()
    {
        var (opened, _) = await _book.OpenAsync("orders lag", Ana, Channel, CancellationToken.None);

        var fromOtherThread = await _store.GetOpenAsync(Channel with { ConversationId = "19:abc@thread.tacv2;messageid=1700000099999" }, CancellationToken.None);
        var fromChannelRoot = await _store.GetOpenAsync(Channel with { ConversationId = "19:abc@thread.tacv2" }, CancellationToken.None);
        var fromOtherChannel = await _store.GetOpenAsync(Channel with { ConversationId = "19:xyz@thread.tacv2;messageid=1700000000000" }, CancellationToken.None);

        Assert.Equal(opened!.Id, fromOtherThread!.Value.Id);
        Assert.Equal(opened.Id, fromChannelRoot!.Value.Id);
        Assert.Null(fromOtherChannel);
    }

    [Fact]
    public async Task CloseAsync_FreesTheChannelForTheNextIncident()
    {
        var (first, _) = await _book.OpenAsync("orders lag", Ana, Channel, CancellationToken.None);

        var closed = await _book.CloseAsync(first!.Id, Bo, "rolled back", CancellationToken.None);
        var (next, _) = await _book.OpenAsync("the next one", Ana, Channel, CancellationToken.None);

        Assert.False(closed!.IsOpen);
        var stored = (await _store.GetAsync(first.Id, CancellationToken.None))!.Value;
        Assert.Equal("rolled back", stored.Summary);
        Assert.Equal(Bo.Key, stored.ClosedBy!.Key);
        Assert.NotNull(next);
        Assert.Equal(next.Id, (await _store.GetOpenAsync(Channel, CancellationToken.None))!.Value.Id);
    }

    [Fact]
    public async Task Entries_RoundTripInOrderAndStayOutOfRunTimelines()
    {
        var (incident, _) = await _book.OpenAsync("orders lag", Ana, Channel, CancellationToken.None);
        _clock.Advance(TimeSpan.FromSeconds(3));
        await _book.AddNoteAsync(incident!.Id, Bo, "restarted TaskManager 3 — ✓", CancellationToken.None);

        var entries = await _store.ListEntriesAsync(incident.Id, CancellationToken.None);

        Assert.Equal([0, 1], entries.Select(e => e.Sequence));
        Assert.Equal("restarted TaskManager 3 — ✓", entries[1].Text);
        Assert.Equal(Bo, entries[1].Actor);
        Assert.Equal(TestRuns.T0.AddSeconds(3), entries[1].At);
        Assert.True(TimelineChain.Verify(incident.Id.Value, entries, (await _store.GetAsync(incident.Id, CancellationToken.None))!.Value.TimelineHead).Intact);
    }

    [Fact]
    public async Task VerifyAsync_IncidentEntryModifiedInTableStorage_ReportsTheFirstBrokenEntry()
    {
        var (incident, _) = await _book.OpenAsync("orders lag", Ana, Channel, CancellationToken.None);
        await _book.AddNoteAsync(incident!.Id, Bo, "first note", CancellationToken.None);
        await _book.AddNoteAsync(incident.Id, Bo, "second note", CancellationToken.None);
        Assert.All((await _timelines.VerifyAsync(incident.Id.Value, CancellationToken.None))!, r => Assert.True(r.Intact, r.Problem));

        await RewriteStoredJsonAsync(incident.Id.Value, 1, json => json.Replace("first note", "an edited note", StringComparison.Ordinal));

        var report = Assert.Single((await _timelines.VerifyAsync(incident.Id.Value, CancellationToken.None))!);
        Assert.False(report.Intact);
        Assert.Equal(1, report.FirstBrokenSequence);
    }

    [Fact]
    public async Task VerifyAsync_RunEventModifiedInTableStorage_ReportsTheFirstBrokenEntry()
    {
        var run = TestRuns.New();
        var change = new RunChange(run, "", TestRuns.T0);
        change.Record(Ana, TimelineEventKind.Requested, "requested");
        change.Record(Bo, TimelineEventKind.Decision, "approved by Bo");
        change.Record(Actor.System, TimelineEventKind.Step, "stopped with savepoint", new Dictionary<string, string> { ["savepointPath"] = "s3://sp/1" });
        await _storage.Get<ITimelineStore>().AppendAsync(change.Events, CancellationToken.None);
        await _storage.Get<IRunStore>().CreateAsync(run, CancellationToken.None);
        Assert.True((await _timelines.VerifyAsync(run.Id.Value, CancellationToken.None))!.Single().Intact);

        await RewriteStoredJsonAsync(run.Id.Value, 2, json => json.Replace("s3://sp/1", "s3://sp/2", StringComparison.Ordinal));

        var report = (await _timelines.VerifyAsync(run.Id.Value, CancellationToken.None))!.Single();
        Assert.False(report.Intact);
        Assert.Equal(2, report.FirstBrokenSequence);
        Assert.Contains("modified", report.Problem!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task VerifyAsync_RunWrittenBeforeChaining_IsUnchainedNotBroken()
    {
        var run = TestRuns.New();
        run.TimelineSequence = 2;
        await _storage.Get<ITimelineStore>().AppendAsync(
            [.. Enumerable.Range(0, 2).Select(i => new TimelineEvent(run.Id, i, TestRuns.T0, Ana, TimelineEventKind.Note, $"old {i}", new Dictionary<string, string>()))],
            CancellationToken.None);
        await _storage.Get<IRunStore>().CreateAsync(run, CancellationToken.None);

        var report = (await _timelines.VerifyAsync(run.Id.Value, CancellationToken.None))!.Single();

        Assert.True(report.Intact);
        Assert.Equal(2, report.Unchained);
    }

    /// <summary>Changes a stored timeline entity's JSON in place, as someone with the storage key could.</summary>
    private async Task RewriteStoredJsonAsync(string partition, int sequence, Func<string, string> edit)
    {
        var table = _storage.Tables.Timeline;
        var entity = (await table.GetEntityIfExistsAsync(partition, sequence.ToString("D10", CultureInfo.InvariantCulture), CancellationToken.None))!;
        var json = JsonColumns.Read(entity);
        var edited = edit(json);
        Assert.NotEqual(json, edited);
        JsonColumns.Write(entity, edited);
        await table.UpsertEntityAsync(entity, CancellationToken.None);
    }
}
