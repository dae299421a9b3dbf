using Azure.Core;
using FlinkOpsBot.AzureTables.Stores;
using FlinkOpsBot.Core.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.AzureTables;

/// <summary>Registers the Azure Table Storage implementations of Core's stores.</summary>
public static class TableStorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IRunStore"/>, <see cref="ITimelineStore"/>, <see cref="IJobLockStore"/>,
    /// <see cref="IConversationStore"/>, <see cref="IDeploymentLedger"/>, <see cref="IDeliveryLog"/> (table
    /// <c>{prefix}deliveries</c>) and <see cref="Core.Incidents.IIncidentStore"/> (table <c>{prefix}incidents</c>, entries in
    /// <c>{prefix}timeline</c>) and <see cref="ISavepointLedger"/> (table <c>{prefix}savepoints</c>) as singletons on Azure Table Storage;
    /// binds <see cref="TableStorageOptions"/> from <paramref name="section"/>, validated when the host starts; and
    /// adds a hosted service that creates the tables at start. Register it before hosted services that use the
    /// stores, since hosted services start in registration order. Uses the registered <see cref="TimeProvider"/>,
    /// or the system clock.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="section">The <c>Storage</c> configuration section; validation messages name settings by its path.</param>
    /// <param name="credential">
    /// The Entra ID credential used with <see cref="TableStorageOptions.TableEndpoint"/>, e.g. a
    /// <c>ManagedIdentityCredential</c>; null means <c>DefaultAzureCredential</c>. Ignored when
    /// <see cref="TableStorageOptions.ConnectionString"/> is set.
    /// </param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddAzureTableStores(this IServiceCollection services, IConfiguration section, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        var sectionPath = section is IConfigurationSection { Path: { Length: > 0 } path } ? path : "Storage";
        services.AddOptions<TableStorageOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<TableStorageOptions>>(new TableStorageOptionsValidator(sectionPath));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp => StoreTables.Create(
            sp.GetRequiredService<IOptions<TableStorageOptions>>().Value, credential, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IRunStore>(sp => new TableRunStore(sp.GetRequiredService<StoreTables>().Runs, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ITimelineStore>(sp => new TableTimelineStore(sp.GetRequiredService<StoreTables>().Timeline));
        services.AddSingleton<IJobLockStore>(sp => new TableJobLockStore(sp.GetRequiredService<StoreTables>().Locks));
        services.AddSingleton<IConversationStore>(sp => new TableConversationStore(sp.GetRequiredService<StoreTables>().Conversations));
        services.AddSingleton<IDeploymentLedger>(sp => new TableDeploymentLedger(sp.GetRequiredService<StoreTables>().Deployments));
        services.AddSingleton<IDeliveryLog>(sp => new TableDeliveryLog(sp.GetRequiredService<StoreTables>().Deliveries, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<Core.Incidents.IIncidentStore>(sp =>
            new TableIncidentStore(sp.GetRequiredService<StoreTables>().Incidents, sp.GetRequiredService<StoreTables>().Timeline));
        services.AddSingleton<ISavepointLedger>(sp => new TableSavepointLedger(sp.GetRequiredService<StoreTables>().Savepoints));
        services.AddHostedService<TableStorageInitializer>();
        return services;
    }
}
