using Azure.Core;
using Azure.Identity;
using FlinkOpsBot.AzureTables.Rest;

namespace FlinkOpsBot.AzureTables.Stores;

/// <summary>The tables behind the stores, named <c>{TablePrefix}runs</c> and so on, on one shared pipeline.</summary>
internal sealed class StoreTables
{
    public StoreTables(TableServiceClient service, string prefix)
    {
        Endpoint = service.Endpoint;
        Runs = service.GetTableClient(prefix + "runs");
        Timeline = service.GetTableClient(prefix + "timeline");
        Locks = service.GetTableClient(prefix + "locks");
        Conversations = service.GetTableClient(prefix + "conversations");
        Deployments = service.GetTableClient(prefix + "deployments");
        Deliveries = service.GetTableClient(prefix + "deliveries");
        Incidents = service.GetTableClient(prefix + "incidents");
        Savepoints = service.GetTableClient(prefix + "savepoints");
    }

    public Uri Endpoint { get; }

    public ITableClient Runs { get; }

    public ITableClient Timeline { get; }

    public ITableClient Locks { get; }

    public ITableClient Conversations { get; }

    public ITableClient Deployments { get; }

    public ITableClient Deliveries { get; }

    public ITableClient Incidents { get; }

    public ITableClient Savepoints { get; }

    public IReadOnlyList<ITableClient> All => [Runs, Timeline, Locks, Conversations, Deployments, Deliveries, Incidents, Savepoints];

    /// <summary>
    /// Connects with the connection string's shared key when one is set, otherwise to the table endpoint with
    /// <paramref name="credential"/> (default: DefaultAzureCredential, which finds a managed identity in Azure).
    /// </summary>
    public static StoreTables Create(TableStorageOptions options, TokenCredential? credential, TimeProvider time)
    {
        var clientOptions = new TableServiceClientOptions(options);
        var service = string.IsNullOrEmpty(options.ConnectionString)
            ? new TableServiceClient(
                options.TableEndpoint ?? throw new InvalidOperationException("Neither a connection string nor a table endpoint is configured."),
                credential ?? new DefaultAzureCredential(),
                clientOptions,
                time)
            : new TableServiceClient(TableConnectionString.Parse(options.ConnectionString), clientOptions, time);
        return new StoreTables(service, options.TablePrefix);
    }
}
