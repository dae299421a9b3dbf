using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace FlinkOpsBot.Testing.Teams;

/// <summary>An RSA signing key as a JWKS publishes it, with the Bot Connector's <c>endorsements</c> when given.</summary>
public sealed class TestSigningKey(string kid, string[]? endorsements = null) : IDisposable
{
    private readonly RSA _rsa = RSA.Create(2048);

    public string Kid { get; } = kid;

    public SigningCredentials Credentials(string algorithm = SecurityAlgorithms.RsaSha256) =>
        new(new RsaSecurityKey(_rsa) { KeyId = Kid }, algorithm);

    public JsonObject ToJwk()
    {
        var parameters = _rsa.ExportParameters(includePrivateParameters: false);
        var jwk = new JsonObject
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["kid"] = Kid,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
        if (endorsements is not null) jwk["endorsements"] = new JsonArray([.. endorsements.Select(e => (JsonNode)e)]);
        return jwk;
    }

    public void Dispose() => _rsa.Dispose();
}

/// <summary>
/// The Bot Connector's and one Entra tenant's OpenID metadata and JWKS on 127.0.0.1 over real HTTP, with self-made RSA
/// keys, counting requests per path. Bot Connector keys: <see cref="TeamsKey"/> (endorsed for <c>msteams</c>) and
/// <see cref="UnendorsedKey"/>; Entra: <see cref="EntraKey"/>. Also issues tokens.
/// </summary>
public sealed class FakeIdentityProvider : IAsyncDisposable
{
    public const string BotFrameworkIssuer = "https://api.botframework.com";
    public const string BotFrameworkMetadataPath = "/v1/.well-known/openidconfiguration";
    public const string BotFrameworkKeysPath = "/keys";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private readonly List<TestSigningKey> _ownedKeys = [];
    private volatile TestSigningKey[] _botFrameworkKeys;
    private volatile bool _failing;

    private FakeIdentityProvider(WebApplication app, string tenantId)
    {
        _app = app;
        TenantId = tenantId;
        _botFrameworkKeys = [TeamsKey, UnendorsedKey];
    }

    public string TenantId { get; }

    // Generating RSA keys is most of a test's time; the published ones are the same for every instance.
    public TestSigningKey TeamsKey { get; } = SharedKeys.Teams;

    public TestSigningKey UnendorsedKey { get; } = SharedKeys.Unendorsed;

    public TestSigningKey EntraKey { get; } = SharedKeys.Entra;

    public Uri BaseAddress { get; private set; } = null!;

    public string BotFrameworkMetadataUrl => new Uri(BaseAddress, BotFrameworkMetadataPath).ToString();

    /// <summary>Like <c>https://login.microsoftonline.com/{tenantId}/v2.0/.well-known/openid-configuration</c>.</summary>
    public string EntraMetadataUrlTemplate => BaseAddress + "{tenantId}/v2.0/.well-known/openid-configuration";

    public string EntraV2Issuer => $"https://login.microsoftonline.com/{TenantId}/v2.0";

    public string EntraV1Issuer => $"https://sts.windows.net/{TenantId}/";

    /// <summary>Makes every request answer 503 while set.</summary>
    public bool Failing { set => _failing = value; }

    public static async Task<FakeIdentityProvider> StartAsync(string tenantId)
    {
        var app = LoopbackHost.Create();
        var idp = new FakeIdentityProvider(app, tenantId);
        app.Use(async (http, next) =>
        {
            idp._requests.AddOrUpdate(http.Request.Path.Value!, 1, (_, n) => n + 1);
            if (idp._failing) http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            else await next(http);
        });
        app.MapGet(BotFrameworkMetadataPath, () => Metadata(BotFrameworkIssuer, new Uri(idp.BaseAddress, BotFrameworkKeysPath)));
        app.MapGet(BotFrameworkKeysPath, () => Jwks(idp._botFrameworkKeys));
        app.MapGet($"/{tenantId}/v2.0/.well-known/openid-configuration", () =>
            Metadata($"https://login.microsoftonline.com/{tenantId}/v2.0", new Uri(idp.BaseAddress, $"/{tenantId}/discovery/v2.0/keys")));
        app.MapGet($"/{tenantId}/discovery/v2.0/keys", () => Jwks([idp.EntraKey]));
        await app.StartAsync();
        idp.BaseAddress = LoopbackHost.BaseAddress(app);
        return idp;
    }

    /// <summary>How many requests arrived for <paramref name="path"/>.</summary>
    public int Requests(string path) => _requests.GetValueOrDefault(path);

    /// <summary>Publishes a new Bot Connector key from the next key fetch on (a key rotation), keeping the others.</summary>
    public TestSigningKey RotateBotFrameworkKey(string kid)
    {
        var key = Own(new TestSigningKey(kid, ["msteams"]));
        _botFrameworkKeys = [.. _botFrameworkKeys, key];
        return key;
    }

    /// <summary>A key the provider never publishes.</summary>
    public TestSigningKey UnpublishedKey(string kid) => Own(new TestSigningKey(kid, ["msteams"]));

    /// <summary>A compact JWS as the Bot Connector or Entra would issue it, valid for an hour from <paramref name="now"/>.</summary>
    public static string IssueToken(
        SigningCredentials credentials, string issuer, string audience, DateTimeOffset now,
        IReadOnlyDictionary<string, object>? claims = null, DateTimeOffset? notBefore = null, DateTimeOffset? expires = null) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = (notBefore ?? now).UtcDateTime,
            NotBefore = (notBefore ?? now).UtcDateTime,
            Expires = (expires ?? now.AddHours(1)).UtcDateTime,
            Claims = claims?.ToDictionary(),
            SigningCredentials = credentials,
        });

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        foreach (var key in _ownedKeys) key.Dispose();
    }

    private TestSigningKey Own(TestSigningKey key)
    {
        lock (_ownedKeys) _ownedKeys.Add(key);
        return key;
    }

    private static IResult Metadata(string issuer, Uri jwksUri) => Results.Json(new JsonObject
    {
        ["issuer"] = issuer,
        ["jwks_uri"] = jwksUri.ToString(),
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
    });

    private static IResult Jwks(IEnumerable<TestSigningKey> keys) =>
        Results.Json(new JsonObject { ["keys"] = new JsonArray([.. keys.Select(k => (JsonNode)k.ToJwk())]) });

    private static class SharedKeys
    {
        public static readonly TestSigningKey Teams = new("bf-key-1", ["msteams", "skype"]);
        public static readonly TestSigningKey Unendorsed = new("bf-key-2");
        public static readonly TestSigningKey Entra = new("entra-key-1");
    }
}
