using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using FlinkOpsBot.FlinkSim.Engine;

namespace FlinkOpsBot.FlinkSim.Cmf;

/// <summary>CMF's resource name rule: 4 to 253 characters, DNS-subdomain style, lower case.</summary>
internal static partial class CmfNames
{
    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Pattern();

    /// <summary><c>null</c> when <paramref name="name"/> is valid, else a one-line reason naming <paramref name="what"/>.</summary>
    public static string? Problem(string what, string? name) => name switch
    {
        null or "" => $"{what} needs metadata.name.",
        { Length: < 4 or > 253 } => $"{what} name '{name}' must be 4 to 253 characters long.",
        _ when !Pattern().IsMatch(name) =>
            $"{what} name '{name}' must consist of lower-case letters, digits, '-' and '.', and start and end with a letter or digit.",
        _ => null,
    };
}

/// <summary>A CMF environment: a Kubernetes namespace applications and statements are created in.</summary>
internal sealed class CmfEnvironment(string name, string kubernetesNamespace, DateTimeOffset created)
{
    public string Name { get; } = name;
    public string KubernetesNamespace { get; set; } = kubernetesNamespace;
    public DateTimeOffset Created { get; } = created;
    public DateTimeOffset Updated { get; set; } = created;

    /// <summary>What the client posted beyond name and namespace (defaults, labels), echoed back.</summary>
    public JsonObject Extra { get; set; } = [];

