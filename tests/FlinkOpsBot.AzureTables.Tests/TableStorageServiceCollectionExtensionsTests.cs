using FlinkOpsBot.AzureTables.Rest;
using FlinkOpsBot.AzureTables.Stores;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.AzureTables.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class TableStorageServiceCollectionExtensionsTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task AddAzureTableStores_HostStarts_CreatesTheTablesAndResolvesEveryStore()
    {
        await using var storage = await TableStorageHarness.StartAsync(azurite);

        foreach (var table in storage.Tables.All)
        {
            Assert.Null(await table.GetEntityIfExistsAsync("p", "r", CancellationToken.None));
        }
        Assert.IsType<TableRunStore>(storage.Get<IRunStore>());
        Assert.IsType<TableTimelineStore>(storage.Get<ITimelineStore>());
        Assert.IsType<TableJobLockStore>(storage.Get<IJobLockStore>());
        Assert.IsType<TableConversationStore>(storage.Get<IConversationStore>());
        Assert.IsType<TableDeploymentLedger>(storage.Get<IDeploymentLedger>());
        Assert.IsType<TableDeliveryLog>(storage.Get<IDeliveryLog>());
        Assert.IsType<TableSavepointLedger>(storage.Get<ISavepointLedger>());
        Assert.Same(storage.Get<IRunStore>(), storage.Get<IRunStore>());
    }

    [Fact]
    public async Task AddAzureTableStores_TablePrefix_NamesEveryTable()
    {
        await using var storage = await TableStorageHarness.StartAsync(azurite);
        var prefix = storage.Get<IOptions<TableStorageOptions>>().Value.TablePrefix;

        Assert.Equal(
            ["runs", "timeline", "locks", "conversations", "deployments", "deliveries", "incidents", "savepoints"],
            storage.Tables.All.Select(table => table.Name[prefix.Length..]));
    }

    [Fact]
    public async Task AddAzureTableStores_NothingConfigured_HostFailsToStartNamingTheSettings()
    {
        using var host = Build(new Dictionary<string, string?>());

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Storage:ConnectionString or Storage:TableEndpoint must be set", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAzureTableStores_BadConnectionString_HostFailsWithoutLeakingTheKey()
    {
        using var host = Build(new Dictionary<string, string?> { ["Storage:ConnectionString"] = $"AccountName=;AccountKey={AzuriteFixture.AccountKey}" });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Storage:ConnectionString is not valid: AccountName is missing.", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteFixture.AccountKey, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAzureTableStores_HttpTableEndpoint_HostFailsAskingForHttps()
    {
        using var host = Build(new Dictionary<string, string?> { ["Storage:TableEndpoint"] = "http://prodbot.table.core.windows.net" });

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Storage:TableEndpoint must be an absolute https URI", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddAzureTableStores_WrongAccountKey_HostFailsToStartWithTheServiceAnswer()
    {
        var wrongKey = azurite.ConnectionString.Replace(AzuriteFixture.AccountKey, Convert.ToBase64String(new byte[64]), StringComparison.Ordinal);
        using var host = Build(new Dictionary<string, string?> { ["Storage:ConnectionString"] = wrongKey, ["Storage:TablePrefix"] = TableStorageHarness.NewPrefix() });

        var failure = await Assert.ThrowsAsync<TableStorageException>(() => host.StartAsync());

        Assert.Equal((403, "AuthorizationFailure"), (failure.Status, failure.ErrorCode));
    }

    private static IHost Build(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddAzureTableStores(builder.Configuration.GetSection("Storage"));
        return builder.Build();
    }
}
