using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Testing;

namespace FlinkOpsBot.AzureTables.Tests.Stores;

[Collection(AzuriteCollection.Name)]
public sealed class TableSavepointLedgerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 3, 0, 0, TimeSpan.Zero);
    private TableStorageHarness _storage = null!;
    private ISavepointLedger _ledger = null!;

    public async Task InitializeAsync()
    {
        _storage = await TableStorageHarness.StartAsync(azurite);
        _ledger = _storage.Get<ISavepointLedger>();
    }

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task ListAsync_SeveralRecords_NewestFirstPerClusterAndJob()
    {
        await _ledger.RecordAsync(Record("orders/enricher v2", "a1", T0), CancellationToken.None);
        await _ledger.RecordAsync(Record("orders/enricher v2", "b2", T0.AddHours(1), SavepointKind.Stop), CancellationToken.None);
        await _ledger.RecordAsync(Record("payments", "c3", T0.AddHours(2)), CancellationToken.None);
        await _ledger.RecordAsync(Record("orders/enricher v2", "d4", T0.AddHours(3)) with { Cluster = "staging" }, CancellationToken.None);

        var list = await _ledger.ListAsync("prod-eu", "orders/enricher v2", 10, CancellationToken.None);

        Assert.Equal(["b2", "a1"], list.Select(r => r.Name));
        Assert.Equal(Record("orders/enricher v2", "b2", T0.AddHours(1), SavepointKind.Stop), list[0]);
        Assert.Single(await _ledger.ListAsync("prod-eu", "orders/enricher v2", 1, CancellationToken.None));
    }

    [Fact]
    public async Task RecordAsync_SameNameWithPath_ReplacesTheIntent()
    {
        var intent = Record("orders-enricher", "a1", T0) with { Path = null };
        await _ledger.RecordAsync(intent, CancellationToken.None);

        await _ledger.RecordAsync(intent with { Path = "s3://flink/savepoints/savepoint-a1" }, CancellationToken.None);

        var stored = Assert.Single(await _ledger.ListAsync("prod-eu", "orders-enricher", 10, CancellationToken.None));
        Assert.Equal("s3://flink/savepoints/savepoint-a1", stored.Path);
    }

    [Fact]
    public async Task MarkDeletedAsync_KnownAndUnknown_MarksOnceAndSaysWhenThereIsNone()
    {
        await _ledger.RecordAsync(Record("orders-enricher", "a1", T0), CancellationToken.None);

        Assert.True(await _ledger.MarkDeletedAsync("prod-eu", "orders-enricher", "a1", T0.AddDays(1), CancellationToken.None));
        Assert.True(await _ledger.MarkDeletedAsync("prod-eu", "orders-enricher", "a1", T0.AddDays(2), CancellationToken.None));
        Assert.False(await _ledger.MarkDeletedAsync("prod-eu", "orders-enricher", "zz", T0, CancellationToken.None));

        var stored = Assert.Single(await _ledger.ListAsync("prod-eu", "orders-enricher", 10, CancellationToken.None));
        Assert.Equal(T0.AddDays(1), stored.DeletedAt);
    }

    private static SavepointRecord Record(string job, string name, DateTimeOffset at, SavepointKind kind = SavepointKind.Savepoint) =>
        new("prod-eu", job, "3f2a1c0b9d8e7f6a5b4c3d2e1f0a9b8c", name, $"s3://flink/savepoints/savepoint-{name}", kind, RunId.Parse("R-7Q2K"), at);
}
