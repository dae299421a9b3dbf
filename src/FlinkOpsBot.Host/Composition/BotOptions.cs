using FlinkOpsBot.Core.Clusters;
using FlinkOpsBot.Core.Engine;
using FlinkOpsBot.Flink;
using FlinkOpsBot.Flink.Cmf;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Host.Composition;

/// <summary>The clusters the bot drives (configuration section <c>Flink</c>).</summary>
public sealed class FlinkClustersOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Flink";

    /// <summary>The cluster used when a command names none; optional when only one cluster is configured.</summary>
    public string? DefaultCluster { get; set; }

    /// <summary>The clusters.</summary>
    public List<ClusterOptions> Clusters { get; set; } = [];
}

/// <summary>One configured cluster (an entry of <c>Flink:Clusters</c>).</summary>
public sealed class ClusterOptions
{
    /// <summary>The name people type after <c>--cluster</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>How the cluster is driven: <c>flink-rest</c> (default; Apache Flink REST v1) or <c>cmf</c> (Confluent Manager for Apache Flink; needs <see cref="Environment"/>).</summary>
    public string Platform { get; set; } = ClusterDefinition.FlinkRest;

    /// <summary>The REST endpoint, e.g. <c>http://flink-jobmanager:8081</c>, or for <c>cmf</c> CMF's, e.g. <c>https://cmf.example:8080</c> (the client adds <c>/cmf/api/v1</c>).</summary>
    public string BaseUrl { get; set; } = "";

    /// <summary>A bearer token for an authenticating proxy in front of a <c>flink-rest</c> endpoint; optional, never logged (<c>cmf</c> clusters use <see cref="Auth"/>).</summary>
    public string? BearerToken { get; set; }

    /// <summary>The savepoint directory when a command gives none; default: ask the JobManager.</summary>
    public string? SavepointDirectory { get; set; }

    /// <summary>Overrides recipes' validation windows on this cluster (e.g. <c>00:10:00</c>).</summary>
    public TimeSpan? ValidationWindow { get; set; }

    /// <summary>How often the engine polls this cluster while waiting (default 2 s).</summary>
    public TimeSpan? PollInterval { get; set; }

    /// <summary>
    /// The CMF environment the cluster belongs to (e.g. <c>prod</c>): required for <c>cmf</c>, whose applications and statements
    /// live in it; <c>Authorization:Rules</c> can name it. Default: none.
    /// </summary>
    public string? Environment { get; set; }

    /// <summary>How the bot authenticates to CMF (<c>cmf</c> only): <c>None</c> (default), <c>MutualTls</c> or <c>Bearer</c>; see <see cref="CmfAuthOptions"/>.</summary>
    public CmfAuthOptions Auth { get; set; } = new();

    /// <summary>The Core view of this cluster.</summary>
    public ClusterDefinition ToDefinition() =>
        new(Name, Platform, new Uri(BaseUrl, UriKind.Absolute), SavepointDirectory, ValidationWindow, PollInterval, string.IsNullOrWhiteSpace(Environment) ? null : Environment);
}

/// <summary>Checks <see cref="FlinkClustersOptions"/> at start, with messages that name the setting.</summary>
internal sealed class FlinkClustersOptionsValidator : IValidateOptions<FlinkClustersOptions>
{
    public ValidateOptionsResult Validate(string? name, FlinkClustersOptions options)
    {
        var errors = new List<string>();
        if (options.Clusters.Count == 0)
        {
            errors.Add("Flink:Clusters is empty: configure at least one cluster (Name, BaseUrl), or run `local` mode for the demo cluster.");
        }
        for (var i = 0; i < options.Clusters.Count; i++)
        {
            var cluster = options.Clusters[i];
            var at = $"Flink:Clusters:{i}";
            if (string.IsNullOrWhiteSpace(cluster.Name)) errors.Add($"{at}:Name is required.");
            if (!Uri.TryCreate(cluster.BaseUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{at}:BaseUrl must be an absolute http(s) URL such as http://flink-jobmanager:8081, not '{cluster.BaseUrl}'.");
            }
            if (cluster.Platform != ClusterDefinition.FlinkRest && cluster.Platform != ClusterDefinition.Cmf)
            {
                errors.Add($"{at}:Platform '{cluster.Platform}' is not supported; use '{ClusterDefinition.FlinkRest}' (Apache Flink REST) or '{ClusterDefinition.Cmf}' (Confluent Manager for Apache Flink).");
            }
            if (cluster.Platform == ClusterDefinition.Cmf)
            {
                errors.AddRange(CmfClusterProblems(cluster, at));
            }
            else if (cluster.Auth.Mode != CmfAuthMode.None)
            {
                errors.Add($"{at}:Auth applies to Platform '{ClusterDefinition.Cmf}' only; a '{ClusterDefinition.FlinkRest}' cluster behind an authenticating proxy takes {at}:BearerToken.");
            }
            if (cluster.PollInterval is { } poll && poll <= TimeSpan.Zero) errors.Add($"{at}:PollInterval must be positive.");
            if (cluster.ValidationWindow is { } window && window < TimeSpan.Zero) errors.Add($"{at}:ValidationWindow must not be negative.");
        }
        foreach (var duplicate in options.Clusters.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            errors.Add($"Flink:Clusters has two clusters named '{duplicate.Key}'.");
        }
        if (options.DefaultCluster is { } defaultCluster && !options.Clusters.Any(c => string.Equals(c.Name, defaultCluster, StringComparison.OrdinalIgnoreCase)))
        {
            errors.Add($"Flink:DefaultCluster '{defaultCluster}' names no configured cluster.");
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>A <c>cmf</c> cluster needs an environment and usable credentials.</summary>
    private static IEnumerable<string> CmfClusterProblems(ClusterOptions cluster, string at)
    {
        if (string.IsNullOrWhiteSpace(cluster.Environment))
        {
            yield return $"{at}:Environment is required for Platform '{ClusterDefinition.Cmf}': the CMF environment whose applications and statements the cluster drives.";
        }
        if (!string.IsNullOrEmpty(cluster.BearerToken))
        {
            yield return $"{at}:BearerToken is for '{ClusterDefinition.FlinkRest}' clusters; for '{ClusterDefinition.Cmf}' set {at}:Auth:Mode=Bearer and {at}:Auth:Token.";
        }
        foreach (var problem in cluster.Auth.Problems($"{at}:Auth")) yield return problem;
    }
}

/// <summary>
/// Validates <see cref="RunLeaseOptions"/> (section <c>Engine</c>) on its own (<see cref="RunLeaseOptions.Problem"/>)
/// and against the Flink client's jar-run timeout: a tick starts with at least the renewal threshold left on its
/// lease, so a jar run that took longer could outlive the lease, and another replica take the run over while the
/// first one's submission is still in flight.
/// </summary>
internal sealed class RunLeaseOptionsValidator(IOptions<FlinkClientOptions> flink) : IValidateOptions<RunLeaseOptions>
{
    public ValidateOptionsResult Validate(string? name, RunLeaseOptions options)
    {
        if (options.Problem() is { } problem) return ValidateOptionsResult.Fail(problem);
        var jarRun = flink.Value.JarRunTimeout;
        return options.EffectiveRenewal >= jarRun
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Engine:LeaseRenewal ({options.EffectiveRenewal}; half of Engine:LeaseDuration unless set) must be at least " +
                $"Flink:Client:JarRunTimeout ({jarRun}), or a run's lease could lapse during a jar run and another replica " +
                $"start the job again. Raise Engine:LeaseDuration to at least {2 * jarRun} or lower Flink:Client:JarRunTimeout.");
    }
}
