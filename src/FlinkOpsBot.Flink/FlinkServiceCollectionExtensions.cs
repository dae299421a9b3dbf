using FlinkOpsBot.Flink.Cmf;
using FlinkOpsBot.Flink.Rest;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Flink;

/// <summary>Registers the platforms: Apache Flink REST (<c>flink-rest</c>) and Confluent Manager for Apache Flink (<c>cmf</c>).</summary>
public static class FlinkServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="FlinkPlatformFactory"/>, binds <see cref="FlinkClientOptions"/> from
    /// <paramref name="configuration"/> (validated at start; e.g. <c>{"AttemptTimeout": "00:00:10", "MaxRetryAttempts": 3}</c>),
    /// and configures the IHttpClientFactory clients named <c>flink:&lt;cluster&gt;</c> with a per-cluster
    /// resilience pipeline. Uses the registered <see cref="TimeProvider"/>, or the system clock.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">The section holding <see cref="FlinkClientOptions"/>; cluster names and URLs are passed to <see cref="FlinkPlatformFactory.Create(Core.Clusters.ClusterDefinition, Cmf.CmfAuthOptions?, string?)"/>.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddFlinkPlatforms(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<FlinkClientOptions>().Bind(configuration).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<FlinkClientOptions>, FlinkClientOptionsValidator>());
        services.AddHttpClient();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FlinkResiliencePipelines>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HttpClientFactoryOptions>, FlinkHttpClientSetup>());
        services.TryAddSingleton<CmfConnections>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HttpClientFactoryOptions>, CmfHttpClientSetup>());
        services.TryAddSingleton(sp => new FlinkPlatformFactory(
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<IOptions<FlinkClientOptions>>(),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<CmfConnections>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
