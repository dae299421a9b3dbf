using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Testing;

namespace FlinkOpsBot.AzureTables.Tests.Stores;

[Collection(AzuriteCollection.Name)]
public sealed class TableDeploymentLedgerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private TableStorageHarness _storage = null!;
    private IDeploymentLedger _ledger = null!;

    public async Task InitializeAsync()
    {
        _storage = await TableStorageHarness.StartAsync(azurite);
        _ledger = _storage.Get<IDeploymentLedger>();
    }

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task GetCurrentAsync_AfterRecord_ReturnsTheRecord()
    {
        var record = Record("orders/enricher v2", "7f3c_orders-2.4.jar", RunId.New());

        await _ledger.RecordAsync(record, CancellationToken.None);

        Assert.Equal(record, await _ledger.GetCurrentAsync("prod-eu", "orders/enricher v2", CancellationToken.None));
    }

    [Fact]
    public async Task RecordAsync_Again_ReplacesTheCurrentRecord()
    {
        await _ledger.RecordAsync(Record("orders-enricher", "7f3c_orders-2.4.jar", null), CancellationToken.None);
        var upgrade = Record("orders-enricher", "9a1d_orders-2.5.jar", RunId.New());

        await _ledger.RecordAsync(upgrade, CancellationToken.None);

        Assert.Equal(upgrade, await _ledger.GetCurrentAsync("prod-eu", "orders-enricher", CancellationToken.None));
    }

    [Fact]
    public async Task GetCurrentAsync_JobNeverDeployed_ReturnsNull()
    {
        await _ledger.RecordAsync(Record("orders-enricher", "7f3c_orders-2.4.jar", null), CancellationToken.None);

        Assert.Null(await _ledger.GetCurrentAsync("prod-eu", "payments", CancellationToken.None));
        Assert.Null(await _ledger.GetCurrentAsync("prod-us", "orders-enricher", CancellationToken.None));
    }

    private static DeploymentRecord Record(string jobName, string jarName, RunId? run) =>
        new("prod-eu", jobName, jarName.Split('_')[0], jarName, "a1b2c3d4e5f60718293a4b5c6d7e8f90", 4, run, TestRuns.T0);
}
