namespace FlinkOpsBot.Teams.Auth;

/// <summary>
/// What <see cref="BotFrameworkTokenValidator"/> needs to know about this bot to check inbound tokens
/// (Bot Framework "Authenticate requests with the Bot Connector API"; chat-protocols.md §7).
/// Built by the Teams adapter's registration from its options; checked once, in the validator's constructor.
/// </summary>
internal sealed record BotAuthSettings
{
    /// <summary>The Bot Connector's OpenID metadata (public cloud).</summary>
    public const string DefaultOpenIdMetadataUrl = "https://login.botframework.com/v1/.well-known/openidconfiguration";

    /// <summary>Entra ID's per-tenant v2.0 OpenID metadata; <c>{tenantId}</c> is replaced with <see cref="TenantId"/>.</summary>
    public const string DefaultEntraOpenIdMetadataUrlTemplate = "https://login.microsoftonline.com/{tenantId}/v2.0/.well-known/openid-configuration";

    /// <summary>The placeholder in <see cref="EntraOpenIdMetadataUrlTemplate"/>.</summary>
    public const string TenantIdPlaceholder = "{tenantId}";

    /// <summary>The bot's Microsoft App ID (a GUID): the audience every inbound token must carry in <c>aud</c>.</summary>
    public required string AppId { get; init; }

    /// <summary>
    /// The Entra tenant (a GUID) of a single-tenant bot, or null. When set, tokens issued by that tenant
    /// (<c>https://sts.windows.net/{TenantId}/</c>, <c>https://login.microsoftonline.com/{TenantId}/v2.0</c>) are accepted
    /// besides Bot Connector tokens, keyed from the tenant's metadata and with <c>tid</c> equal to it.
    /// </summary>
    public string? TenantId { get; init; }

    /// <summary>The Bot Connector's OpenID metadata document. Default <see cref="DefaultOpenIdMetadataUrl"/>.</summary>
    public string OpenIdMetadataUrl { get; init; } = DefaultOpenIdMetadataUrl;

    /// <summary>The Entra metadata document for <see cref="TenantId"/>. Default <see cref="DefaultEntraOpenIdMetadataUrlTemplate"/>.</summary>
    public string EntraOpenIdMetadataUrlTemplate { get; init; } = DefaultEntraOpenIdMetadataUrlTemplate;

    /// <summary>How far <c>nbf</c>/<c>exp</c> may be off the host clock. Default 5 minutes, as the Bot Framework SDKs use.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long fetched metadata and signing keys are used before they are fetched again. Default 24 hours.</summary>
    public TimeSpan MetadataRefreshInterval { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// The least time between two fetches forced by a token whose <c>kid</c> is not in the cached keys (key rotation),
    /// so that tokens with made-up key ids cannot make the bot hammer the metadata endpoint. Default 5 minutes.
    /// </summary>
    public TimeSpan MinimumForcedRefreshInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Tests only: allows metadata and key documents over plain <c>http</c> when they are on a loopback address
    /// (<c>127.0.0.1</c>, <c>localhost</c>). Any other host still requires HTTPS, whatever this says. Default false.
    /// </summary>
    public bool AllowInsecureMetadataForTests { get; init; }
}
