using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Testing;

namespace FlinkOpsBot.AzureTables.Tests.Stores;

[Collection(AzuriteCollection.Name)]
public sealed class TableConversationStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly RunId _run = RunId.New();
    private TableStorageHarness _storage = null!;
    private IConversationStore _store = null!;

    public async Task InitializeAsync()
    {
        _storage = await TableStorageHarness.StartAsync(azurite);
        _store = _storage.Get<IConversationStore>();
    }

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task GetAsync_AfterSave_ReturnsTheLocation()
    {
        var location = new CardLocation(_run, "teams", "19:abc@thread.tacv2", "1700000000123",
            new Dictionary<string, string> { ["serviceUrl"] = "https://smba.trafficmanager.net/emea/" });

        await _store.SaveAsync(location, CancellationToken.None);

        var stored = await _store.GetAsync(_run, "teams", CancellationToken.None);
        Assert.Equal(CoreJson.Serialize(location), CoreJson.Serialize(stored!));
    }

    [Fact]
    public async Task SaveAsync_Again_ReplacesTheLocation()
    {
        await _store.SaveAsync(Location("slack", "1700000000.000100"), CancellationToken.None);

        await _store.SaveAsync(Location("slack", "1700000000.000200"), CancellationToken.None);

        Assert.Equal("1700000000.000200", (await _store.GetAsync(_run, "slack", CancellationToken.None))!.MessageId);
    }

    [Fact]
    public async Task GetAsync_OtherPlatformOrRun_ReturnsNull()
    {
        await _store.SaveAsync(Location("slack", "1700000000.000100"), CancellationToken.None);

        Assert.Null(await _store.GetAsync(_run, "teams", CancellationToken.None));
        Assert.Null(await _store.GetAsync(RunId.New(), "slack", CancellationToken.None));
    }

    private CardLocation Location(string platform, string messageId) =>
        new(_run, platform, "C0001", messageId, new Dictionary<string, string>());
}
