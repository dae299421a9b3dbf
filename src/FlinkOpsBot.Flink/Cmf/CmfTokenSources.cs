using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Serialization;

namespace FlinkOpsBot.Flink.Cmf;

/// <summary>Gives the bearer token a CMF request carries. Implementations cache; a call is cheap.</summary>
public interface ICmfTokenSource
{
    /// <summary>A token valid for at least a little while longer. Throws <see cref="CmfApiException"/> (status 401) when none can be obtained.</summary>
    ValueTask<string> GetTokenAsync(CancellationToken cancellationToken);
}

/// <summary>A token from configuration (e.g. an MDS token or a long-lived service token).</summary>
internal sealed class StaticCmfTokenSource(string token) : ICmfTokenSource
{
    public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => ValueTask.FromResult(token);
}

/// <summary>
/// OAuth 2.0 client credentials (RFC 6749 §4.4): <c>POST</c> to the token endpoint with <c>grant_type=client_credentials</c>,
/// the client id and secret as HTTP Basic (RFC 6749 §2.3.1) and the scope; caches the access token until
/// <see cref="RefreshBefore"/> before its <c>expires_in</c> (identity providers commonly issue 5-minute tokens), one
/// refresh at a time.
/// </summary>
internal sealed class OAuthClientCredentialsTokenSource(
    Func<HttpClient> httpClient, Uri tokenEndpoint, string clientId, string clientSecret, string? scope, TimeProvider time) : ICmfTokenSource
{
    /// <summary>How long before expiry a cached token is replaced.</summary>
    internal static readonly TimeSpan RefreshBefore = TimeSpan.FromSeconds(60);

    /// <summary>The lifetime assumed when the answer has no <c>expires_in</c>.</summary>
    internal static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private (string Token, DateTimeOffset RefreshAt)? _cached;

    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } fresh && time.GetUtcNow() < fresh.RefreshAt) return fresh.Token;
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_cached is { } again && time.GetUtcNow() < again.RefreshAt) return again.Token;
            var (token, lifetime) = await RequestAsync(cancellationToken);
            var refreshIn = lifetime > RefreshBefore * 2 ? lifetime - RefreshBefore : lifetime / 2;
            _cached = (token, time.GetUtcNow() + refreshIn);
            return token;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<(string Token, TimeSpan Lifetime)> RequestAsync(CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (!string.IsNullOrWhiteSpace(scope)) form.Add(new("scope", scope));
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenEndpoint) { Content = new FormUrlEncodedContent(form) };
        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(clientSecret)}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        HttpResponseMessage response;
        try
        {
            response = await httpClient().SendAsync(request, cancellationToken);
        }
        catch (HttpRequestException e)
        {
            throw new CmfApiException($"The OAuth token endpoint {tokenEndpoint} did not answer: {e.Message}", 0, e);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new CmfApiException(
                    $"The OAuth token endpoint {tokenEndpoint} refused the client credentials of '{clientId}' ({(int)response.StatusCode} {response.ReasonPhrase}).", 401);
            }
            TokenResponse? body;
            try
            {
                body = await response.Content.ReadFromJsonAsync(CmfJsonContext.Default.TokenResponse, cancellationToken);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new CmfApiException($"The OAuth token endpoint {tokenEndpoint} answered with a body that is not a token response: {e.Message}", 401, e);
            }
            if (string.IsNullOrWhiteSpace(body?.AccessToken))
            {
                throw new CmfApiException($"The OAuth token endpoint {tokenEndpoint} answered without an access_token.", 401);
            }
            var lifetime = body.ExpiresIn is { } seconds && seconds > 0 ? TimeSpan.FromSeconds(seconds) : DefaultLifetime;
            return (body.AccessToken, lifetime);
        }
    }
}

/// <summary>An OAuth 2.0 token response (RFC 6749 §5.1); <c>expires_in</c> is seconds.</summary>
internal sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string? AccessToken = null,
    [property: JsonPropertyName("expires_in")] long? ExpiresIn = null,
    [property: JsonPropertyName("token_type")] string? TokenType = null);

/// <summary>Source-generated serialization of the few typed shapes the CMF client reads (everything CMF owns is read as JSON nodes).</summary>
[JsonSerializable(typeof(TokenResponse))]
internal sealed partial class CmfJsonContext : JsonSerializerContext;

/// <summary>Puts <c>Authorization: Bearer</c> on each CMF request (each retry too, so a refreshed token is used).</summary>
internal sealed class CmfBearerHandler(ICmfTokenSource tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
