using System.Text.Json.Nodes;
using FlinkOpsBot.FlinkSim.Engine;

namespace FlinkOpsBot.FlinkSim.Cmf;

/// <summary>A request CMF refuses: the HTTP status and the message of its <c>RestError</c>.</summary>
internal sealed record CmfRefusal(int StatusCode, string Message);

/// <summary>
/// Everything CMF holds: environments (with their applications, statements and compute pools), Kafka catalogs and
/// detached savepoints. Not thread-safe: used under the simulation's lock (<see cref="Simulation.Sync{T}"/>), so that
/// an application's status is always read together with the job that backs it.
/// </summary>
internal sealed class CmfState(Simulation simulation)
{
    public Simulation Simulation { get; } = simulation;
    public OrderedDictionary<string, CmfEnvironment> Environments { get; } = new(StringComparer.Ordinal);
    public OrderedDictionary<string, CmfCatalog> Catalogs { get; } = new(StringComparer.Ordinal);
    public OrderedDictionary<string, CmfSavepoint> DetachedSavepoints { get; } = new(StringComparer.Ordinal);

    /// <summary>The message the next savepoint created through CMF must fail with (fault injection), if armed.</summary>
    public string? NextSavepointFailure { get; set; }

    /// <summary>Savepoint deletes CMF refuses (fault injection), by savepoint name: the status and message it answers with.</summary>
    public Dictionary<string, CmfRefusal> RefusedSavepointDeletes { get; } = new(StringComparer.Ordinal);

    public DateTimeOffset Now => Simulation.Now;

    public CmfEnvironment? Environment(string name) => Environments.GetValueOrDefault(name);

    public CmfApplication? Application(string environment, string name) => Environment(environment)?.Applications.GetValueOrDefault(name);

    /// <summary>The environment, or CMF's 404 for it.</summary>
    public CmfRefusal? FindEnvironment(string name, out CmfEnvironment environment)
    {
        environment = Environment(name)!;
        return environment is null ? new CmfRefusal(404, $"Environment '{name}' not found.") : null;
    }

    /// <summary>The application, or CMF's 404 for it or its environment.</summary>
    public CmfRefusal? FindApplication(string environmentName, string name, out CmfApplication application)
    {
        application = null!;
        if (FindEnvironment(environmentName, out var environment) is { } missing) return missing;
        application = environment.Applications.GetValueOrDefault(name)!;
        return application is null ? new CmfRefusal(404, $"FlinkApplication '{name}' not found in environment '{environmentName}'.") : null;
    }

    /// <summary>Creates or updates an environment (<c>POST /environments</c>); <c>created</c> tells which.</summary>
    public CmfEnvironment UpsertEnvironment(string name, string kubernetesNamespace, JsonObject extra, out bool created)
    {
        created = !Environments.TryGetValue(name, out var environment);
        if (environment is null)
        {
            environment = new CmfEnvironment(name, kubernetesNamespace, Now);
            Environments.Add(name, environment);
        }
        else
        {
            environment.KubernetesNamespace = kubernetesNamespace;
            environment.Updated = Now;
        }
        environment.Extra = extra;
        return environment;
    }

    /// <summary>A savepoint by the UID clients pass to <c>startFromSavepointUid</c>: the application's or a detached one.</summary>
    public CmfSavepoint? SavepointByUid(CmfApplication application, string uid) =>
        application.Savepoints.Values.FirstOrDefault(sp => sp.Uid == uid)
        ?? DetachedSavepoints.Values.FirstOrDefault(sp => sp.Uid == uid);
}
