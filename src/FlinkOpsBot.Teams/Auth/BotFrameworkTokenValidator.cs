using System.Collections;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace FlinkOpsBot.Teams.Auth;

/// <summary>
/// Checks the bearer token of a request to <c>/api/messages</c> (Bot Framework "Authenticate requests with the Bot
/// Connector API"; chat-protocols.md §7). The key source is chosen by the token's still unvalidated issuer:
/// <list type="bullet">
/// <item><c>https://api.botframework.com</c>: keys from the Bot Connector metadata; the signing key's
/// <c>endorsements</c> must list the activity's channelId.</item>
/// <item><c>https://sts.windows.net/{tenant}/</c> or <c>https://login.microsoftonline.com/{tenant}/v2.0</c>, only for the
/// configured single tenant: keys from that tenant's Entra metadata; <c>tid</c> must be the tenant.</item>
/// </list>
/// Both: signed with RS256/RS384/RS512 by the JWKS key the header's <c>kid</c> names, <c>aud</c> = the app id,
/// <c>nbf</c>/<c>exp</c> within the clock skew of <see cref="TimeProvider"/>, and <c>serviceurl</c> equal to the activity's
/// serviceUrl (case and a trailing slash aside). Every failure, including unreachable metadata, is a refusal, never an
/// exception; refusal reasons name the check that failed and carry nothing from the token.
/// </summary>
internal sealed class BotFrameworkTokenValidator : IInboundTokenValidator
{
    /// <summary>The issuer of tokens the Bot Connector service signs.</summary>
    public const string BotFrameworkIssuer = "https://api.botframework.com";

    /// <summary>The claim carrying the Connector endpoint the token was issued for.</summary>
    public const string ServiceUrlClaim = "serviceurl";

    /// <summary>The claim carrying the Entra tenant that issued the token.</summary>
    public const string TenantIdClaim = "tid";

    /// <summary>The JWK member listing the channels a Bot Connector signing key is endorsed for.</summary>
    public const string EndorsementsMember = "endorsements";

    private const string BearerPrefix = "Bearer ";
    private static readonly string[] AllowedAlgorithms = [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512];

    private readonly JsonWebTokenHandler _handler = new();
    private readonly string _appId;
    private readonly TimeSpan _clockSkew;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Authority _botFramework;
    private readonly Authority? _entra;

