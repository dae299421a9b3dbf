using FlinkOpsBot.AzureTables;
using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Authorization;
using FlinkOpsBot.Core.Chat;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Clusters;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Engine;
using FlinkOpsBot.Core.Incidents;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Steps;
using FlinkOpsBot.Core.Storage;
using FlinkOpsBot.Core.Timeline;
using FlinkOpsBot.Flink;
using FlinkOpsBot.Slack;
using FlinkOpsBot.Teams;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Host.Composition;

/// <summary>The composition root: Core, the platforms, storage and the chat channels, from configuration.</summary>
public static class BotServices
{
    /// <summary>
    /// Registers everything the bot needs. Storage is Azure Table Storage when <c>Storage:ConnectionString</c> or
    /// <c>Storage:TableEndpoint</c> is set, in-memory when <c>Storage:InMemory</c> is true (local mode, tests), and a
    /// start-up error otherwise. Slack is enabled when the <c>Slack</c> section has a signing secret or bot token, Microsoft
    /// Teams when <c>Teams:AppId</c> is set; each then validates its own settings at start.
    /// </summary>
    public static IServiceCollection AddFlinkOpsBot(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);

        // Recipes are validated against the check and step libraries here, so a broken recipe fails start-up.
        services.AddSingleton(CheckLibrary.BuiltIn);
        services.AddSingleton(StepLibrary.BuiltIn);
        services.AddSingleton(_ => RecipeCatalog.LoadBuiltIn());

