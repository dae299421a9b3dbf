using System.Net.Http.Headers;
using System.Text;
using FlinkOpsBot.Core.Authorization;
using FlinkOpsBot.Core.Clusters;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Engine;
using FlinkOpsBot.Core.Platforms;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Runs;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;
using FlinkOpsBot.Teams.Auth;
using FlinkOpsBot.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Teams.Tests.Fakes;

/// <summary>
/// A small web app as the host composes it (AddTeams + MapTeams) on a TestServer, with a <see cref="FakeTokenValidator"/>,
/// in-memory Core stores, a manual clock, a <see cref="FakeConnectorServer"/> and a <see cref="FakeTokenEndpoint"/>.
/// The command pipeline is a recording <see cref="FakeCommandService"/>, or Core's real <see cref="CommandService"/>
/// (for gate decisions; nothing that needs a cluster). With <c>dedupe</c>, either sits behind Core's
/// <see cref="DedupingCommandService"/> over an in-memory delivery log, as the host composes it.
/// </summary>
internal sealed class TeamsTestHost : IAsyncDisposable
{
    public const string AppId = TeamsTraffic.AppId;

    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);
    private readonly WebApplication _app;

    private TeamsTestHost(WebApplication app, FakeConnectorServer connector, FakeTokenEndpoint tokens, ManualTimeProvider clock, FakeCommandService commands)
    {
        _app = app;
        Connector = connector;
        Tokens = tokens;
        Clock = clock;
        FakeCommands = commands;
        Client = app.GetTestClient();
    }

    public FakeConnectorServer Connector { get; }

    public FakeTokenEndpoint Tokens { get; }

    public ManualTimeProvider Clock { get; }

    public FakeCommandService FakeCommands { get; }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public IRunStore Runs => Services.GetRequiredService<IRunStore>();

    public FakeTokenValidator Validator => (FakeTokenValidator)Services.GetRequiredService<IInboundTokenValidator>();

    public static async Task<TeamsTestHost> StartAsync(bool realPipeline = false, bool dedupe = false)
    {
        var connector = await FakeConnectorServer.StartAsync();
        var tokens = await FakeTokenEndpoint.StartAsync();
        var clock = new ManualTimeProvider();
        var commands = new FakeCommandService();

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var services = builder.Services;
        services.AddSingleton<TimeProvider>(clock);
        services.AddSingleton<IInboundTokenValidator, FakeTokenValidator>();
        services.AddSingleton(RecipeCatalog.LoadBuiltIn());
        services.AddSingleton<IRunStore, InMemoryRunStore>();
        services.AddSingleton<ITimelineStore, InMemoryTimelineStore>();
        services.AddSingleton<IConversationStore, InMemoryConversationStore>();
        if (realPipeline)
        {
            services.AddSingleton<IJobLockStore, InMemoryJobLockStore>();
            services.AddSingleton<IRunPublisher, NoPublisher>();
            services.AddSingleton<IRunSignal, NoSignal>();
            services.AddSingleton<IClusterDirectory, NoClusters>();
            services.AddSingleton<RunRecorder>();
            services.AddSingleton<IAuthorizationPolicy>(AuthorizationPolicy.AllowEveryone()); // the runs' gates name their approvers
            services.AddSingleton<CommandService>();
        }
        services.AddSingleton<IDeliveryLog>(new InMemoryDeliveryLog(clock));
        services.AddSingleton<ICommandService>(sp =>
        {
            ICommandService pipeline = realPipeline ? sp.GetRequiredService<CommandService>() : commands;
            return dedupe
                ? new DedupingCommandService(pipeline, sp.GetRequiredService<IDeliveryLog>(), clock, sp.GetRequiredService<ILogger<DedupingCommandService>>())
                : pipeline;
        });
        services.AddTeams(new ConfigurationBuilder().AddInMemoryCollection(Settings(tokens)).Build());
        var app = builder.Build();
        app.MapTeams();
        await app.StartAsync();
        return new TeamsTestHost(app, connector, tokens, clock, commands);
    }

    public static Dictionary<string, string?> Settings(FakeTokenEndpoint tokens) => new()
    {
        [nameof(TeamsOptions.AppId)] = AppId,
        [nameof(TeamsOptions.AppPassword)] = "test-secret-not-real",
        [nameof(TeamsOptions.TenantId)] = FakeTokenEndpoint.TenantId,
        [nameof(TeamsOptions.Authority)] = tokens.Authority.ToString(),
    };

    /// <summary>Posts <paramref name="json"/> to <c>/api/messages</c> as the Bot Connector would, with a token the fake validator accepts unless told otherwise.</summary>
    public async Task<HttpResponseMessage> PostActivityAsync(string json, string? authorization = FakeTokenValidator.ValidHeader, string contentType = "application/json; charset=utf-8")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/messages") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        if (authorization is not null) request.Headers.TryAddWithoutValidation("Authorization", authorization);
        return await Client.SendAsync(request).WaitAsync(AnswerTimeout);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.DisposeAsync();
        await Connector.DisposeAsync();
        await Tokens.DisposeAsync();
    }

    private sealed class NoPublisher : IRunPublisher
    {
        public Task PublishAsync(Run run, IReadOnlyList<TimelineEvent> newEvents, CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class NoSignal : IRunSignal
    {
        public void Wake(RunId runId)
        {
        }
    }

    private sealed class NoClusters : IClusterDirectory
    {
        public IReadOnlyList<ClusterDefinition> Clusters => [];

        public ClusterDefinition? Default => null;

        public ClusterDefinition? Find(string name) => null;

        public IFlinkPlatform PlatformFor(ClusterDefinition cluster) => throw new NotSupportedException("no clusters in these tests");
    }
}
