using FlinkOpsBot.AzureTables.Stores;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Testing;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.AzureTables.Tests.Stores;

[Collection(AzuriteCollection.Name)]
public sealed class TableDeliveryLogTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Key = "slack:T0001:cmd:13345224609.738474920.8088930838d88f008e0";
    private readonly ManualTimeProvider _clock = new();
    private TableStorageHarness _storage = null!;
    private IDeliveryLog _log = null!;

    private DateTimeOffset InFifteenMinutes => _clock.GetUtcNow().AddMinutes(15);

    public async Task InitializeAsync()
    {
        _storage = await TableStorageHarness.StartAsync(azurite, _clock);
        _log = _storage.Get<IDeliveryLog>();
    }

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task TryRecordAsync_NewKey_IsFirstThenDuplicate()
    {
        Assert.True(await _log.TryRecordAsync(Key, InFifteenMinutes, CancellationToken.None));

        Assert.False(await _log.TryRecordAsync(Key, InFifteenMinutes, CancellationToken.None));
        Assert.True(await _log.TryRecordAsync(Key + "-other", InFifteenMinutes, CancellationToken.None));
    }

    [Fact]
    public async Task TryRecordAsync_NewInstanceOverTheSameTables_StillKnowsTheKey()
    {
        Assert.True(await _log.TryRecordAsync(Key, InFifteenMinutes, CancellationToken.None));
        var reply = new CommandReply("R-7Q2K started: upgrade orders-enricher", ReplyVisibility.InChannel, RunId.Parse("R-7Q2K"));
        await _log.SaveReplyAsync(Key, reply, InFifteenMinutes, CancellationToken.None);
        var prefix = _storage.Get<IOptions<TableStorageOptions>>().Value.TablePrefix;

        await using var restarted = await TableStorageHarness.StartAsync(azurite, _clock, prefix);
        var log = restarted.Get<IDeliveryLog>();

        Assert.NotSame(_log, log);
        Assert.False(await log.TryRecordAsync(Key, InFifteenMinutes, CancellationToken.None));
        Assert.Equal(reply, await log.GetReplyAsync(Key, CancellationToken.None));
    }

    [Fact]
    public async Task TryRecordAsync_AfterExpiry_IsFirstAgainAndTheOldReplyIsGone()
    {
        await _log.TryRecordAsync(Key, InFifteenMinutes, CancellationToken.None);
        await _log.SaveReplyAsync(Key, CommandReply.Private("first"), InFifteenMinutes, CancellationToken.None);

        _clock.Advance(TimeSpan.FromMinutes(14));
        Assert.False(await _log.TryRecordAsync(Key, InFifteenMinutes, CancellationToken.None));
        _clock.Advance(TimeSpan.FromMinutes(1));

        Assert.Null(await _log.GetReplyAsync(Key, CancellationToken.None));
        Assert.True(await _log.TryRecordAsync(Key, InFifteenMinutes, CancellationToken.None));
        Assert.Null(await _log.GetReplyAsync(Key, CancellationToken.None));
        Assert.False(await _log.TryRecordAsync(Key, InFifteenMinutes, CancellationToken.None));
    }

    [Fact]
    public async Task TryRecordAsync_ConcurrentDeliveries_ExactlyOneIsFirst()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _log.TryRecordAsync(Key, InFifteenMinutes, CancellationToken.None)));

        Assert.Single(results, first => first);
    }

    [Fact]
    public async Task TryRecordAsync_ConcurrentDeliveriesOverAnExpiredEntry_ExactlyOneIsFirst()
    {
        await _log.TryRecordAsync(Key, InFifteenMinutes, CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(16));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => _log.TryRecordAsync(Key, InFifteenMinutes, CancellationToken.None)));

        Assert.Single(results, first => first);
    }

    [Fact]
    public async Task GetReplyAsync_RecordedWithoutReply_IsNull()
    {
        await _log.TryRecordAsync(Key, InFifteenMinutes, CancellationToken.None);

        Assert.Null(await _log.GetReplyAsync(Key, CancellationToken.None));
        Assert.Null(await _log.GetReplyAsync("teams:never-seen", CancellationToken.None));
    }

    [Fact]
    public async Task SaveReplyAsync_RefusalWithoutRun_RoundTrips()
    {
        await _log.TryRecordAsync(Key, InFifteenMinutes, CancellationToken.None);
        var refusal = CommandReply.Refused("R-7Q2K needs approval by someone other than the requester; another approver must approve.");

        await _log.SaveReplyAsync(Key, refusal, InFifteenMinutes, CancellationToken.None);

        Assert.Equal(refusal, await _log.GetReplyAsync(Key, CancellationToken.None));
        Assert.False(await _log.TryRecordAsync(Key, InFifteenMinutes, CancellationToken.None));
    }

    [Fact]
    public async Task ForgetAsync_RecordedKey_NextDeliveryIsFirst()
    {
        await _log.TryRecordAsync(Key, InFifteenMinutes, CancellationToken.None);

        await _log.ForgetAsync(Key, CancellationToken.None);
        await _log.ForgetAsync("slack:never-seen", CancellationToken.None);

        Assert.True(await _log.TryRecordAsync(Key, InFifteenMinutes, CancellationToken.None));
    }

    [Fact]
    public async Task TryRecordAsync_KeysWithAnyCharactersAndLongKeys_AreDistinct()
    {
        var teams = "teams:72f988bf-86f1-41af-91ab-2d7cd011db47:msg:19:abc/def#?\\@thread.tacv2;messageid=1768467600000:1768467600123";
        var longKey = "teams:t:" + new string('x', 2_000);

        Assert.True(await _log.TryRecordAsync(teams, InFifteenMinutes, CancellationToken.None));
        Assert.True(await _log.TryRecordAsync(longKey, InFifteenMinutes, CancellationToken.None));
        Assert.True(await _log.TryRecordAsync(longKey + "y", InFifteenMinutes, CancellationToken.None));

        Assert.False(await _log.TryRecordAsync(teams, InFifteenMinutes, CancellationToken.None));
        Assert.False(await _log.TryRecordAsync(longKey, InFifteenMinutes, CancellationToken.None));
    }

    [Fact]
    public void Keys_PlatformIsThePartition_AndLongRestsAreHashed()
    {
        Assert.Equal(("slack", "T0001~3Acmd~3Aabc.1"), TableDeliveryLog.Keys("slack:T0001:cmd:abc.1"));
        var (partition, row) = TableDeliveryLog.Keys("teams:" + new string('x', 600));
        Assert.Equal("teams", partition);
        Assert.StartsWith("~sha256-", row);
        Assert.Equal(8 + 64, row.Length);
    }
}