        services.AddOptions<GatePolicy>().Bind(configuration.GetSection("Gate")).Validate(
            p => p.RequiredApprovals is null or >= 1 && (p.ExpiresAfter is null || p.ExpiresAfter > TimeSpan.Zero),
            "Gate:RequiredApprovals must be at least 1 and Gate:ExpiresAfter positive.").ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<GatePolicy>>().Value);
        AddAuthorization(services, configuration);

        services.AddFlinkPlatforms(configuration.GetSection("Flink:Client"));
        services.AddOptions<FlinkClustersOptions>().Bind(configuration.GetSection(FlinkClustersOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<FlinkClustersOptions>, FlinkClustersOptionsValidator>();
        services.AddSingleton<IClusterDirectory>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<FlinkClustersOptions>>().Value;
            var factory = sp.GetRequiredService<FlinkPlatformFactory>();
            var byName = options.Clusters.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);
            return new ClusterDirectory(options.Clusters.Select(c => c.ToDefinition()),
                cluster => factory.Create(cluster, byName[cluster.Name].Auth, string.IsNullOrEmpty(byName[cluster.Name].BearerToken) ? null : byName[cluster.Name].BearerToken),
                options.DefaultCluster);
        });

        AddStorage(services, configuration.GetSection("Storage"));

        services.AddSingleton<IRunPublisher, RunPublisher>();
        services.AddSingleton<RunRecorder>();
        services.AddSingleton<RunEngine>();
        services.AddOptions<RunLeaseOptions>().Bind(configuration.GetSection(RunLeaseOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RunLeaseOptions>, RunLeaseOptionsValidator>();
        services.AddSingleton(sp => new RunLoop(sp.GetRequiredService<RunEngine>(), sp.GetRequiredService<IRunStore>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<RunLoop>>(), sp.GetRequiredService<IOptions<RunLeaseOptions>>().Value));
        services.AddSingleton<IRunSignal>(sp => sp.GetRequiredService<RunLoop>());
        services.AddSingleton<IEngineStatus>(sp => sp.GetRequiredService<RunLoop>());
        services.AddOptions<TimelineExportOptions>().Bind(configuration.GetSection(TimelineExportOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TimelineExportOptions>, TimelineExportOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TimelineExportOptions>>().Value);
        services.AddSingleton<IncidentBook>();
        services.AddSingleton<TimelineService>();
        services.AddSingleton<CommandService>();
        services.AddSingleton<ICommandService>(sp => new DedupingCommandService(sp.GetRequiredService<CommandService>(), sp.GetRequiredService<IDeliveryLog>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<DedupingCommandService>>(), runs: sp.GetRequiredService<IRunStore>()));
        services.AddHostedService<EngineService>();

        var slack = configuration.GetSection("Slack");
        if (IsSlackEnabled(configuration)) services.AddSlack(slack);
        if (IsTeamsEnabled(configuration)) services.AddTeams(configuration.GetSection(TeamsOptions.SectionName));
        return services;
    }

    /// <summary>
    /// Maps the HTTP endpoints: a health probe, the timeline export (<c>GET /api/timeline/{id}</c>, when
    /// <c>Timeline:BearerToken</c> is set) and, when enabled, Slack's and Teams' (<c>POST /api/messages</c>).
    /// </summary>
    public static WebApplication MapFlinkOpsBot(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapTimelineExport();
        if (IsSlackEnabled(app.Configuration)) app.MapSlack();
        if (IsTeamsEnabled(app.Configuration)) app.MapTeams();
        return app;
    }

    /// <summary>
    /// The <c>Authorization</c> policy, validated at start; each chat adapter's <see cref="IGroupDirectory"/> is used
    /// behind a 5-minute cache.
    /// </summary>
    private static void AddAuthorization(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthorizationOptions>().Bind(configuration.GetSection(AuthorizationOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuthorizationOptions>, AuthorizationOptionsValidator>();
        services.AddSingleton<IAuthorizationPolicy>(sp =>
        {
            var time = sp.GetRequiredService<TimeProvider>();
            return new AuthorizationPolicy(sp.GetRequiredService<IOptions<AuthorizationOptions>>().Value, sp.GetRequiredService<GatePolicy>(),
                sp.GetRequiredService<IClusterDirectory>(), sp.GetRequiredService<RecipeCatalog>(),
                sp.GetServices<IGroupDirectory>().Select(d => new CachingGroupDirectory(d, time)), sp.GetRequiredService<ILogger<AuthorizationPolicy>>());
        });
    }

    private static bool IsSlackEnabled(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration["Slack:SigningSecret"]) || !string.IsNullOrEmpty(configuration["Slack:BotToken"]);

    private static bool IsTeamsEnabled(IConfiguration configuration) =>
        !string.IsNullOrEmpty(configuration[$"{TeamsOptions.SectionName}:{nameof(TeamsOptions.AppId)}"]);

    private static void AddStorage(IServiceCollection services, IConfigurationSection storage)
    {
        if (!string.IsNullOrEmpty(storage["ConnectionString"]) || !string.IsNullOrEmpty(storage["TableEndpoint"]))
        {
            services.AddAzureTableStores(storage);
            return;
        }
        if (storage.GetValue<bool>("InMemory"))
        {
            services.AddSingleton<IRunStore, InMemoryRunStore>();
            services.AddSingleton<ITimelineStore, InMemoryTimelineStore>();
            services.AddSingleton<IJobLockStore, InMemoryJobLockStore>();
            services.AddSingleton<IConversationStore, InMemoryConversationStore>();
            services.AddSingleton<IDeploymentLedger, InMemoryDeploymentLedger>();
            services.AddSingleton<IDeliveryLog, InMemoryDeliveryLog>();
            services.AddSingleton<IIncidentStore, InMemoryIncidentStore>();
            services.AddSingleton<ISavepointLedger, InMemorySavepointLedger>();
            return;
        }
        throw new OptionsValidationException("Storage", typeof(object), [
            "Storage:ConnectionString (or Storage:TableEndpoint with a managed identity) is required: run state lives in Azure Table Storage. " +
            "For a demo run `dotnet run --project src/FlinkOpsBot.Host -- local`; to accept losing every run on restart set Storage:InMemory=true.",
        ]);
    }
}
