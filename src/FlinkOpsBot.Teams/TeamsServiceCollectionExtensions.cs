using FlinkOpsBot.Core.Authorization;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Teams.Activities;
using FlinkOpsBot.Teams.Auth;
using FlinkOpsBot.Teams.Cards;
using FlinkOpsBot.Teams.Connector;
using FlinkOpsBot.Teams.Groups;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Teams;

/// <summary>Registers the Microsoft Teams adapter.</summary>
public static class TeamsServiceCollectionExtensions
{
    /// <summary>
    /// Connections to the Connector and Entra ID are renewed this often, so long-lived clients follow DNS changes
    /// without IHttpClientFactory's handler rotation.
    /// </summary>
    private static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(5);

    /// <summary>The named HttpClient that fetches OpenID metadata and signing keys for inbound validation.</summary>
    private const string MetadataHttpClientName = "FlinkOpsBot.Teams.Metadata";

    /// <summary>How long one Connector call may take, retries included.</summary>
    private static readonly TimeSpan ConnectorTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Registers the Teams adapter: <see cref="TeamsOptions"/> bound from <paramref name="teamsSection"/> and validated at
    /// start (e.g. <c>{"AppId": "…", "AppPassword": "…", "TenantId": "…"}</c>), inbound token validation, the bot's
    /// outbound token (MSAL client credentials, one application per process), the Bot Connector client (a typed
    /// HttpClient that sends the token and retries 429 after <c>Retry-After</c>, and 5xx only where repeating is
    /// harmless), the endpoint that <see cref="TeamsEndpointRouteBuilderExtensions.MapTeams"/> maps, and an
    /// <see cref="IChatChannel"/> for the platform <c>teams</c>. Call it only when Teams is enabled: the credentials are then required.
    /// </summary>
    /// <remarks>
    /// The host registers what the adapter consumes: Core's <c>ICommandService</c>, <c>IRunStore</c>,
    /// <c>ITimelineStore</c>, <c>IConversationStore</c> and <c>RecipeCatalog</c>. Uses the registered
    /// <see cref="TimeProvider"/>, or the system clock.
    /// </remarks>
    /// <param name="services">The host's services.</param>
    /// <param name="teamsSection">The configuration section <see cref="TeamsOptions.SectionName"/>.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddTeams(this IServiceCollection services, IConfiguration teamsSection)
    {
        ArgumentNullException.ThrowIfNull(teamsSection);
        services.AddOptions<TeamsOptions>().Bind(teamsSection).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TeamsOptions>, TeamsOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        // Inbound: one validator for the process (it caches the metadata and keys).
        services.AddHttpClient(MetadataHttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = PooledConnectionLifetime })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.TryAddSingleton<IInboundTokenValidator>(sp => new BotFrameworkTokenValidator(
            AuthSettings(sp.GetRequiredService<IOptions<TeamsOptions>>().Value),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(MetadataHttpClientName),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<BotFrameworkTokenValidator>>()));
        services.TryAddSingleton<IAdaptiveCardRenderer, AdaptiveCardRenderer>();

        // Outbound token: one MSAL application (and token cache) for the process.
        var token = services.AddHttpClient(ConnectorTokenProvider.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = PooledConnectionLifetime })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        var authority = teamsSection.GetValue<Uri?>(nameof(TeamsOptions.Authority));
        if (authority is { IsAbsoluteUri: true, IsLoopback: true } && authority.Scheme == Uri.UriSchemeHttp)
        {
            token.AddHttpMessageHandler(() => new LoopbackDowngradeHandler(authority));
        }
        services.TryAddSingleton<ConnectorTokenProvider>();

        services.TryAddSingleton<ServiceUrls>();
        services.TryAddTransient<ConnectorRetryHandler>();
        services.TryAddTransient<ConnectorAuthHandler>();
        services.AddHttpClient<ConnectorClient>(client => client.Timeout = ConnectorTimeout)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = PooledConnectionLifetime })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler<ConnectorRetryHandler>()
            .AddHttpMessageHandler<ConnectorAuthHandler>();

        services.TryAddSingleton<TeamsIdentity>();
        services.TryAddTransient<RunViews>();
        services.TryAddTransient<MessagesEndpoint>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatChannel, TeamsChannel>());

        // Entra groups in the authorization policy, through Microsoft Graph with the app's own token.
        services.AddHttpClient<GraphGroupDirectory>((sp, client) => client.BaseAddress = sp.GetRequiredService<IOptions<TeamsOptions>>().Value.GraphBaseUrl)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = PooledConnectionLifetime })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
        services.AddSingleton<IGroupDirectory>(sp => sp.GetRequiredService<GraphGroupDirectory>());
        return services;
    }

    private static BotAuthSettings AuthSettings(TeamsOptions options) => new()
    {
        AppId = options.AppId,
        TenantId = string.IsNullOrWhiteSpace(options.TenantId) ? null : options.TenantId,
        OpenIdMetadataUrl = options.OpenIdMetadataUrl.AbsoluteUri,
        // A loopback http metadata URL is a test's fake; the validator still requires https for any other host.
        AllowInsecureMetadataForTests = options.OpenIdMetadataUrl is { IsLoopback: true } metadata && metadata.Scheme == Uri.UriSchemeHttp,
    };
}
