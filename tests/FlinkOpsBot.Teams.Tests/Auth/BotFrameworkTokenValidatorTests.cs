using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using FlinkOpsBot.Teams.Auth;
using FlinkOpsBot.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.Tokens;

namespace FlinkOpsBot.Teams.Tests.Auth;

public sealed class BotFrameworkTokenValidatorTests : IAsyncLifetime
{
    private const string AppId = "eac5e5c6-ab14-4f50-80cb-49213fe51b1a";
    private const string TenantId = "0b5c1d6e-7f80-4a1b-9c2d-3e4f5a6b7c8d";
    private const string OtherTenantId = "11111111-2222-4333-8444-555555555555";
    private const string ServiceUrl = "https://smba.trafficmanager.net/amer/";
    private const string Teams = "msteams";

    private readonly ManualTimeProvider _clock = new();
    private readonly HttpClient _http = new();
    private FakeIdentityProvider _idp = null!;

    public async Task InitializeAsync() => _idp = await FakeIdentityProvider.StartAsync(TenantId);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _idp.DisposeAsync();
    }

    [Fact]
    public async Task ValidateAsync_TeamsTokenFromBotConnector_IsAcceptedWithItsClaims()
    {
        var result = await Validator().ValidateAsync(Bearer(BotFrameworkToken()), Teams, ServiceUrl, default);

        Assert.True(result.IsValid, result.Failure);
        Assert.Null(result.Failure);
        Assert.Equal(ServiceUrl, result.Identity!.FindFirst("serviceurl")?.Value);
        Assert.Equal(AppId, result.Identity.FindFirst("aud")?.Value);
        Assert.Equal(FakeIdentityProvider.BotFrameworkIssuer, result.Identity.FindFirst("iss")?.Value);
    }

    [Theory]
    [InlineData(SecurityAlgorithms.RsaSha256)]
    [InlineData(SecurityAlgorithms.RsaSha384)]
    [InlineData(SecurityAlgorithms.RsaSha512)]
    public async Task ValidateAsync_AllowedRsaAlgorithm_IsAccepted(string algorithm)
    {
        var token = BotFrameworkToken(credentials: _idp.TeamsKey.Credentials(algorithm));

        var result = await Validator().ValidateAsync(Bearer(token), Teams, ServiceUrl, default);

        Assert.True(result.IsValid, result.Failure);
    }

    [Theory]
    [InlineData("https://evil.example.com")]
    [InlineData("https://api.botframework.com/")]
    [InlineData("https://API.botframework.com")]
    [InlineData("https://api.botframework.us")]
    [InlineData("https://sts.windows.net/" + OtherTenantId + "/")]
    [InlineData("https://login.microsoftonline.com/" + OtherTenantId + "/v2.0")]
    public async Task ValidateAsync_UntrustedIssuer_IsRefused(string issuer)
    {
        var result = await Validator().ValidateAsync(Bearer(BotFrameworkToken(issuer: issuer)), Teams, ServiceUrl, default);

        AssertRefused(result, "issuer");
        Assert.Equal(0, _idp.Requests(FakeIdentityProvider.BotFrameworkMetadataPath));
    }

    [Fact]
    public async Task ValidateAsync_WrongAudience_IsRefused()
    {
        var token = BotFrameworkToken(audience: "4f1c9a7e-0000-4000-8000-000000000001");

        var result = await Validator().ValidateAsync(Bearer(token), Teams, ServiceUrl, default);

        AssertRefused(result, nameof(SecurityTokenInvalidAudienceException));
    }

    [Fact]
    public async Task ValidateAsync_ExpiredBeyondClockSkew_IsRefused()
    {
        var token = BotFrameworkToken();
        _clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(1));

        var result = await Validator().ValidateAsync(Bearer(token), Teams, ServiceUrl, default);

        AssertRefused(result, nameof(SecurityTokenInvalidLifetimeException));
    }

    [Fact]
    public async Task ValidateAsync_ExpiredWithinClockSkew_IsAccepted()
    {
        var token = BotFrameworkToken();
        _clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(4));

        var result = await Validator().ValidateAsync(Bearer(token), Teams, ServiceUrl, default);

        Assert.True(result.IsValid, result.Failure);
    }

    [Fact]
    public async Task ValidateAsync_NotYetValidBeyondClockSkew_IsRefused()
    {
        var token = BotFrameworkToken(notBefore: _clock.GetUtcNow().AddMinutes(6));

        var result = await Validator().ValidateAsync(Bearer(token), Teams, ServiceUrl, default);

        AssertRefused(result, nameof(SecurityTokenInvalidLifetimeException));
    }

    [Fact]
    public async Task ValidateAsync_NotYetValidWithinClockSkew_IsAccepted()
    {
        var token = BotFrameworkToken(notBefore: _clock.GetUtcNow().AddMinutes(4));

        var result = await Validator().ValidateAsync(Bearer(token), Teams, ServiceUrl, default);

        Assert.True(result.IsValid, result.Failure);
    }

    [Fact]
    public async Task ValidateAsync_UnsignedTokenNamingAPublishedKey_IsRefused()
    {
        var now = _clock.GetUtcNow();
        var header = new JsonObject { ["alg"] = "none", ["typ"] = "JWT", ["kid"] = _idp.TeamsKey.Kid };
        var payload = new JsonObject
        {
            ["iss"] = FakeIdentityProvider.BotFrameworkIssuer,
            ["aud"] = AppId,
            ["serviceurl"] = ServiceUrl,
            ["nbf"] = now.ToUnixTimeSeconds(),
            ["exp"] = now.AddHours(1).ToUnixTimeSeconds(),
        };
        var token = $"{Base64UrlEncoder.Encode(header.ToJsonString())}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.";

        var result = await Validator().ValidateAsync(Bearer(token), Teams, ServiceUrl, default);

        AssertRefused(result, nameof(SecurityTokenInvalidSignatureException));
    }

    [Fact]
    public async Task ValidateAsync_Hs256TokenNamingAPublishedKey_IsRefused()
    {
        var secret = new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = _idp.TeamsKey.Kid };
        var token = BotFrameworkToken(credentials: new SigningCredentials(secret, SecurityAlgorithms.HmacSha256));

        var result = await Validator().ValidateAsync(Bearer(token), Teams, ServiceUrl, default);

        AssertRefused(result, nameof(SecurityTokenInvalidSignatureException));
    }

    [Fact]
    public async Task ValidateAsync_RsaPssTokenSignedByAPublishedKey_IsRefusedByTheAlgorithmList()
    {
        // The key could verify PS256; only the RS256/384/512 list refuses it (IdentityModel 8 reports that as a signature failure).
        var token = BotFrameworkToken(credentials: _idp.TeamsKey.Credentials(SecurityAlgorithms.RsaSsaPssSha256));

        var result = await Validator().ValidateAsync(Bearer(token), Teams, ServiceUrl, default);

        AssertRefused(result, nameof(SecurityTokenInvalidSignatureException));
    }

    [Fact]
    public async Task ValidateAsync_SignedByAnotherKeyUnderAPublishedKid_IsRefused()
    {
        var impostor = _idp.UnpublishedKey(_idp.TeamsKey.Kid);

        var result = await Validator().ValidateAsync(Bearer(BotFrameworkToken(credentials: impostor.Credentials())), Teams, ServiceUrl, default);

        AssertRefused(result, nameof(SecurityTokenInvalidSignatureException));
    }

    [Fact]
    public async Task ValidateAsync_SignedByAKeyNotInTheJwks_IsRefusedAfterOneRefresh()
    {
        var stranger = _idp.UnpublishedKey("not-published");

        var result = await Validator().ValidateAsync(Bearer(BotFrameworkToken(credentials: stranger.Credentials())), Teams, ServiceUrl, default);

        AssertRefused(result, "kid");
        Assert.Equal(2, _idp.Requests(FakeIdentityProvider.BotFrameworkKeysPath));
    }

    [Fact]
    public async Task ValidateAsync_KeyWithoutEndorsements_IsRefused()
    {
        var token = BotFrameworkToken(credentials: _idp.UnendorsedKey.Credentials());

        var result = await Validator().ValidateAsync(Bearer(token), Teams, ServiceUrl, default);

        AssertRefused(result, "endorsed");
    }

    [Fact]
    public async Task ValidateAsync_KeyNotEndorsedForTheActivitysChannel_IsRefused()
    {
        var result = await Validator().ValidateAsync(Bearer(BotFrameworkToken()), "webchat", ServiceUrl, default);

        AssertRefused(result, "endorsed");
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/emea/")]
    [InlineData("https://evil.example.com/amer/")]
    [InlineData("")]
    public async Task ValidateAsync_ServiceUrlNotTheTokens_IsRefused(string activityServiceUrl)
    {
        var result = await Validator().ValidateAsync(Bearer(BotFrameworkToken()), Teams, activityServiceUrl, default);

        AssertRefused(result, "serviceurl");
    }

    [Theory]
    [InlineData("https://smba.trafficmanager.net/amer")]
    [InlineData("https://SMBA.trafficmanager.net/amer/")]
    public async Task ValidateAsync_ServiceUrlDiffersOnlyInCaseOrTrailingSlash_IsAccepted(string activityServiceUrl)
    {
        var result = await Validator().ValidateAsync(Bearer(BotFrameworkToken()), Teams, activityServiceUrl, default);

        Assert.True(result.IsValid, result.Failure);
    }

    [Fact]
    public async Task ValidateAsync_TokenWithoutServiceUrlClaim_IsRefused()
    {
        var token = BotFrameworkToken(claims: new Dictionary<string, object>());

        var result = await Validator().ValidateAsync(Bearer(token), Teams, ServiceUrl, default);

        AssertRefused(result, "serviceurl");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Bearer ")]
    [InlineData("bearer {token}")]
    [InlineData("Basic {token}")]
    [InlineData("Bearer  {token}")]
    [InlineData("Bearer {token} extra")]
    [InlineData(" Bearer {token}")]
    public async Task ValidateAsync_MalformedAuthorizationHeader_IsRefused(string? header)
    {
        var result = await Validator().ValidateAsync(header?.Replace("{token}", BotFrameworkToken(), StringComparison.Ordinal), Teams, ServiceUrl, default);

        AssertRefused(result, "Bearer <token>");
    }

    [Theory]
    [InlineData("not-a-jwt")]
    [InlineData("a.b.c")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.%%%.sig")]
    public async Task ValidateAsync_GarbledToken_IsRefused(string token)
    {
        var result = await Validator().ValidateAsync(Bearer(token), Teams, ServiceUrl, default);

        AssertRefused(result, "well-formed");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ValidateAsync_SingleTenantEntraTokenWithTheBotsTenant_IsAccepted(bool v1Issuer)
    {
        var token = EntraToken(v1Issuer ? _idp.EntraV1Issuer : _idp.EntraV2Issuer, TenantId);

        var result = await Validator(singleTenant: true).ValidateAsync(Bearer(token), Teams, ServiceUrl, default);

        Assert.True(result.IsValid, result.Failure);
        Assert.Equal(TenantId, result.Identity!.FindFirst("tid")?.Value);
        Assert.Equal(1, _idp.Requests($"/{TenantId}/v2.0/.well-known/openid-configuration"));
        Assert.Equal(0, _idp.Requests(FakeIdentityProvider.BotFrameworkMetadataPath));
    }

    [Fact]
    public async Task ValidateAsync_SingleTenantEntraTokenWithAnotherTid_IsRefused()
    {
        var token = EntraToken(_idp.EntraV2Issuer, OtherTenantId);

        var result = await Validator(singleTenant: true).ValidateAsync(Bearer(token), Teams, ServiceUrl, default);

        AssertRefused(result, "tid");
    }

    [Fact]
    public async Task ValidateAsync_EntraTokenWhenNotSingleTenant_IsRefused()
    {
        var result = await Validator().ValidateAsync(Bearer(EntraToken(_idp.EntraV2Issuer, TenantId)), Teams, ServiceUrl, default);

        AssertRefused(result, "issuer");
    }

    [Fact]
    public async Task ValidateAsync_EntraIssuerSignedWithABotConnectorKey_IsRefused()
    {
        var token = EntraToken(_idp.EntraV2Issuer, TenantId, _idp.TeamsKey.Credentials());

        var result = await Validator(singleTenant: true).ValidateAsync(Bearer(token), Teams, ServiceUrl, default);

        AssertRefused(result, "kid");
    }

    [Fact]
    public async Task ValidateAsync_ManyValidations_FetchMetadataOnce()
    {
        var validator = Validator();

        for (var i = 0; i < 5; i++)
        {
            var result = await validator.ValidateAsync(Bearer(BotFrameworkToken()), Teams, ServiceUrl, default);
            Assert.True(result.IsValid, result.Failure);
            _clock.Advance(TimeSpan.FromHours(1));
        }

        Assert.Equal(1, _idp.Requests(FakeIdentityProvider.BotFrameworkMetadataPath));
        Assert.Equal(1, _idp.Requests(FakeIdentityProvider.BotFrameworkKeysPath));
    }

    [Fact]
    public async Task ValidateAsync_ConcurrentFirstValidations_FetchMetadataOnce()
    {
        var validator = Validator();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            validator.ValidateAsync(Bearer(BotFrameworkToken()), Teams, ServiceUrl, default)));

        Assert.All(results, r => Assert.True(r.IsValid, r.Failure));
        Assert.Equal(1, _idp.Requests(FakeIdentityProvider.BotFrameworkMetadataPath));
    }

    [Fact]
    public async Task ValidateAsync_MetadataOlderThanRefreshInterval_IsFetchedAgain()
    {
        var validator = Validator();
        await validator.ValidateAsync(Bearer(BotFrameworkToken()), Teams, ServiceUrl, default);
        _clock.Advance(TimeSpan.FromHours(24));

        var result = await validator.ValidateAsync(Bearer(BotFrameworkToken()), Teams, ServiceUrl, default);
        var fetchesSoFar = _idp.Requests(FakeIdentityProvider.BotFrameworkMetadataPath);
        var soonAfter = await validator.ValidateAsync(Bearer(BotFrameworkToken()), Teams, ServiceUrl, default);

        Assert.True(result.IsValid, result.Failure);
        Assert.True(soonAfter.IsValid, soonAfter.Failure);
        Assert.True(fetchesSoFar > 1, "the stale metadata was not fetched again");
        Assert.Equal(fetchesSoFar, _idp.Requests(FakeIdentityProvider.BotFrameworkMetadataPath)); // no retry on every request
    }

    [Fact]
    public async Task ValidateAsync_TokenFromARotatedKey_RefreshesOnceAndIsAccepted()
    {
        var validator = Validator();
        Assert.True((await validator.ValidateAsync(Bearer(BotFrameworkToken()), Teams, ServiceUrl, default)).IsValid);
        var rotated = _idp.RotateBotFrameworkKey("bf-key-rotated");

        var first = await validator.ValidateAsync(Bearer(BotFrameworkToken(credentials: rotated.Credentials())), Teams, ServiceUrl, default);
        var second = await validator.ValidateAsync(Bearer(BotFrameworkToken(credentials: rotated.Credentials())), Teams, ServiceUrl, default);
        var old = await validator.ValidateAsync(Bearer(BotFrameworkToken()), Teams, ServiceUrl, default);

        Assert.True(first.IsValid, first.Failure);
        Assert.True(second.IsValid, second.Failure);
        Assert.True(old.IsValid, old.Failure);
        Assert.Equal(2, _idp.Requests(FakeIdentityProvider.BotFrameworkMetadataPath));
        Assert.Equal(2, _idp.Requests(FakeIdentityProvider.BotFrameworkKeysPath));
    }

    [Fact]
    public async Task ValidateAsync_UnknownKidsWithinForcedRefreshInterval_RefreshOnlyOnce()
    {
        var validator = Validator();
        var stranger = _idp.UnpublishedKey("made-up");

        for (var i = 0; i < 3; i++)
        {
            AssertRefused(await validator.ValidateAsync(Bearer(BotFrameworkToken(credentials: stranger.Credentials())), Teams, ServiceUrl, default), "kid");
        }
        Assert.Equal(2, _idp.Requests(FakeIdentityProvider.BotFrameworkKeysPath));

        _clock.Advance(TimeSpan.FromMinutes(5));
        var rotated = _idp.RotateBotFrameworkKey("bf-key-later");
        var result = await validator.ValidateAsync(Bearer(BotFrameworkToken(credentials: rotated.Credentials())), Teams, ServiceUrl, default);

        Assert.True(result.IsValid, result.Failure);
        Assert.Equal(3, _idp.Requests(FakeIdentityProvider.BotFrameworkKeysPath));
    }

    [Fact]
    public async Task ValidateAsync_MetadataUnavailable_IsRefusedWithoutThrowing()
    {
        _idp.Failing = true;

        var result = await Validator().ValidateAsync(Bearer(BotFrameworkToken()), Teams, ServiceUrl, default);

        AssertRefused(result, "metadata is unavailable");
    }

    [Fact]
    public async Task ValidateAsync_MetadataUnavailableAtRefresh_KeepsUsingTheKeysItHas()
    {
        var validator = Validator();
        await validator.ValidateAsync(Bearer(BotFrameworkToken()), Teams, ServiceUrl, default);
        _idp.Failing = true;
        _clock.Advance(TimeSpan.FromHours(25));

        var result = await validator.ValidateAsync(Bearer(BotFrameworkToken()), Teams, ServiceUrl, default);
        var fetchesSoFar = _idp.Requests(FakeIdentityProvider.BotFrameworkMetadataPath);
        var soonAfter = await validator.ValidateAsync(Bearer(BotFrameworkToken()), Teams, ServiceUrl, default);

        Assert.True(result.IsValid, result.Failure);
        Assert.True(soonAfter.IsValid, soonAfter.Failure);
        Assert.True(fetchesSoFar > 1, "the stale metadata was not fetched again");
        Assert.Equal(fetchesSoFar, _idp.Requests(FakeIdentityProvider.BotFrameworkMetadataPath)); // no retry on every request
    }

    [Fact]
    public async Task ValidateAsync_PlainHttpMetadataWithoutTheTestFlag_IsRefused()
    {
        var validator = Validator(settings => settings with { AllowInsecureMetadataForTests = false });

        var result = await validator.ValidateAsync(Bearer(BotFrameworkToken()), Teams, ServiceUrl, default);

        AssertRefused(result, "metadata is unavailable");
        Assert.Equal(0, _idp.Requests(FakeIdentityProvider.BotFrameworkMetadataPath));
    }

    [Theory]
    [InlineData("not-a-guid", null)]
    [InlineData(AppId, "contoso.onmicrosoft.com")]
    public void Constructor_AppIdOrTenantIdNotAGuid_Throws(string appId, string? tenantId)
    {
        Assert.Throws<ArgumentException>(() => Validator(s => s with { AppId = appId, TenantId = tenantId }));
    }

    public static TheoryData<object> EndorsementShapes => new()
    {
        JsonDocument.Parse("""["msteams","skype"]""").RootElement.Clone(),
        new List<object> { "msteams", "skype" },
        new[] { "msteams", "skype" },
        new List<object> { JsonDocument.Parse("\"msteams\"").RootElement.Clone() },
    };

    [Theory]
    [MemberData(nameof(EndorsementShapes))]
    public void ReadEndorsements_ArrayOfStringsInAnyRuntimeShape_ListsTheChannels(object endorsements)
    {
        var key = new JsonWebKey { Kid = "k" };
        key.AdditionalData["endorsements"] = endorsements;

        Assert.Contains(Teams, BotFrameworkTokenValidator.ReadEndorsements(key));
    }

    [Theory]
    [InlineData("msteams")]
    [InlineData(42)]
    public void ReadEndorsements_NotAnArray_IsNoEndorsement(object endorsements)
    {
        var key = new JsonWebKey { Kid = "k" };
        key.AdditionalData["endorsements"] = endorsements;

        Assert.Empty(BotFrameworkTokenValidator.ReadEndorsements(key));
    }

    [Fact]
    public void ReadEndorsements_KeyParsedFromJwks_ListsTheChannels()
    {
        var jwks = new JsonWebKeySet(new JsonObject { ["keys"] = new JsonArray(_idp.TeamsKey.ToJwk()) }.ToJsonString());

        Assert.Equal(["msteams", "skype"], BotFrameworkTokenValidator.ReadEndorsements(jwks.Keys.Single()));
    }

    private BotFrameworkTokenValidator Validator(Func<BotAuthSettings, BotAuthSettings>? adjust = null, bool singleTenant = false)
    {
        var settings = new BotAuthSettings
        {
            AppId = AppId,
            TenantId = singleTenant ? TenantId : null,
            OpenIdMetadataUrl = _idp.BotFrameworkMetadataUrl,
            EntraOpenIdMetadataUrlTemplate = _idp.EntraMetadataUrlTemplate,
            AllowInsecureMetadataForTests = true,
        };
        return new BotFrameworkTokenValidator(adjust?.Invoke(settings) ?? settings, _http, _clock, NullLogger<BotFrameworkTokenValidator>.Instance);
    }

    private string BotFrameworkToken(
        SigningCredentials? credentials = null, string issuer = FakeIdentityProvider.BotFrameworkIssuer, string audience = AppId,
        Dictionary<string, object>? claims = null, DateTimeOffset? notBefore = null) =>
        FakeIdentityProvider.IssueToken(
            credentials ?? _idp.TeamsKey.Credentials(), issuer, audience, _clock.GetUtcNow(),
            claims ?? new Dictionary<string, object> { ["serviceurl"] = ServiceUrl }, notBefore,
            expires: notBefore?.AddHours(1));

    private string EntraToken(string issuer, string tid, SigningCredentials? credentials = null) =>
        FakeIdentityProvider.IssueToken(
            credentials ?? _idp.EntraKey.Credentials(), issuer, AppId, _clock.GetUtcNow(),
            new Dictionary<string, object> { ["tid"] = tid, ["serviceurl"] = ServiceUrl, ["azp"] = "d6d49420-f39b-4df7-a1dc-d59a935871db" });

    private static string Bearer(string token) => $"Bearer {token}";

    private static void AssertRefused(InboundAuthResult result, string reasonPart)
    {
        Assert.False(result.IsValid);
        Assert.Null(result.Identity);
        Assert.True(result.Failure?.Contains(reasonPart, StringComparison.Ordinal), $"expected '{reasonPart}' in: {result.Failure}");
    }
}
