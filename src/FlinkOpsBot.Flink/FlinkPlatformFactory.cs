using System.Net.Http.Headers;
using FlinkOpsBot.Core.Clusters;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Flink.Cmf;
using FlinkOpsBot.Flink.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Flink;

/// <summary>
/// Creates the <see cref="IFlinkPlatform"/> of a configured cluster: over the Apache Flink REST API v1 (platform
/// <c>flink-rest</c>) or over Confluent Manager for Apache Flink (platform <c>cmf</c>, which also implements
/// <see cref="ISqlPlatform"/>). Registered by <see cref="FlinkServiceCollectionExtensions.AddFlinkPlatforms"/>.
/// </summary>
public sealed class FlinkPlatformFactory
{
    /// <summary>
    /// The IHttpClientFactory name of a cluster's client is this prefix followed by the cluster name, e.g.
    /// <c>flink:prod-eu</c>. The host may configure that client further (a client certificate, a proxy) with
    /// <c>services.AddHttpClient("flink:prod-eu")</c>.
    /// </summary>
    public const string HttpClientNamePrefix = "flink:";

    /// <summary>
    /// The IHttpClientFactory name of a CMF cluster's client is this prefix followed by the cluster name, e.g. <c>cmf:prod-cp</c>;
    /// it carries the cluster's credentials (<see cref="CmfAuthOptions"/>) and resilience pipeline.
    /// </summary>
    public const string CmfHttpClientNamePrefix = "cmf:";

    private readonly IHttpClientFactory _httpClientFactory;
    private readonly IOptions<FlinkClientOptions> _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly CmfConnections _cmfConnections;
    private readonly TimeProvider _time;

    internal FlinkPlatformFactory(IHttpClientFactory httpClientFactory, IOptions<FlinkClientOptions> options, ILoggerFactory loggerFactory,
        CmfConnections cmfConnections, TimeProvider time)
    {
        _httpClientFactory = httpClientFactory;
        _options = options;
        _loggerFactory = loggerFactory;
        _cmfConnections = cmfConnections;
        _time = time;
    }

    /// <summary>
    /// The platform of a configured cluster, chosen by its <see cref="ClusterDefinition.Platform"/>: <c>flink-rest</c> (with an
    /// optional proxy <paramref name="bearerToken"/>) or <c>cmf</c> (for <see cref="ClusterDefinition.Environment"/>, with
    /// <paramref name="cmfAuth"/>; default no credentials).
    /// </summary>
    /// <exception cref="ArgumentException">The platform is unknown, a <c>cmf</c> cluster names no environment, or the base URL is not absolute http(s).</exception>
    public IFlinkPlatform Create(ClusterDefinition cluster, CmfAuthOptions? cmfAuth = null, string? bearerToken = null)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return cluster.Platform switch
        {
            ClusterDefinition.FlinkRest => Create(cluster.Name, cluster.BaseUrl, bearerToken),
            ClusterDefinition.Cmf => CreateCmf(cluster.Name, cluster.BaseUrl,
                cluster.Environment ?? throw new ArgumentException($"CMF cluster {cluster.Name} names no environment.", nameof(cluster)), cmfAuth),
            _ => throw new ArgumentException($"Cluster {cluster.Name} has platform '{cluster.Platform}'; known: {ClusterDefinition.FlinkRest}, {ClusterDefinition.Cmf}.", nameof(cluster)),
        };
    }

    /// <summary>
    /// A platform for one CMF environment (CMF REST <c>/cmf/api/v1</c>). Cheap, like <see cref="Create(string, Uri, string?)"/>;
    /// the cluster's credentials are fixed by its first call (its HttpClient configuration and OAuth token cache live for the process).
    /// </summary>
    /// <param name="clusterName">The cluster's configured name.</param>
    /// <param name="baseUrl">CMF's endpoint, e.g. <c>https://cmf.example:8080</c> (the client adds <c>/cmf/api/v1/</c>).</param>
    /// <param name="environment">The CMF environment whose applications and statements this cluster drives.</param>
    /// <param name="auth">Credentials; null for none.</param>
    /// <exception cref="ArgumentException">A blank name or environment, or a base URL that is not absolute http(s).</exception>
    public IFlinkPlatform CreateCmf(string clusterName, Uri baseUrl, string environment, CmfAuthOptions? auth = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(clusterName);
        ArgumentException.ThrowIfNullOrWhiteSpace(environment);
        ArgumentNullException.ThrowIfNull(baseUrl);
        if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"The base URL of CMF cluster {clusterName} must be an absolute http(s) URL.", nameof(baseUrl));
        }
        _cmfConnections.Register(clusterName, auth ?? new CmfAuthOptions(), () => _httpClientFactory.CreateClient(CmfConnections.TokenClientName));
        var name = CmfHttpClientNamePrefix + clusterName;
        var http = _httpClientFactory.CreateClient(name);
        http.BaseAddress = WithTrailingSlash(baseUrl);
        HttpClient Proxy(string absolute)
        {
            var client = _httpClientFactory.CreateClient(name);
            client.BaseAddress = new Uri(absolute, UriKind.Absolute);
            return client;
        }
        return new CmfPlatform(new CmfClient(http, clusterName), environment, Proxy, _options.Value.JarRunTimeout, _time, _loggerFactory);
    }

    private static Uri WithTrailingSlash(Uri baseUrl) => new UriBuilder(baseUrl) { Path = baseUrl.AbsolutePath.TrimEnd('/') + "/" }.Uri;

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
        http.BaseAddress = WithTrailingSlash(baseUrl);
        if (bearerToken is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearerToken);
        return new FlinkRestPlatform(http, clusterName, _options.Value.JarRunTimeout, _loggerFactory.CreateLogger<FlinkRestPlatform>());
    }
}
