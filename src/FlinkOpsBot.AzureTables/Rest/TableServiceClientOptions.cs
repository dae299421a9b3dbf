using Azure.Core;

namespace FlinkOpsBot.AzureTables.Rest;

/// <summary>Azure.Core client options (retries, per-attempt timeout, transport, diagnostics) from <see cref="TableStorageOptions"/>.</summary>
internal sealed class TableServiceClientOptions : ClientOptions
{
    public TableServiceClientOptions(TableStorageOptions options)
    {
        Retry.Mode = RetryMode.Exponential;
        Retry.MaxRetries = options.MaxRetries;
        Retry.Delay = options.RetryDelay;
        Retry.MaxDelay = options.MaxRetryDelay;
        Retry.NetworkTimeout = options.NetworkTimeout;
        Diagnostics.ApplicationId = "FlinkOpsBot";
    }
}
