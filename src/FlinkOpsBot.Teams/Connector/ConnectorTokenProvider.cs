using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Microsoft.Identity.Client;

namespace FlinkOpsBot.Teams.Connector;

/// <summary>
/// The bot's outbound token: OAuth 2.0 client credentials at <c>{authority}/oauth2/v2.0/token</c> for the scope
/// <c>https://api.botframework.com/.default</c> (Bot Framework docs), through one MSAL confidential client application
/// for the process, whose in-memory token cache returns the same token until shortly before it expires.
/// </summary>
internal sealed class ConnectorTokenProvider
{
    /// <summary>The named HttpClient MSAL uses (so the host's handlers, and in tests a loopback downgrade, apply).</summary>
    public const string HttpClientName = "FlinkOpsBot.Teams.Token";

    private static readonly string[] Scopes = [TeamsOptions.ConnectorScope];
    private readonly IConfidentialClientApplication _app;

    public ConnectorTokenProvider(IOptions<TeamsOptions> options, IHttpClientFactory httpClients)
    {
        var settings = options.Value;
        var builder = ConfidentialClientApplicationBuilder.Create(settings.AppId)
            .WithHttpClientFactory(new MsalHttpClientFactory(httpClients));
        builder = Credential(builder, settings);

        var authority = MsalAuthority(settings.EffectiveAuthority);
        builder = authority.Host.Equals("login.microsoftonline.com", StringComparison.OrdinalIgnoreCase)
            ? builder.WithAuthority(authority.AbsoluteUri)
            // Another host (sovereign clouds, a test's token endpoint): no instance discovery against the public cloud.
            : builder.WithAuthority(authority.AbsoluteUri, validateAuthority: false).WithInstanceDiscovery(false);
        _app = builder.Build();
    }

    /// <summary>A valid access token, from MSAL's cache when it has one.</summary>
    /// <exception cref="TeamsApiException">Entra ID refused the credentials or could not be reached (<see cref="TeamsApiException.TokenUnavailable"/>).</exception>
    public Task<string> GetTokenAsync(CancellationToken cancellationToken) => GetTokenAsync(Scopes, cancellationToken);

    /// <summary>
    /// A valid app-only token for another resource of the same app registration, e.g. Microsoft Graph
    /// (<c>https://graph.microsoft.com/.default</c>), from MSAL's cache when it has one.
    /// </summary>
    /// <exception cref="TeamsApiException">Entra ID refused the credentials or could not be reached (<see cref="TeamsApiException.TokenUnavailable"/>).</exception>
    public async Task<string> GetTokenAsync(string[] scopes, CancellationToken cancellationToken)
    {
        try
        {
            var result = await _app.AcquireTokenForClient(scopes).ExecuteAsync(cancellationToken);
            return result.AccessToken;
        }
        catch (MsalException e)
        {
            var status = e is MsalServiceException service ? service.StatusCode : 0;
            throw new TeamsApiException("token", status, TeamsApiException.TokenUnavailable, e.ErrorCode, e);
        }
    }

    /// <summary>
    /// MSAL accepts only https authorities. A loopback http authority (a test's token endpoint) is given to MSAL as
    /// https, and <see cref="LoopbackDowngradeHandler"/> sends its requests over http again.
    /// </summary>
    public static Uri MsalAuthority(Uri authority) =>
        authority.Scheme == Uri.UriSchemeHttp && authority.IsLoopback
            ? new UriBuilder(authority) { Scheme = Uri.UriSchemeHttps, Port = authority.Port }.Uri
            : authority;

    private static ConfidentialClientApplicationBuilder Credential(ConfidentialClientApplicationBuilder builder, TeamsOptions settings)
    {
        if (!string.IsNullOrWhiteSpace(settings.AppPassword)) return builder.WithClientSecret(settings.AppPassword);
        if (!string.IsNullOrWhiteSpace(settings.CertificatePath))
        {
            return builder.WithCertificate(X509CertificateLoader.LoadPkcs12FromFile(settings.CertificatePath, settings.CertificatePassword));
        }
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadOnly);
        var found = store.Certificates.Find(X509FindType.FindByThumbprint, settings.CertificateThumbprint ?? "", validOnly: false);
        if (found.Count == 0)
        {
            throw new InvalidOperationException($"{TeamsOptions.SectionName}:{nameof(TeamsOptions.CertificateThumbprint)}: no certificate with thumbprint {settings.CertificateThumbprint} in CurrentUser\\My.");
        }
        return builder.WithCertificate(found[0]);
    }

    private sealed class MsalHttpClientFactory(IHttpClientFactory httpClients) : IMsalHttpClientFactory
    {
        public HttpClient GetHttpClient() => httpClients.CreateClient(HttpClientName);
    }
}

/// <summary>
/// Sends requests MSAL addressed to <c>https://{loopback authority}</c> over http, for a test's local token endpoint
/// configured as <c>Teams:Authority = http://127.0.0.1:…</c>. Registered only for such an authority; never for a
/// remote host.
/// </summary>
internal sealed class LoopbackDowngradeHandler(Uri httpAuthority) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsLoopback: true } uri && uri.Scheme == Uri.UriSchemeHttps
            && uri.Port == httpAuthority.Port && string.Equals(uri.Host, httpAuthority.Host, StringComparison.OrdinalIgnoreCase))
        {
            request.RequestUri = new UriBuilder(uri) { Scheme = Uri.UriSchemeHttp, Port = uri.Port }.Uri;
        }
        return base.SendAsync(request, cancellationToken);
    }
}
