namespace FlinkOpsBot.Teams;

/// <summary>
/// How the bot talks to Microsoft Teams through the Bot Framework: its Entra app registration (Azure Bot resource) and
/// the endpoints it trusts. Bound from the configuration section <see cref="SectionName"/> by
/// <see cref="TeamsServiceCollectionExtensions.AddTeams"/> and validated at start; the host calls <c>AddTeams</c> only
/// when Teams is enabled, so the credentials are required whenever these options exist. Secrets are never defaulted
/// and never logged.
/// </summary>
public sealed class TeamsOptions
{
    /// <summary>The configuration section the host binds: <c>Teams</c>.</summary>
    public const string SectionName = "Teams";

    /// <summary>The scope of the bot's outbound token (Bot Framework docs; Agents SDK <c>BotFrameworkDefaultScope</c>). Fixed.</summary>
    public const string ConnectorScope = "https://api.botframework.com/.default";

    /// <summary>The Bot Framework's OpenID metadata, which lists the keys that sign inbound requests.</summary>
    public static readonly Uri BotFrameworkOpenIdMetadataUrl = new("https://login.botframework.com/v1/.well-known/openidconfiguration");

    /// <summary>The legacy multi-tenant authority (Bot Framework docs); new multi-tenant bots cannot be registered since 2025-07-31.</summary>
    public static readonly Uri MultiTenantAuthority = new("https://login.microsoftonline.com/botframework.com");

    /// <summary>
    /// The bot's Microsoft App ID: the Entra application (client) id of the Azure Bot resource, a GUID. Inbound tokens
    /// must carry it as their audience; outbound tokens are requested for it. Required.
    /// </summary>
    public string AppId { get; set; } = "";

    /// <summary>
    /// A client secret of the app registration (Entra: Certificates &amp; secrets). One of <see cref="AppPassword"/>,
    /// <see cref="CertificatePath"/> or <see cref="CertificateThumbprint"/> is required.
    /// </summary>
    public string? AppPassword { get; set; }

    /// <summary>A PKCS#12 (<c>.pfx</c>) file with the app's certificate and private key, used instead of a secret.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/>, if it has one.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The SHA-1 thumbprint of the app's certificate in the current user's personal store (<c>My</c>), used instead of a secret.</summary>
    public string? CertificateThumbprint { get; set; }

    /// <summary>
    /// The Entra tenant id (GUID) the single-tenant bot is registered in. Required unless <see cref="Authority"/> is set
    /// (e.g. to the legacy multi-tenant <c>https://login.microsoftonline.com/botframework.com</c>).
    /// </summary>
    public string? TenantId { get; set; }

    /// <summary>
    /// Where the bot gets its outbound token (client credentials, <c>{Authority}/oauth2/v2.0/token</c>). Default
    /// <c>https://login.microsoftonline.com/{TenantId}</c>. Must be https; http is accepted only for a loopback host
    /// (a local fake token endpoint in tests).
    /// </summary>
    public Uri? Authority { get; set; }

    /// <summary>
    /// The OpenID metadata whose keys sign inbound Bot Framework tokens. Default
    /// <c>https://login.botframework.com/v1/.well-known/openidconfiguration</c>.
    /// </summary>
    public Uri OpenIdMetadataUrl { get; set; } = BotFrameworkOpenIdMetadataUrl;

    /// <summary>
    /// Microsoft Graph, where Entra group membership (<c>entra-group:&lt;object id&gt;</c> in the authorization policy)
    /// is checked with the app's own token (application permissions <c>User.Read.All</c> and <c>GroupMember.Read.All</c>,
    /// admin consent). Default <c>https://graph.microsoft.com/</c>; sovereign clouds have their own.
    /// </summary>
    public Uri GraphBaseUrl { get; set; } = DefaultGraphBaseUrl;

    /// <summary>The public cloud's Microsoft Graph.</summary>
    public static readonly Uri DefaultGraphBaseUrl = new("https://graph.microsoft.com/");

    /// <summary>The authority the token is requested from: <see cref="Authority"/>, or the tenant's.</summary>
    internal Uri EffectiveAuthority => Authority ?? new Uri($"https://login.microsoftonline.com/{TenantId}");

    /// <summary>The bot's own Teams id as it appears in activities' <c>recipient.id</c>: <c>28:{AppId}</c>.</summary>
    internal string BotId => "28:" + AppId;
}