    /// <summary>Creates the validator; the metadata is fetched on the first request, not here.</summary>
    /// <param name="settings">The app id, the optional single tenant, metadata addresses, skew and refresh intervals.</param>
    /// <param name="metadataClient">The client that fetches metadata and key documents (HTTPS only, except loopback
    /// addresses when <see cref="BotAuthSettings.AllowInsecureMetadataForTests"/> is set).</param>
    /// <param name="time">The clock for token lifetimes and metadata refreshes.</param>
    /// <param name="logger">Logs metadata failures and forced refreshes.</param>
    /// <exception cref="ArgumentException">The app id or tenant id is not a GUID, a metadata address is not an absolute
    /// URL, or the skew or an interval is negative.</exception>
    public BotFrameworkTokenValidator(BotAuthSettings settings, HttpClient metadataClient, TimeProvider time, ILogger<BotFrameworkTokenValidator> logger)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _appId = NormalizeGuid(settings.AppId, nameof(settings.AppId));
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.ClockSkew, TimeSpan.Zero, nameof(settings.ClockSkew));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(settings.MetadataRefreshInterval, TimeSpan.Zero, nameof(settings.MetadataRefreshInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(settings.MinimumForcedRefreshInterval, TimeSpan.Zero, nameof(settings.MinimumForcedRefreshInterval));
        _clockSkew = settings.ClockSkew;
        _time = time;
        _logger = logger;

        OpenIdMetadataCache Cache(string address) => new(
            address, Retriever(address, metadataClient, settings.AllowInsecureMetadataForTests), time,
            settings.MetadataRefreshInterval, settings.MinimumForcedRefreshInterval, logger);

        _botFramework = new Authority(Cache(settings.OpenIdMetadataUrl), [BotFrameworkIssuer], TenantId: null);
        if (settings.TenantId is not null)
        {
            var tenant = NormalizeGuid(settings.TenantId, nameof(settings.TenantId));
            var address = settings.EntraOpenIdMetadataUrlTemplate.Replace(BotAuthSettings.TenantIdPlaceholder, tenant, StringComparison.Ordinal);
            _entra = new Authority(
                Cache(address), [$"https://sts.windows.net/{tenant}/", $"https://login.microsoftonline.com/{tenant}/v2.0"], tenant);
        }
    }

    /// <inheritdoc />
    public async Task<InboundAuthResult> ValidateAsync(string? authorizationHeader, string channelId, string serviceUrl, CancellationToken cancellationToken)
    {
        if (authorizationHeader is null
            || !authorizationHeader.StartsWith(BearerPrefix, StringComparison.Ordinal)
            || authorizationHeader.Length == BearerPrefix.Length
            || authorizationHeader.AsSpan(BearerPrefix.Length).ContainsAny(' ', '\t'))
        {
            return InboundAuthResult.Refused("Authorization header is not 'Bearer <token>'");
        }
        var token = authorizationHeader[BearerPrefix.Length..];

        JsonWebToken unvalidated;
        try
        {
            unvalidated = _handler.ReadJsonWebToken(token);
        }
        catch (Exception)
        {
            return InboundAuthResult.Refused("bearer token is not a well-formed JWT");
        }
        if (unvalidated.IsEncrypted) return InboundAuthResult.Refused("bearer token is encrypted (JWE)");

        var authority = AuthorityFor(unvalidated.Issuer);
        if (authority is null) return InboundAuthResult.Refused("token issuer is not trusted");
        if (string.IsNullOrEmpty(unvalidated.Kid)) return InboundAuthResult.Refused("token header names no signing key (kid)");

        var (signingKey, failure) = await FindSigningKeyAsync(authority.Metadata, unvalidated.Kid, cancellationToken);
        if (signingKey is null) return InboundAuthResult.Refused(failure!);

        var result = await _handler.ValidateTokenAsync(token, Parameters(authority, signingKey));
        if (!result.IsValid)
        {
            return InboundAuthResult.Refused($"token failed validation ({Describe(result.Exception)})");
        }

        if (authority.TenantId is null && !ReadEndorsements(signingKey).Contains(channelId, StringComparer.Ordinal))
        {
            return InboundAuthResult.Refused("signing key is not endorsed for the activity's channel");
        }
        if (authority.TenantId is not null
            && !(result.Claims.TryGetValue(TenantIdClaim, out var tid) && tid is string tenant
                 && Guid.TryParse(tenant, out var tenantId) && tenantId == Guid.Parse(authority.TenantId)))
        {
            return InboundAuthResult.Refused("token tenant (tid) is not the bot's tenant");
        }
        if (!(result.Claims.TryGetValue(ServiceUrlClaim, out var claimed) && claimed is string tokenServiceUrl
              && SameServiceUrl(tokenServiceUrl, serviceUrl)))
        {
            return InboundAuthResult.Refused("token serviceurl does not match the activity's serviceUrl");
        }
        return InboundAuthResult.Valid(result.ClaimsIdentity);
    }

    /// <summary>
    /// The channel ids in a Bot Connector key's <c>endorsements</c> member. IdentityModel keeps unknown JWK members in
    /// <see cref="JsonWebKey.AdditionalData"/> as whatever its reader produced (a <see cref="JsonElement"/>, or a list of
    /// boxed strings or elements), so every shape of a JSON array of strings is read; anything else is no endorsement.
    /// </summary>
    internal static IReadOnlyList<string> ReadEndorsements(JsonWebKey key)
    {
        if (!key.AdditionalData.TryGetValue(EndorsementsMember, out var value)) return [];
        return value switch
        {
            JsonElement { ValueKind: JsonValueKind.Array } array =>
                [.. array.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!)],
            string => [], // one string is not the array the Bot Connector publishes
            IEnumerable items => [.. items.Cast<object?>().Select(AsString).OfType<string>()],
            _ => [],
        };

        static string? AsString(object? item) => item switch
        {
            string s => s,
            JsonElement { ValueKind: JsonValueKind.String } e => e.GetString(),
            _ => null,
        };
    }

    /// <summary>Whether two service URLs are the same endpoint: ordinal, ignoring case and trailing slashes.</summary>
    internal static bool SameServiceUrl(string fromToken, string fromActivity) =>
        !string.IsNullOrWhiteSpace(fromActivity)
        && string.Equals(fromToken.Trim().TrimEnd('/'), fromActivity.Trim().TrimEnd('/'), StringComparison.OrdinalIgnoreCase);

    /// <summary>The failure's exception type and its inner one's: they name the check; messages could carry token parts.</summary>
    private static string Describe(Exception? failure) => failure switch
    {
        null => "unknown",
        { InnerException: { } inner } => $"{failure.GetType().Name} <- {inner.GetType().Name}",
        _ => failure.GetType().Name,
    };

    private Authority? AuthorityFor(string? issuer)
    {
        if (string.IsNullOrEmpty(issuer)) return null;
        if (_botFramework.Issuers.Contains(issuer, StringComparer.Ordinal)) return _botFramework;
        if (_entra is not null && _entra.Issuers.Contains(issuer, StringComparer.Ordinal)) return _entra;
        return null;
    }

    private async Task<(JsonWebKey? Key, string? Failure)> FindSigningKeyAsync(OpenIdMetadataCache metadata, string kid, CancellationToken cancellationToken)
    {
        try
        {
            var configuration = await metadata.GetAsync(cancellationToken);
            var key = FindKey(configuration, kid);
            if (key is null)
            {
                var refreshed = await metadata.ForceRefreshAsync(configuration, cancellationToken);
                key = FindKey(refreshed, kid);
            }
            return key is null ? (null, "token names a signing key (kid) not in the issuer's key set") : (key, null);
        }
        catch (InvalidOperationException e)
        {
            TeamsAuthLog.MetadataUnavailable(_logger, e, metadata.Address);
            return (null, "the issuer's OpenID metadata is unavailable");
        }
    }

    private static JsonWebKey? FindKey(OpenIdConnectConfiguration configuration, string kid) =>
        configuration.JsonWebKeySet?.Keys.FirstOrDefault(k =>
            string.Equals(k.Kid, kid, StringComparison.Ordinal)
            && string.Equals(k.Kty, JsonWebAlgorithmsKeyTypes.RSA, StringComparison.Ordinal)
            && (k.Use is null || string.Equals(k.Use, JsonWebKeyUseNames.Sig, StringComparison.Ordinal)));

    private TokenValidationParameters Parameters(Authority authority, JsonWebKey signingKey) => new()
    {
        ValidIssuers = authority.Issuers,
        ValidAudience = _appId,
        IssuerSigningKey = signingKey,
        TryAllIssuerSigningKeys = false,
        RequireSignedTokens = true,
        ValidAlgorithms = AllowedAlgorithms,
        RequireExpirationTime = true,
        ClockSkew = _clockSkew,
        LifetimeValidator = LifetimeIsValid,
        SaveSigninToken = false,
    };

    /// <summary><c>exp</c> required; the token is good from <c>nbf</c> - skew until <c>exp</c> + skew on the injected clock.</summary>
    private bool LifetimeIsValid(DateTime? notBefore, DateTime? expires, SecurityToken token, TokenValidationParameters parameters)
    {
        if (expires is null) return false;
        var now = _time.GetUtcNow().UtcDateTime;
        if (notBefore is { } nbf && (nbf > expires.Value || nbf - _clockSkew > now)) return false;
        return now <= expires.Value + _clockSkew;
    }

    private static IDocumentRetriever Retriever(string address, HttpClient client, bool allowInsecureLoopback)
    {
        if (!Uri.TryCreate(address, UriKind.Absolute, out var uri))
        {
            throw new ArgumentException($"OpenID metadata address '{address}' is not an absolute URL", nameof(address));
        }
        return new HttpDocumentRetriever(client) { RequireHttps = !(allowInsecureLoopback && uri.IsLoopback) };
    }

    private static string NormalizeGuid(string value, string name) =>
        Guid.TryParse(value, out var guid)
            ? guid.ToString("D")
            : throw new ArgumentException($"{name} must be a GUID", name);

    /// <param name="Metadata">Where this issuer family's signing keys come from.</param>
    /// <param name="Issuers">The exact <c>iss</c> values accepted.</param>
    /// <param name="TenantId">The single tenant (lowercase GUID) for Entra; null for the Bot Connector.</param>
    private sealed record Authority(OpenIdMetadataCache Metadata, string[] Issuers, string? TenantId);
}
