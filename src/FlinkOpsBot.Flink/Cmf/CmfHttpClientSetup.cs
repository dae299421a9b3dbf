using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using FlinkOpsBot.Flink.Rest;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Flink.Cmf;

/// <summary>
/// The credentials of each CMF cluster, registered by <see cref="FlinkPlatformFactory"/> before the cluster's first
/// HttpClient is created, and the cluster's token source (one per cluster, so its cache outlives a platform instance).
/// </summary>
internal sealed class CmfConnections(TimeProvider time)
{
    /// <summary>The IHttpClientFactory name of the client that calls OAuth token endpoints.</summary>
    public const string TokenClientName = "cmf-token";

    private readonly ConcurrentDictionary<string, CmfAuthOptions> _auth = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ICmfTokenSource> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Func<HttpClient>> _tokenClients = new(StringComparer.Ordinal);

    /// <summary>
    /// Records a cluster's credentials; <paramref name="tokenClient"/> gives the HttpClient for its OAuth token endpoint (taken
    /// from the factory's caller, not injected here: this registry is a dependency of IHttpClientFactory's own configuration).
    /// </summary>
    public void Register(string cluster, CmfAuthOptions auth, Func<HttpClient> tokenClient)
    {
        _auth[cluster] = auth;
        _tokenClients[cluster] = tokenClient;
    }

    public CmfAuthOptions AuthOf(string cluster) => _auth.GetValueOrDefault(cluster) ?? new CmfAuthOptions();

    /// <summary>The cluster's token source, or null when it does not use bearer tokens.</summary>
    public ICmfTokenSource? TokensOf(string cluster)
    {
        var auth = AuthOf(cluster);
        if (auth.Mode != CmfAuthMode.Bearer) return null;
        return _tokens.GetOrAdd(cluster, _ => string.IsNullOrWhiteSpace(auth.TokenEndpoint)
            ? new StaticCmfTokenSource(auth.Token ?? "")
            : new OAuthClientCredentialsTokenSource(_tokenClients.GetValueOrDefault(cluster) ?? (() => new HttpClient()), new Uri(auth.TokenEndpoint),
                auth.ClientId ?? "", auth.ClientSecret ?? "", auth.Scope, time));
    }
}

/// <summary>
/// Configures every IHttpClientFactory client named <c>cmf:&lt;cluster&gt;</c>: the cluster's resilience pipeline (shared with
/// the Flink REST client: per-attempt timeout, retries for GETs only, a circuit breaker per cluster), the bearer token, and
/// for mTLS a primary handler with the client certificate (and, when configured, a private CA to trust).
/// </summary>
internal sealed class CmfHttpClientSetup(FlinkResiliencePipelines pipelines, CmfConnections connections) : IConfigureNamedOptions<HttpClientFactoryOptions>
{
    public void Configure(string? name, HttpClientFactoryOptions options)
    {
        if (name is null || !name.StartsWith(FlinkPlatformFactory.CmfHttpClientNamePrefix, StringComparison.Ordinal)) return;

        var cluster = name[FlinkPlatformFactory.CmfHttpClientNamePrefix.Length..];
        var auth = connections.AuthOf(cluster);
        var pipeline = pipelines.For(cluster);
        options.HttpClientActions.Add(client => client.Timeout = Timeout.InfiniteTimeSpan);
        options.HttpMessageHandlerBuilderActions.Add(builder =>
        {
            builder.AdditionalHandlers.Add(new FlinkResilienceHandler(pipeline));
            if (connections.TokensOf(cluster) is { } tokens) builder.AdditionalHandlers.Add(new CmfBearerHandler(tokens));
            if (auth.Mode == CmfAuthMode.MutualTls || !string.IsNullOrWhiteSpace(auth.CaCertificatePath))
            {
                builder.PrimaryHandler = CreateTlsHandler(auth);
            }
        });
    }

    public void Configure(HttpClientFactoryOptions options) => Configure(Options.DefaultName, options);

    /// <summary>
    /// A handler that presents the client certificate (mTLS) and, when <see cref="CmfAuthOptions.CaCertificatePath"/> is set,
    /// trusts exactly those CAs for CMF's server certificate.
    /// </summary>
    internal static SocketsHttpHandler CreateTlsHandler(CmfAuthOptions auth)
    {
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        if (auth.Mode == CmfAuthMode.MutualTls)
        {
            var certificate = X509Certificate2.CreateFromPemFile(auth.ClientCertificatePath!, auth.ClientKeyPath);
            handler.SslOptions.ClientCertificates = [certificate];
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate;
        }
        if (!string.IsNullOrWhiteSpace(auth.CaCertificatePath))
        {
            var authorities = new X509Certificate2Collection();
            authorities.ImportFromPemFile(auth.CaCertificatePath);
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
            {
                if (certificate is null) return false;
                if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None) return false; // name mismatch, no certificate
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(new X509Certificate2(certificate));
            };
        }
        return handler;
    }
}
