namespace FlinkOpsBot.AzureTables;

/// <summary>
/// Where the run, timeline, lock, conversation and deployment tables live, and how hard to retry. Bound from the
/// <c>Storage</c> configuration section and validated at start. Set exactly one of <see cref="ConnectionString"/>
/// (shared key; also Azurite) or <see cref="TableEndpoint"/> (Entra ID, e.g. a managed identity holding the
/// "Storage Table Data Contributor" role).
/// </summary>
public sealed class TableStorageOptions
{
    /// <summary>
    /// An Azure Storage connection string with an account key, e.g.
    /// <c>DefaultEndpointsProtocol=https;AccountName=…;AccountKey=…;EndpointSuffix=core.windows.net</c>, one with an
    /// explicit <c>TableEndpoint=…</c>, or <c>UseDevelopmentStorage=true</c> for Azurite on its default port.
    /// A secret: no default, never logged. SAS connection strings are not supported.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The table service endpoint for Entra ID authentication, e.g. <c>https://myaccount.table.core.windows.net</c>
    /// (https only). The token comes from the credential given to
    /// <see cref="TableStorageServiceCollectionExtensions.AddAzureTableStores"/>, or DefaultAzureCredential.
    /// </summary>
    public Uri? TableEndpoint { get; set; }

    /// <summary>
    /// Prepended to every table name (<c>{prefix}runs</c>, <c>{prefix}timeline</c>, <c>{prefix}locks</c>,
    /// <c>{prefix}conversations</c>, <c>{prefix}deployments</c>), so several bots or test runs can share an account.
    /// A letter, then letters and digits, at most 50 characters. Default <c>flinkopsbot</c>.
    /// </summary>
    public string TablePrefix { get; set; } = "flinkopsbot";

    /// <summary>Retries after a failed attempt (throttling 429/503, 5xx, timeouts, connection errors), 0 to 10. Default 3.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's delay; each next one doubles, with jitter, up to <see cref="MaxRetryDelay"/>. Default 0.5 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest delay between retries (a service's Retry-After may ask for more). Default 5 s.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one attempt may take before it is abandoned and retried. Default 10 s.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
