using Azure.Core;
using Azure.Core.Pipeline;

namespace FlinkOpsBot.AzureTables.Rest;

/// <summary>
/// One authenticated pipeline to a Table service endpoint, handing out <see cref="ITableClient"/>s that share it.
/// Shaped after Azure.Data.Tables' <c>TableServiceClient</c>: a shared key constructor and a
/// <see cref="TokenCredential"/> constructor (Entra ID; scope <c>https://storage.azure.com/.default</c>).
/// </summary>
internal sealed class TableServiceClient
{
    internal const string StorageScope = "https://storage.azure.com/.default";
    private readonly HttpPipeline _pipeline;

    /// <summary>Signs every request with the connection string's account key (Shared Key Lite).</summary>
    public TableServiceClient(TableConnectionString connection, TableServiceClientOptions options, TimeProvider time)
        : this(connection.TableEndpoint, options, new SharedKeyLitePolicy(connection.AccountName, connection.AccountKey), time)
    {
    }

    /// <summary>
    /// Sends an Entra ID bearer token from <paramref name="credential"/>. The endpoint must be https: Azure.Core's
    /// <see cref="BearerTokenAuthenticationPolicy"/> refuses to send a token in clear text.
    /// </summary>
    public TableServiceClient(Uri endpoint, TokenCredential credential, TableServiceClientOptions options, TimeProvider time)
        : this(endpoint, options, new BearerTokenAuthenticationPolicy(credential, StorageScope), time)
    {
    }

    private TableServiceClient(Uri endpoint, TableServiceClientOptions options, HttpPipelinePolicy authentication, TimeProvider time)
    {
        Endpoint = endpoint;
        _pipeline = HttpPipelineBuilder.Build(options, perCallPolicies: [], perRetryPolicies: [new StorageDatePolicy(time), authentication], new ResponseClassifier());
    }

    /// <summary>The table service endpoint requests go to.</summary>
    public Uri Endpoint { get; }

    public ITableClient GetTableClient(string name) => new TableRestClient(_pipeline, Endpoint, name);
}
