using FlinkOpsBot.AzureTables.Stores;
using FlinkOpsBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FlinkOpsBot.AzureTables.Tests;

/// <summary>
/// A started host with <see cref="TableStorageServiceCollectionExtensions.AddAzureTableStores"/> against Azurite,
/// on tables with a fresh random prefix, so every test sees empty tables.
/// </summary>
internal sealed class TableStorageHarness : IAsyncDisposable
{
    private readonly IHost _host;

    private TableStorageHarness(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public StoreTables Tables => Services.GetRequiredService<StoreTables>();

    public static string NewPrefix() => "t" + Guid.NewGuid().ToString("N")[..20];

    /// <summary>Starts on fresh tables, or on <paramref name="prefix"/>'s tables (a restarted host over the same storage).</summary>
    public static async Task<TableStorageHarness> StartAsync(AzuriteFixture azurite, TimeProvider? time = null, string? prefix = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = prefix ?? NewPrefix(),
        });
        if (time is not null) builder.Services.AddSingleton(time);
        builder.Services.AddAzureTableStores(builder.Configuration.GetSection("Storage"));
        var host = builder.Build();
        await host.StartAsync();
        return new TableStorageHarness(host);
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}