    public OrderedDictionary<string, CmfApplication> Applications { get; } = new(StringComparer.Ordinal);
    public OrderedDictionary<string, CmfStatement> Statements { get; } = new(StringComparer.Ordinal);
    public OrderedDictionary<string, CmfComputePool> ComputePools { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// What an application is doing besides running its spec: the stop-with-savepoint (or cancel) of an upgrade or a
/// suspend, until the backing job has ended.
/// </summary>
internal enum CmfTransition
{
    None,

    /// <summary>The old job is being stopped; the new spec is then started from its savepoint (or without state).</summary>
    Upgrading,

    /// <summary>The job is being stopped with a savepoint (or cancelled) because the spec says <c>suspended</c>.</summary>
    Suspending,
}

/// <summary>A FlinkApplication: its spec (the FlinkDeployment spec the client posted) and the job that backs it.</summary>
internal sealed class CmfApplication(CmfEnvironment environment, string name, string uid, DateTimeOffset created)
{
    public CmfEnvironment Environment { get; } = environment;
    public string Name { get; } = name;
    public string Uid { get; } = uid;
    public DateTimeOffset Created { get; } = created;
    public DateTimeOffset Updated { get; set; } = created;
    public string Scope => JobScope.Of(Environment.Name, Name);

    /// <summary>The posted <c>metadata</c> (labels, annotations), without the fields CMF sets.</summary>
    public JsonObject Metadata { get; set; } = [];

    /// <summary>The posted <c>spec</c>: <c>job.{jarURI, parallelism, state, upgradeMode, …}</c>, <c>flinkConfiguration</c>, ….</summary>
    public JsonObject Spec { get; set; } = [];

    /// <summary>The spec the backing job was deployed with (<c>status.reconciliationStatus.lastReconciledSpec</c>).</summary>
    public JsonObject? DeployedSpec { get; set; }

    /// <summary>The job that runs (or ran) the deployed spec; <c>null</c> before the first deployment.</summary>
    public Job? Job { get; set; }

    public CmfTransition Transition { get; set; }

    /// <summary>Why the last deployment failed (<c>status.error</c>); cleared by the next successful one.</summary>
    public string? Error { get; set; }

    /// <summary>Whether the last deployment failed before a job was submitted (lifecycle FAILED, JobManager ERROR).</summary>
    public bool DeployFailed { get; set; }

    /// <summary>The savepoints taken for the application, newest last (<c>status.jobStatus.savepointInfo</c>).</summary>
    public List<(string Location, DateTimeOffset At, string TriggerType)> SavepointHistory { get; } = [];

    /// <summary>The Savepoint resources of the application.</summary>
    public OrderedDictionary<string, CmfSavepoint> Savepoints { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether the job was ended by a suspend (the next deployment restores the last savepoint).</summary>
    public bool Suspended { get; set; }

    /// <summary>The message the next start must fail with (fault injection), if armed.</summary>
    public string? NextStartFailure { get; set; }

    public string UpgradeMode => CmfHttp.String(Spec, "job.upgradeMode") ?? "stateless";

    public bool WantsRunning => !string.Equals(CmfHttp.String(Spec, "job.state"), "suspended", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A Savepoint resource: of an application, or detached (then it survives the application).</summary>
internal sealed class CmfSavepoint(string name, string uid, DateTimeOffset created)
{
    public string Name { get; } = name;
    public string Uid { get; } = uid;
    public DateTimeOffset Created { get; } = created;

    /// <summary>The posted <c>metadata</c> (labels, annotations).</summary>
    public JsonObject Metadata { get; set; } = [];

    /// <summary>The posted <c>spec</c>: <c>path</c> (target directory), <c>formatType</c>, <c>backoffLimit</c>.</summary>
    public JsonObject Spec { get; set; } = [];

    /// <summary>The savepoint of the backing job that makes it; <c>null</c> for one registered or recorded complete.</summary>
    public SavepointOperation? Operation { get; set; }

    /// <summary>The final location, for a savepoint recorded complete (an upgrade's, a detached one, the demo's).</summary>
    public string? CompletedPath { get; set; }

    /// <summary>When a savepoint recorded complete completed.</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>
    /// How it was made: MANUAL (created through the API, registered, or the demo's) or UPGRADE (a suspend's or an
    /// upgrade's stop-with-savepoint), written as <c>status.source</c>.
    /// </summary>
    public string Source { get; init; } = "MANUAL";

    /// <summary>The application it belongs to; <c>null</c> once detached (or registered detached).</summary>
    public CmfApplication? Application { get; set; }

    /// <summary>TRIGGER_PENDING, IN_PROGRESS, COMPLETED or FAILED, as of now.</summary>
    public string State => Operation switch
    {
        null => CompletedPath is null ? "FAILED" : "COMPLETED",
        { Location: not null } => "COMPLETED",
        { Failure: not null } => "FAILED",
        _ => "IN_PROGRESS",
    };

    /// <summary>The savepoint's location once COMPLETED.</summary>
    public string? Path => Operation?.Location ?? CompletedPath;
}

/// <summary>A compute pool: where statements run.</summary>
internal sealed class CmfComputePool(string name, string uid, DateTimeOffset created, JsonObject spec)
{
    public string Name { get; } = name;
    public string Uid { get; } = uid;
    public DateTimeOffset Created { get; } = created;
    public JsonObject Spec { get; } = spec;
}

/// <summary>A Kafka catalog and its databases (Kafka clusters), each with the tables (topics) it holds.</summary>
internal sealed class CmfCatalog(string name, string uid, DateTimeOffset created, JsonObject spec)
{
    public string Name { get; } = name;
    public string Uid { get; } = uid;
    public DateTimeOffset Created { get; } = created;
    public JsonObject Spec { get; } = spec;
    public OrderedDictionary<string, CmfDatabase> Databases { get; } = new(StringComparer.Ordinal);
}

/// <summary>A Kafka database of a catalog: one Kafka cluster, whose topics are its tables.</summary>
internal sealed class CmfDatabase(string name, string uid, DateTimeOffset created, JsonObject spec)
{
    public string Name { get; } = name;
    public string Uid { get; } = uid;
    public DateTimeOffset Created { get; } = created;
    public JsonObject Spec { get; } = spec;
    public HashSet<string> Tables { get; } = new(StringComparer.Ordinal);
}
