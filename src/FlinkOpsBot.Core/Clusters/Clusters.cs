using FlinkOpsBot.Core.Platforms;

namespace FlinkOpsBot.Core.Clusters;

/// <summary>A configured target cluster.</summary>
/// <param name="Name">The name people type after <c>--cluster</c>, e.g. <c>prod-eu</c>.</param>
/// <param name="Platform">How it is driven: <c>flink-rest</c> or <c>cmf</c>.</param>
/// <param name="BaseUrl">The REST endpoint, e.g. <c>http://flink-jobmanager:8081/</c>.</param>
/// <param name="SavepointDirectory">The savepoint directory to use when the command gives none; null to ask the cluster.</param>
/// <param name="ValidationWindow">Overrides the recipe's validation window on this cluster; null keeps the recipe's.</param>
/// <param name="PollInterval">How often the engine polls this cluster while waiting (default 2 s).</param>
/// <param name="Environment">The CMF environment the cluster belongs to, if any; authorization rules can name it.</param>
public sealed record ClusterDefinition(
    string Name,
    string Platform,
    Uri BaseUrl,
    string? SavepointDirectory = null,
    TimeSpan? ValidationWindow = null,
    TimeSpan? PollInterval = null,
    string? Environment = null)
{
    /// <summary>The platform name of Apache Flink's REST API v1.</summary>
    public const string FlinkRest = "flink-rest";

    /// <summary>The platform name of Confluent Manager for Apache Flink (CMF REST <c>/cmf/api/v1</c>).</summary>
    public const string Cmf = "cmf";

    /// <summary>How often the engine polls this cluster while waiting.</summary>
    public TimeSpan EffectivePollInterval => PollInterval ?? TimeSpan.FromSeconds(2);
}

/// <summary>The configured clusters and the platform client of each.</summary>
public interface IClusterDirectory
{
    /// <summary>Every configured cluster, in configuration order.</summary>
    IReadOnlyList<ClusterDefinition> Clusters { get; }

    /// <summary>The cluster used when a command names none: the only one, or the one configured as default; null when ambiguous.</summary>
    ClusterDefinition? Default { get; }

    /// <summary>The cluster with that name (case-insensitive), or null.</summary>
    ClusterDefinition? Find(string name);

    /// <summary>The platform client for a configured cluster.</summary>
    IFlinkPlatform PlatformFor(ClusterDefinition cluster);
}

/// <summary>
/// A fixed <see cref="IClusterDirectory"/> over the configured clusters. Platform clients come from a factory on every
/// call, so the platform adapter decides how long a client lives (pooled HTTP connections, per-cluster breakers).
/// </summary>
public sealed class ClusterDirectory : IClusterDirectory
{
    private readonly Dictionary<string, ClusterDefinition> _byName;
    private readonly Func<ClusterDefinition, IFlinkPlatform> _platformFor;

    /// <summary>Creates the directory; <paramref name="defaultCluster"/> names the default when there are several.</summary>
    /// <exception cref="ArgumentException">Two clusters share a name, or the default names no cluster.</exception>
    public ClusterDirectory(IEnumerable<ClusterDefinition> clusters, Func<ClusterDefinition, IFlinkPlatform> platformFor, string? defaultCluster = null)
    {
        Clusters = clusters.ToList();
        _platformFor = platformFor;
        _byName = new(StringComparer.OrdinalIgnoreCase);
        foreach (var cluster in Clusters)
        {
            if (!_byName.TryAdd(cluster.Name, cluster)) throw new ArgumentException($"Two clusters are named '{cluster.Name}'.", nameof(clusters));
        }
        if (defaultCluster is not null)
        {
            Default = Find(defaultCluster) ?? throw new ArgumentException(
                $"The default cluster '{defaultCluster}' is not configured (configured: {string.Join(", ", Clusters.Select(c => c.Name))}).", nameof(defaultCluster));
        }
        else if (Clusters.Count == 1)
        {
            Default = Clusters[0];
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<ClusterDefinition> Clusters { get; }

    /// <inheritdoc />
    public ClusterDefinition? Default { get; }

    /// <inheritdoc />
    public ClusterDefinition? Find(string name) => _byName.GetValueOrDefault(name);

    /// <inheritdoc />
    public IFlinkPlatform PlatformFor(ClusterDefinition cluster) => _platformFor(cluster);
}
