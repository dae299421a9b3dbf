using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;

namespace FlinkOpsBot.Core.Tests.Storage;

public sealed class InMemorySavepointLedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 5, 3, 0, 0, TimeSpan.Zero);
    private readonly InMemorySavepointLedger _ledger = new();

    [Fact]
    public async Task ListAsync_RecordsOfSeveralJobs_NewestFirstForTheOneAsked()
    {
        await _ledger.RecordAsync(Record("orders-enricher", "a1", T0), CancellationToken.None);
        await _ledger.RecordAsync(Record("orders-enricher", "b2", T0.AddHours(1)), CancellationToken.None);
        await _ledger.RecordAsync(Record("payments", "c3", T0.AddHours(2)), CancellationToken.None);

        var list = await _ledger.ListAsync("prod-eu", "orders-enricher", 10, CancellationToken.None);

        Assert.Equal(["b2", "a1"], list.Select(r => r.Name));
    }

    [Fact]
    public async Task MarkDeletedAsync_Twice_KeepsTheFirstTime()
    {
        await _ledger.RecordAsync(Record("orders-enricher", "a1", T0), CancellationToken.None);

        Assert.True(await _ledger.MarkDeletedAsync("prod-eu", "orders-enricher", "a1", T0.AddDays(1), CancellationToken.None));
        Assert.True(await _ledger.MarkDeletedAsync("prod-eu", "orders-enricher", "a1", T0.AddDays(2), CancellationToken.None));
        Assert.False(await _ledger.MarkDeletedAsync("prod-eu", "payments", "a1", T0, CancellationToken.None));

        Assert.Equal(T0.AddDays(1), (await _ledger.ListAsync("prod-eu", "orders-enricher", 1, CancellationToken.None))[0].DeletedAt);
    }

    private static SavepointRecord Record(string job, string name, DateTimeOffset at) =>
        new("prod-eu", job, "3f2a1c0b9d8e7f6a5b4c3d2e1f0a9b8c", name, $"s3://flink/savepoints/savepoint-{name}", SavepointKind.Savepoint, RunId.Parse("R-7Q2K"), at);
}
