using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Flink.Rest;

/// <summary>
/// Configures every IHttpClientFactory client named <c>flink:&lt;cluster&gt;</c>: the cluster's resilience handler,
/// and no HttpClient-wide timeout (the pipeline times each attempt). Clusters come from configuration at run
/// time, so the names are matched here instead of being registered one by one.
/// </summary>
internal sealed class FlinkHttpClientSetup(FlinkResiliencePipelines pipelines) : IConfigureNamedOptions<HttpClientFactoryOptions>
{
    public void Configure(string? name, HttpClientFactoryOptions options)
    {
        if (name is null || !name.StartsWith(FlinkPlatformFactory.HttpClientNamePrefix, StringComparison.Ordinal)) return;

        var pipeline = pipelines.For(name[FlinkPlatformFactory.HttpClientNamePrefix.Length..]);
        options.HttpClientActions.Add(client => client.Timeout = Timeout.InfiniteTimeSpan);
        options.HttpMessageHandlerBuilderActions.Add(builder => builder.AdditionalHandlers.Add(new FlinkResilienceHandler(pipeline)));
    }

    public void Configure(HttpClientFactoryOptions options) => Configure(Options.DefaultName, options);
}
