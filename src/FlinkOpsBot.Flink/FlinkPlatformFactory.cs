using System.Net.Http.Headers;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Flink.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Flink;

/// <summary>
/// Creates the <see cref="IFlinkPlatform"/> of a configured cluster that exposes the Apache Flink REST API v1
/// (platform <c>flink-rest</c>). Registered by <see cref="FlinkServiceCollectionExtensions.AddFlinkPlatforms"/>.
/// </summary>
public sealed class FlinkPlatformFactory
{
    /// <summary>
    /// The IHttpClientFactory name of a cluster's client is this prefix followed by the cluster name, e.g.
    /// <c>flink:prod-eu</c>. The host may configure that client further (a client certificate, a proxy) with
    /// <c>services.AddHttpClient("flink:prod-eu")</c>.
    /// </summary>
    public const string HttpClientNamePrefix = "flink:";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly IOptions<FlinkClientOptions> _options;
    private readonly ILoggerFactory _loggerFactory;

    internal FlinkPlatformFactory(IHttpClientFactory httpClientFactory, IOptions<FlinkClientOptions> options, ILoggerFactory loggerFactory)
    {
        _httpClientFactory = httpClientFactory;
        _options = options;
        _loggerFactory = loggerFactory;
    }

    /// <summary>
    /// A platform for one cluster. Cheap: create one per unit of work rather than keeping it for the life of the
    /// process, so IHttpClientFactory can recycle connections. Calls of the same cluster share one circuit breaker.
    /// </summary>
    /// <param name="clusterName">The cluster's configured name; it appears in log lines and error messages.</param>
    /// <param name="baseUrl">The cluster's REST endpoint (the JobManager, e.g. <c>http://flink-jobmanager:8081</c>,
    /// or a proxy path in front of it); the client adds the <c>/v1/</c> prefix.</param>
    /// <param name="bearerToken">Sent as <c>Authorization: Bearer</c> when the endpoint sits behind an authenticating proxy; null for none. Never logged.</param>
    /// <exception cref="ArgumentException"><paramref name="clusterName"/> is blank, or <paramref name="baseUrl"/> is not an absolute http(s) URL.</exception>
    public IFlinkPlatform Create(string clusterName, Uri baseUrl, string? bearerToken = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterName);
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The base URL of Flink cluster {clusterName} must be an absolute http(s) URL.", nameof(baseUrl));
        }

        var http = _httpClientFactory.CreateClient(HttpClientNamePrefix + clusterName);
        // A trailing slash keeps a proxy path prefix when "v1/..." is resolved against the base address.
        http.BaseAddress = new UriBuilder(baseUrl) { Path = baseUrl.AbsolutePath.TrimEnd('/') + "/" }.Uri;
        if (bearerToken is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        return new FlinkRestPlatform(http, clusterName, _options.Value.JarRunTimeout, _loggerFactory.CreateLogger<FlinkRestPlatform>());
    }
}
