using FlinkOpsBot.AzureTables.Rest;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Testing;

namespace FlinkOpsBot.AzureTables.Tests.Rest;

[Collection(AzuriteCollection.Name)]
public sealed class TableRestClientTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly ITableClient _table = Service(azurite.ConnectionString).GetTableClient(TableStorageHarness.NewPrefix() + "rest");

    public Task InitializeAsync() => _table.CreateIfNotExistsAsync(CancellationToken.None);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CreateIfNotExistsAsync_ExistingTable_Succeeds()
    {
        await _table.CreateIfNotExistsAsync(CancellationToken.None);

        Assert.Null(await _table.GetEntityIfExistsAsync("p", "r", CancellationToken.None));
    }

    [Fact]
    public async Task GetEntityIfExistsAsync_AfterAdd_ReturnsPropertiesAndETag()
    {
        var at = new DateTimeOffset(2026, 1, 15, 9, 30, 0, TimeSpan.Zero);
        var etag = await _table.AddEntityAsync(new TableEntity("p", "r") { ["Text"] = "é ✓ 😀", ["Flag"] = true, ["Count"] = 42, ["At"] = at }, CancellationToken.None);

        var read = await _table.GetEntityIfExistsAsync("p", "r", CancellationToken.None);

        Assert.NotNull(read);
        Assert.Equal(etag, read.ETag);
        Assert.Equal("é ✓ 😀", read.GetString("Text"));
        Assert.Equal(true, read["Flag"]);
        Assert.Equal(42, read.GetInt32("Count"));
        Assert.Equal(at, read.GetDateTimeOffset("At"));
    }

    [Fact]
    public async Task AddEntityAsync_ExistingKeys_ThrowsConcurrencyConflict()
    {
        await _table.AddEntityAsync(new TableEntity("p", "r"), CancellationToken.None);

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _table.AddEntityAsync(new TableEntity("p", "r"), CancellationToken.None));

        Assert.Equal(409, Assert.IsType<TableStorageException>(conflict.InnerException).Status);
    }

    [Fact]
    public async Task UpdateEntityAsync_StaleETag_ThrowsConcurrencyConflict()
    {
        var first = await _table.AddEntityAsync(new TableEntity("p", "r") { ["V"] = 1 }, CancellationToken.None);
        var second = await _table.UpdateEntityAsync(new TableEntity("p", "r") { ["V"] = 2 }, first, CancellationToken.None);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _table.UpdateEntityAsync(new TableEntity("p", "r") { ["V"] = 3 }, first, CancellationToken.None));

        var stored = await _table.GetEntityIfExistsAsync("p", "r", CancellationToken.None);
        Assert.Equal(2, stored!.GetInt32("V"));
        Assert.Equal(second, stored.ETag);
    }

    [Fact]
    public async Task UpdateEntityAsync_MissingEntity_ThrowsConcurrencyConflict()
    {
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _table.UpdateEntityAsync(new TableEntity("p", "gone"), "*", CancellationToken.None));
    }

    [Fact]
    public async Task UpdateEntityAsync_ReplacesWholeEntity_DropsPropertiesNotWritten()
    {
        var etag = await _table.AddEntityAsync(new TableEntity("p", "r") { ["Old"] = "x", ["Kept"] = "a" }, CancellationToken.None);

        await _table.UpdateEntityAsync(new TableEntity("p", "r") { ["Kept"] = "b" }, etag, CancellationToken.None);

        var stored = await _table.GetEntityIfExistsAsync("p", "r", CancellationToken.None);
        Assert.Null(stored!["Old"]);
        Assert.Equal("b", stored.GetString("Kept"));
    }

    [Fact]
    public async Task DeleteEntityAsync_StaleETag_ThrowsConcurrencyConflictAndKeepsEntity()
    {
        var first = await _table.AddEntityAsync(new TableEntity("p", "r"), CancellationToken.None);
        await _table.UpsertEntityAsync(new TableEntity("p", "r") { ["V"] = 2 }, CancellationToken.None);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _table.DeleteEntityAsync("p", "r", first, CancellationToken.None));

        Assert.NotNull(await _table.GetEntityIfExistsAsync("p", "r", CancellationToken.None));
    }

    [Fact]
    public async Task DeleteEntityAsync_MissingEntity_Succeeds()
    {
        await _table.DeleteEntityAsync("p", "gone", "*", CancellationToken.None);

        Assert.Null(await _table.GetEntityIfExistsAsync("p", "gone", CancellationToken.None));
    }

    [Fact]
    public async Task Operations_KeysWithQuotesAndPercent_AreEscaped()
    {
        const string partitionKey = "o'brien 100%";
        const string rowKey = "it's";
        var etag = await _table.AddEntityAsync(new TableEntity(partitionKey, rowKey) { ["V"] = 1 }, CancellationToken.None);
        await _table.UpdateEntityAsync(new TableEntity(partitionKey, rowKey) { ["V"] = 2 }, etag, CancellationToken.None);

        var read = await _table.GetEntityIfExistsAsync(partitionKey, rowKey, CancellationToken.None);
        var queried = await _table.QueryAsync(TableFilter.Create($"PartitionKey eq {partitionKey}"), null, CancellationToken.None).ToListAsync();
        await _table.DeleteEntityAsync(partitionKey, rowKey, "*", CancellationToken.None);

        Assert.Equal(2, read!.GetInt32("V"));
        Assert.Equal(rowKey, Assert.Single(queried).RowKey);
        Assert.Null(await _table.GetEntityIfExistsAsync(partitionKey, rowKey, CancellationToken.None));
    }

    [Fact]
    public async Task QueryAsync_MoreEntitiesThanAPage_FollowsContinuationInKeyOrder()
    {
        foreach (var rowKey in new[] { "e", "b", "d", "a", "c" })
        {
            await _table.UpsertEntityAsync(new TableEntity("p", rowKey), CancellationToken.None);
        }
        await _table.UpsertEntityAsync(new TableEntity("other", "a"), CancellationToken.None);

        var rows = await _table.QueryAsync(TableFilter.Create($"PartitionKey eq {"p"}"), maxPerPage: 2, CancellationToken.None).ToListAsync();

        Assert.Equal(["a", "b", "c", "d", "e"], rows.Select(row => row.RowKey));
    }

    [Fact]
    public async Task GetEntityIfExistsAsync_TableMissing_ThrowsTableNotFound()
    {
        var missing = Service(azurite.ConnectionString).GetTableClient(TableStorageHarness.NewPrefix() + "missing");

        var failure = await Assert.ThrowsAsync<TableStorageException>(() => missing.GetEntityIfExistsAsync("p", "r", CancellationToken.None));

        Assert.Equal((404, "TableNotFound"), (failure.Status, failure.ErrorCode));
    }

    [Fact]
    public async Task CreateIfNotExistsAsync_WrongAccountKey_ThrowsAuthorizationFailure()
    {
        var wrongKey = azurite.ConnectionString.Replace(AzuriteFixture.AccountKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);
        var table = Service(wrongKey).GetTableClient(TableStorageHarness.NewPrefix() + "denied");

        var failure = await Assert.ThrowsAsync<TableStorageException>(() => table.CreateIfNotExistsAsync(CancellationToken.None));

        Assert.Equal((403, "AuthorizationFailure"), (failure.Status, failure.ErrorCode));
    }

    [Fact]
    public async Task CreateIfNotExistsAsync_NothingListening_ThrowsTableStorageExceptionWithStatusZero()
    {
        var closedPort = azurite.ConnectionString.Replace(azurite.TableEndpoint.ToString(), "http://127.0.0.1:1/devstoreaccount1", StringComparison.Ordinal);
        var table = Service(closedPort, new TableStorageOptions { MaxRetries = 0 }).GetTableClient("unreachable");

        var failure = await Assert.ThrowsAsync<TableStorageException>(() => table.CreateIfNotExistsAsync(CancellationToken.None));

        Assert.Equal(0, failure.Status);
        Assert.Null(failure.ErrorCode);
    }

    private static TableServiceClient Service(string connectionString, TableStorageOptions? options = null) =>
        new(TableConnectionString.Parse(connectionString), new TableServiceClientOptions(options ?? new TableStorageOptions()), TimeProvider.System);
}
