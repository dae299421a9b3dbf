using System.Net.Http.Headers;
using FlinkOpsBot.Core.Authorization;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Slack.Commands;
using FlinkOpsBot.Slack.Files;
using FlinkOpsBot.Slack.Groups;
using FlinkOpsBot.Slack.Interactions;
using FlinkOpsBot.Slack.Verification;
using FlinkOpsBot.Slack.WebApi;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Slack;

/// <summary>Registers the Slack adapter.</summary>
public static class SlackServiceCollectionExtensions
{
    /// <summary>
    /// Connections to slack.com are renewed this often, so a long-lived client (the channel is a singleton) follows
    /// DNS changes without IHttpClientFactory's handler rotation.
    /// </summary>
    private static readonly TimeSpan PooledConnectionLifetime = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Registers the Slack adapter: <see cref="SlackOptions"/> bound from <paramref name="slackSection"/> and validated at
    /// start (e.g. <c>{"SigningSecret": "…", "BotToken": "xoxb-…"}</c>), the Web API client (a typed HttpClient that
    /// sends the bot token and retries 429 after <c>Retry-After</c> and 5xx with backoff), the request verification and
    /// endpoints that <see cref="SlackEndpointRouteBuilderExtensions.MapSlack"/> maps, and an <see cref="IChatChannel"/>
    /// for the platform <c>slack</c>. Call it only when Slack is enabled: the secrets are then required.
    /// </summary>
    /// <remarks>
    /// The host registers what the adapter consumes: Core's <c>ICommandService</c> and <c>IConversationStore</c>. Uses
    /// the registered <see cref="TimeProvider"/>, or the system clock.
    /// </remarks>
    /// <param name="services">The host's services.</param>
    /// <param name="slackSection">The configuration section <see cref="SlackOptions.SectionName"/>.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddSlack(this IServiceCollection services, IConfiguration slackSection)
    {
        ArgumentNullException.ThrowIfNull(slackSection);
        services.AddOptions<SlackOptions>().Bind(slackSection).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SlackOptions>, SlackOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);

        services.TryAddTransient<SlackRetryHandler>();
        services.AddHttpClient<SlackWebApiClient>((sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<SlackOptions>>().Value;
                client.BaseAddress = options.ApiBaseUrl;
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.BotToken);
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = PooledConnectionLifetime })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler<SlackRetryHandler>();
        services.AddHttpClient(SlackFileUploader.ApiClient, (sp, client) =>
            {
                var options = sp.GetRequiredService<IOptions<SlackOptions>>().Value;
                client.BaseAddress = options.ApiBaseUrl;
                client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.BotToken);
            })
            .AddHttpMessageHandler<SlackRetryHandler>();
        services.AddHttpClient(SlackFileUploader.UploadClient).AddHttpMessageHandler<SlackRetryHandler>().RemoveAllLoggers(); // the upload URL is a credential
        services.TryAddSingleton<SlackFileUploader>();
        services.TryAddSingleton<SlackFileDelivery>();
        services.AddHttpClient<ResponseUrlClient>().RemoveAllLoggers(); // a response URL lets anyone post to the channel: keep it out of logs

        services.TryAddSingleton<SlackSignatureVerifier>();
        services.TryAddTransient<AckBudget>();
        services.TryAddTransient<SlashCommandEndpoint>();
        services.TryAddTransient<InteractionEndpoint>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IChatChannel, SlackChannel>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGroupDirectory, SlackGroupDirectory>());
        return services;
    }
}
