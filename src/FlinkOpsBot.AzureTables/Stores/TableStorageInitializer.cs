using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.AzureTables.Stores;

/// <summary>
/// Creates the tables when the host starts (an existing table is fine), so a new storage account needs no setup
/// and a wrong key or missing role stops the start with the service's answer instead of failing the first command.
/// </summary>
internal sealed partial class TableStorageInitializer(StoreTables tables, ILogger<TableStorageInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await Task.WhenAll(tables.All.Select(table => table.CreateIfNotExistsAsync(cancellationToken)));
        LogReady(tables.Endpoint, string.Join(", ", tables.All.Select(table => table.Name)));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Table storage ready at {Endpoint}: {Tables}")]
    private partial void LogReady(Uri endpoint, string tables);
}
